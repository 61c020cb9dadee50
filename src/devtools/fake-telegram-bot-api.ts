import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * A fake Telegram Bot API server on 127.0.0.1, enough for telegraf: getMe, getUpdates (long
 * poll), sendMessage, sendLocation, sendVenue, answerCallbackQuery, setMyCommands, setWebhook,
 * deleteWebhook. It records every call and can inject faults (4xx such as 401 and 409, 429, 5xx, dropped connections).
 * A development tool: the Telegram tests and `npm run bench -- telegram` use it; the bot never does.
 */
export interface Call {
  method: string;
  body: Record<string, unknown>;
  at: number;
}

export interface Fault {
  method: string;
  /** Only for this chat, when set. */
  chatId?: number;
  status: 400 | 401 | 403 | 404 | 409 | 429 | 500 | 502 | 'drop';
  retryAfter?: number;
  /** How many calls it affects. */
  times: number;
}

const BOT = { id: 4242, is_bot: true, first_name: 'VacunaBot', username: 'vacuna_test_bot' };
/** Longest a getUpdates call is held open here, whatever telegraf asks: tests stay fast. */
const MAX_POLL_MS = 1000;

export class FakeBotApi {
  readonly calls: Call[] = [];
  readonly faults: Fault[] = [];
  private readonly updates: Record<string, unknown>[] = [];
  private waiters: (() => void)[] = [];
  private nextUpdate = 1;
  private nextMessage = 1;
  private server: Server | undefined;
  /** Handled requests by method, faults included. */
  readonly hits = new Map<string, number>();

  constructor(readonly token = '123456:TEST-token-for-the-fake-api-000') {}

  async start(): Promise<string> {
    this.server = createServer((req, res) => void this.handle(req, res));
    const server = this.server;
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  }

  async stop(): Promise<void> {
    for (const wake of this.waiters.splice(0)) wake();
    const server = this.server;
    if (!server) return;
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }

  /** Queues an update for getUpdates; returns its update_id. */
  push(update: Record<string, unknown>): number {
    const update_id = this.nextUpdate++;
    this.updates.push({ update_id, ...update });
    for (const wake of this.waiters.splice(0)) wake();
    return update_id;
  }

  /** A private text message from a user (chat id = user id). */
  text(userId: number, text: string, extra: Record<string, unknown> = {}): number {
    return this.push({ message: this.message(userId, { text, ...extra }) });
  }

  message(userId: number, content: Record<string, unknown>, chat?: Record<string, unknown>) {
    return {
      message_id: this.nextMessage++,
      date: Math.floor(Date.now() / 1000),
      from: { id: userId, is_bot: false, first_name: 'Test', language_code: 'es' },
      chat: chat ?? { id: userId, type: 'private', first_name: 'Test' },
      ...content,
    };
  }

  /** Sends made to a chat (sendMessage, sendVenue, sendLocation), in order. */
  sent(chatId?: number): Call[] {
    return this.calls.filter(
      (c) =>
        ['sendMessage', 'sendVenue', 'sendLocation'].includes(c.method) &&
        (chatId === undefined || c.body.chat_id === chatId),
    );
  }

  /** Waits, bounded, until the condition holds. */
  async until(condition: () => boolean, timeoutMs = 10_000): Promise<void> {
    const end = Date.now() + timeoutMs;
    while (!condition()) {
      if (Date.now() > end) throw new Error('timed out waiting for the bot');
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
  }

  private async handle(req: IncomingMessage, res: ServerResponse) {
    const match = /^\/bot([^/]+)\/(\w+)/.exec(req.url ?? '');
    let raw = '';
    for await (const chunk of req) raw += chunk;
    const body = (raw ? JSON.parse(raw) : {}) as Record<string, unknown>;
    const reply = (status: number, payload: unknown) =>
      res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(payload));
    if (!match || match[1] !== this.token)
      return reply(401, { ok: false, error_code: 401, description: 'Unauthorized' });
    const method = match[2] as string;
    this.hits.set(method, (this.hits.get(method) ?? 0) + 1);

    const fault = this.faults.find(
      (f) => f.times > 0 && f.method === method && (f.chatId === undefined || f.chatId === body.chat_id),
    );
    if (fault) {
      fault.times--;
      if (fault.status === 'drop') return req.socket.destroy();
      const description = {
        400: 'Bad Request',
        401: 'Unauthorized',
        404: 'Not Found',
        409: 'Conflict: terminated by other getUpdates request; make sure that only one bot instance is running',
        429: 'Too Many Requests: retry after',
        403: 'Forbidden: bot was blocked by the user',
        500: 'Internal Server Error',
        502: 'Bad Gateway',
      }[fault.status];
      return reply(fault.status, {
        ok: false,
        error_code: fault.status,
        description,
        ...(fault.status === 429 ? { parameters: { retry_after: fault.retryAfter ?? 1 } } : {}),
      });
    }

    if (method !== 'getUpdates') this.calls.push({ method, body, at: Date.now() });
    switch (method) {
      case 'getMe':
        return reply(200, { ok: true, result: BOT });
      case 'getUpdates':
        return reply(200, { ok: true, result: await this.poll(body) });
      case 'sendMessage':
      case 'sendVenue':
      case 'sendLocation':
        return reply(200, {
          ok: true,
          result: {
            message_id: this.nextMessage++,
            date: Math.floor(Date.now() / 1000),
            chat: { id: body.chat_id, type: 'private' },
            ...body,
          },
        });
      case 'answerCallbackQuery':
      case 'setMyCommands':
      case 'setWebhook':
      case 'deleteWebhook':
        return reply(200, { ok: true, result: true });
      default:
        return reply(404, { ok: false, error_code: 404, description: `Not Found: method ${method}` });
    }
  }

  /** getUpdates: what is at or after `offset`, waiting a bounded while for something to arrive. */
  private async poll(body: Record<string, unknown>): Promise<unknown[]> {
    const offset = Number(body.offset ?? 0);
    const limit = Number(body.limit ?? 100);
    // confirmed updates are gone for good, as on Telegram
    while (this.updates.length && Number(this.updates[0]?.update_id) < offset) this.updates.shift();
    if (!this.updates.length) {
      const wait = Math.min(Number(body.timeout ?? 0) * 1000, MAX_POLL_MS);
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, wait);
        this.waiters.push(() => {
          clearTimeout(timer);
          resolve();
        });
      });
    }
    return this.updates.filter((u) => Number(u.update_id) >= offset).slice(0, limit);
  }
}
