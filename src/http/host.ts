import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { withTimeout } from '../timers.js';

/** A health check that has not answered in this long counts as failed. */
const CHECK_MS = 2_000;

export type Handler = (req: IncomingMessage, res: ServerResponse) => void | Promise<void>;

/** One component's health: `ok` false makes /healthz answer 503; `detail` says why, never with an id. */
export interface Health {
  ok: boolean;
  detail?: string;
}

export interface HostLog {
  info(obj: object, msg: string): void;
  error(obj: object, msg: string): void;
}

/**
 * The one HTTP server on PORT: webhook channels mount their routes here (`/telegram/webhook`,
 * `/whatsapp/webhook`), and `/healthz` reports every registered check (the database, each
 * channel) with 200 or 503, so a load balancer or supervisor sees the truth.
 */
export class HttpHost {
  private readonly routes = new Map<string, Handler>();
  private readonly checks = new Map<string, () => Health | Promise<Health>>();
  private server: Server | undefined;

  constructor(
    private readonly port: number,
    private readonly log?: HostLog,
    private readonly host = '0.0.0.0',
  ) {}

  /** Mounts a handler for one method and path (exact match; the query string is ignored). */
  route(method: string, path: string, handler: Handler): void {
    this.routes.set(`${method} ${path}`, handler);
  }

  health(name: string, check: () => Health | Promise<Health>): void {
    this.checks.set(name, check);
  }

  /** Every check, each bounded in time: a hung check counts as a failed one. */
  async status(): Promise<{ ok: boolean; checks: Record<string, Health> }> {
    const entries = await Promise.all(
      [...this.checks].map(async ([name, check]): Promise<[string, Health]> => {
        try {
          return [
            name,
            await withTimeout(
              Promise.resolve(check()),
              CHECK_MS,
              () => new Error(`no answer within ${CHECK_MS} ms`),
            ),
          ];
        } catch (err) {
          return [name, { ok: false, detail: err instanceof Error ? err.message : String(err) }];
        }
      }),
    );
    const checks = Object.fromEntries(entries);
    return { ok: entries.every(([, h]) => h.ok), checks };
  }

  async start(): Promise<void> {
    const server = createServer((req, res) => void this.dispatch(req, res));
    this.server = server;
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(this.port, this.host, () => {
        server.off('error', reject);
        resolve();
      });
    });
    this.log?.info({ port: this.boundPort() }, 'HTTP host listening');
  }

  /** The port actually bound (useful with port 0 in tests). */
  boundPort(): number | undefined {
    const address = this.server?.address();
    return typeof address === 'object' && address ? address.port : undefined;
  }

  /**
   * Stops taking requests: idle keep-alive connections close at once; requests in progress get
   * `graceMs`, then their connections are closed too, so a slow client cannot hold a shutdown.
   */
  async stop(graceMs = 5_000): Promise<void> {
    const server = this.server;
    if (!server) return;
    this.server = undefined;
    const closed = new Promise<void>((resolve) => server.close(() => resolve()));
    server.closeIdleConnections();
    const timer = setTimeout(() => server.closeAllConnections(), graceMs);
    await closed;
    clearTimeout(timer);
  }

  private async dispatch(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const path = (req.url ?? '/').split('?')[0] ?? '/';
    try {
      if (req.method === 'GET' && path === '/healthz') {
        const status = await this.status();
        res.writeHead(status.ok ? 200 : 503, { 'content-type': 'application/json' });
        res.end(JSON.stringify(status));
        return;
      }
      const handler = this.routes.get(`${req.method} ${path}`);
      if (!handler) {
        const known = [...this.routes.keys()].some((k) => k.endsWith(` ${path}`));
        res.writeHead(known ? 405 : 404).end();
        return;
      }
      await handler(req, res);
    } catch (err) {
      this.log?.error({ err: err instanceof Error ? err.name : String(err), path }, 'HTTP request failed');
      if (!res.headersSent) res.writeHead(500);
      res.end();
    }
  }
}
