import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/** A message the bot sent, as the Graph API received it. */
export interface Sent {
  to: string;
  type: string;
  body: Record<string, any>;
  at: number;
}

export interface GraphFault {
  /** Only for sends to this recipient, when set. */
  to?: string;
  status: number;
  /** Meta's error code in the body. */
  code?: number;
  times: number;
}

export const TOKEN = 'EAAtest-token-for-the-fake-graph-api-0000';
export const PHONE_ID = '100200300400500';

/**
 * A fake Graph API on 127.0.0.1 for the Cloud API channel: POST /{version}/{phone-id}/messages
 * (sends and read receipts) and GET /{version}/{phone-id}. Records every call and can answer
 * with injected HTTP errors and Meta error codes.
 */
export class FakeGraphApi {
  readonly sent: Sent[] = [];
  readonly reads: string[] = [];
  readonly faults: GraphFault[] = [];
  /** Requests refused by a fault, by recipient. */
  readonly refused: { to: string; code: number | undefined }[] = [];
  private server: Server | undefined;
  private waiters: (() => void)[] = [];
  private nextId = 1;

  async start(): Promise<string> {
    const server = createServer((req, res) => void this.handle(req, res));
    this.server = server;
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    return `http://127.0.0.1:${(server.address() as AddressInfo).port}/v21.0`;
  }

  async stop(): Promise<void> {
    const server = this.server;
    if (!server) return;
    this.server = undefined;
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }

  to(recipient: string): Sent[] {
    return this.sent.filter((s) => s.to === recipient);
  }

  /** Everything a person would read: texts, and the bodies of interactive messages. */
  texts(recipient: string): string[] {
    return this.to(recipient).flatMap((s) => {
      if (s.type === 'text') return [String(s.body.text.body)];
      if (s.type === 'interactive') return [String(s.body.interactive.body.text)];
      return [];
    });
  }

  /** Resolves when `check` holds, re-checked on every call received; rejects after `ms`. */
  until(check: () => boolean, ms = 10_000): Promise<void> {
    if (check()) return Promise.resolve();
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.waiters = this.waiters.filter((w) => w !== waiter);
        reject(new Error(`condition not met within ${ms} ms`));
      }, ms);
      const waiter = () => {
        if (!check()) return;
        clearTimeout(timer);
        this.waiters = this.waiters.filter((w) => w !== waiter);
        resolve();
      };
      this.waiters.push(waiter);
    });
  }

  private wake(): void {
    for (const waiter of [...this.waiters]) waiter();
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const json = (status: number, body: unknown) => {
      res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));
      this.wake();
    };
    const error = (status: number, code: number, message: string) =>
      json(status, { error: { message, type: 'OAuthException', code, fbtrace_id: 'AbCdEf' } });
    if (req.headers.authorization !== `Bearer ${TOKEN}`)
      return error(401, 190, 'Error validating access token: Session has expired');
    const path = (req.url ?? '').split('?')[0];
    if (req.method === 'GET' && path === `/v21.0/${PHONE_ID}`)
      return json(200, { id: PHONE_ID, quality_rating: 'GREEN' });
    if (req.method !== 'POST' || path !== `/v21.0/${PHONE_ID}/messages`)
      return error(400, 100, 'Unsupported request');
    const body = JSON.parse(Buffer.concat(chunks).toString('utf8'));
    if (body.status === 'read') {
      this.reads.push(String(body.message_id));
      return json(200, { success: true });
    }
    const to = String(body.to);
    const fault = this.faults.find((f) => f.times > 0 && (f.to === undefined || f.to === to));
    if (fault) {
      fault.times--;
      this.refused.push({ to, code: fault.code });
      if (fault.code !== undefined) return error(fault.status, fault.code, `(#${fault.code}) injected`);
      res.writeHead(fault.status).end();
      this.wake();
      return;
    }
    this.sent.push({ to, type: String(body.type), body, at: Date.now() });
    return json(200, {
      messaging_product: 'whatsapp',
      contacts: [{ input: to, wa_id: to }],
      messages: [{ id: `wamid.out.${this.nextId++}` }],
    });
  }
}
