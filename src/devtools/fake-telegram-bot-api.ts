import {
  Agent,
  type ClientRequest,
  createServer,
  type IncomingMessage,
  request,
  type Server,
  type ServerResponse,
} from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * A fake Telegram Bot API server on 127.0.0.1, enough for telegraf: getMe, getUpdates (long
 * poll), sendMessage, sendLocation, sendVenue, answerCallbackQuery, setMyCommands, setWebhook,
 * deleteWebhook. It records every call and can inject faults (4xx such as 401 and 409, 429, 5xx, dropped connections).
 * A development tool: the Telegram tests and `npm run bench -- telegram` use it; the bot never does.
 *
 * Updates are kept until confirmed, as Telegram keeps them: by a getUpdates whose offset passes
 * them, or, once setWebhook named a loopback URL, by a 2xx answer to their POST (redelivered
 * after an error). That is what lets a test kill the bot at any moment and count what was lost.
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
/** Telegram's default and largest getUpdates batch. */
const MAX_LIMIT = 100;
/** Telegram's default max_connections for a webhook. */
const WEBHOOK_CONNECTIONS = 40;

export interface WebhookDelivery {
  updateId: number;
  /** The HTTP status of the answer, or 'error' (refused, reset, timed out). */
  status: number | 'error';
  at: number;
}

export interface FakeBotApiOptions {
  /** Webhook: wait after a failed delivery before the update is posted again (Telegram waits longer). */
  webhookRetryMs?: number;
  /** Webhook: a delivery not answered within this long counts as failed. */
  webhookTimeoutMs?: number;
}

export class FakeBotApi {
  readonly calls: Call[] = [];
  readonly faults: Fault[] = [];
  /** Unconfirmed updates, as sent (a test and the telegram bench reach in here by this name). */
  private readonly updates: Record<string, unknown>[] = [];
  /** Webhook: an update that failed is not posted again before this time (ms since epoch). */
  private readonly retryAt = new WeakMap<object, number>();
  private waiters: (() => void)[] = [];
  private nextUpdate = 1;
  private nextMessage = 1;
  private server: Server | undefined;
  /** Handled requests by method, faults included. */
  readonly hits = new Map<string, number>();
  /** Every webhook POST and how it ended, in order of completion. */
  readonly deliveries: WebhookDelivery[] = [];
  private webhook: { url: URL; secret: string | undefined; connections: number } | undefined;
  private readonly inFlight = new Map<number, ClientRequest>();
  private readonly chatsInFlight = new Set<number>();
  private retryTimer: NodeJS.Timeout | undefined;
  private agent: Agent | undefined;
  private stopped = false;
  private readonly webhookRetryMs: number;
  private readonly webhookTimeoutMs: number;

  constructor(
    readonly token = '123456:TEST-token-for-the-fake-api-000',
    options: FakeBotApiOptions = {},
  ) {
    this.webhookRetryMs = options.webhookRetryMs ?? 200;
    this.webhookTimeoutMs = options.webhookTimeoutMs ?? 10_000;
  }

  async start(): Promise<string> {
    this.server = createServer((req, res) => void this.handle(req, res));
    const server = this.server;
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  }

  async stop(): Promise<void> {
    this.stopped = true;
    this.stopDelivering();
    for (const wake of this.waiters.splice(0)) wake();
    const server = this.server;
    if (!server) return;
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }

  /** Queues an update for getUpdates (or the webhook); returns its update_id. */
  push(update: Record<string, unknown>): number {
    const update_id = this.nextUpdate++;
    this.updates.push({ update_id, ...update });
    for (const wake of this.waiters.splice(0)) wake();
    this.deliver();
    return update_id;
  }

  /** Updates not yet confirmed (by a getUpdates offset past them, or a 2xx from the webhook). */
  pending(): number {
    return this.updates.length;
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
        // as on Telegram: no polling while a webhook is set
        if (this.webhook)
          return reply(409, {
            ok: false,
            error_code: 409,
            description:
              "Conflict: can't use getUpdates method while webhook is active; use deleteWebhook to delete the webhook first",
          });
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
      case 'setWebhook':
        this.setWebhook(body);
        return reply(200, { ok: true, result: true });
      case 'deleteWebhook':
        this.stopDelivering();
        this.webhook = undefined;
        if (body.drop_pending_updates === true) this.updates.splice(0);
        return reply(200, { ok: true, result: true });
      case 'answerCallbackQuery':
      case 'setMyCommands':
        return reply(200, { ok: true, result: true });
      default:
        return reply(404, { ok: false, error_code: 404, description: `Not Found: method ${method}` });
    }
  }

  /** getUpdates: what is at or after `offset`, waiting a bounded while for something to arrive. */
  private async poll(body: Record<string, unknown>): Promise<unknown[]> {
    const offset = Number(body.offset ?? 0);
    const limit = Math.min(MAX_LIMIT, Math.max(1, Number(body.limit ?? MAX_LIMIT)));
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

  private setWebhook(body: Record<string, unknown>): void {
    this.stopDelivering();
    const url = new URL(String(body.url));
    const secret = typeof body.secret_token === 'string' ? body.secret_token : undefined;
    const connections = Number(body.max_connections ?? WEBHOOK_CONNECTIONS);
    this.webhook = { url, secret, connections };
    this.agent = new Agent({ keepAlive: true, maxSockets: connections });
    if (body.drop_pending_updates === true) this.updates.splice(0);
    this.deliver();
  }

  /**
   * Posts what is pending to the webhook, as Telegram does: up to max_connections at once, an
   * update confirmed only by a 2xx answer and posted again later otherwise. Telegram does not
   * promise per-chat order over concurrent connections; here a chat has at most one update in
   * flight, in update_id order, so that a test can check the order of the answers.
   * Only loopback URLs are posted to: the fake never reaches beyond this machine.
   */
  private deliver(): void {
    const hook = this.webhook;
    if (!hook || this.stopped || !isLoopback(hook.url)) return;
    const now = Date.now();
    const blocked = new Set<number>(); // chats with an earlier update pending: theirs waits
    let nextRetry = Number.POSITIVE_INFINITY;
    for (const update of this.updates) {
      if (this.inFlight.size >= hook.connections) break;
      const chat = chatOf(update);
      if (chat !== undefined && (blocked.has(chat) || this.chatsInFlight.has(chat))) {
        blocked.add(chat);
        continue;
      }
      if (chat !== undefined) blocked.add(chat);
      if (this.inFlight.has(Number(update.update_id))) continue;
      const retryAt = this.retryAt.get(update) ?? 0;
      if (retryAt > now) {
        nextRetry = Math.min(nextRetry, retryAt);
        continue;
      }
      this.post(hook, update, chat);
    }
    if (nextRetry !== Number.POSITIVE_INFINITY && !this.retryTimer) {
      this.retryTimer = setTimeout(
        () => {
          this.retryTimer = undefined;
          this.deliver();
        },
        Math.max(1, nextRetry - now),
      );
    }
  }

  private post(
    hook: NonNullable<FakeBotApi['webhook']>,
    update: Record<string, unknown>,
    chat?: number,
  ): void {
    const updateId = Number(update.update_id);
    const body = JSON.stringify(update);
    const headers: Record<string, string | number> = {
      'content-type': 'application/json',
      'content-length': Buffer.byteLength(body),
    };
    if (hook.secret !== undefined) headers['x-telegram-bot-api-secret-token'] = hook.secret;
    let done = false;
    const finish = (status: number | 'error') => {
      if (done) return;
      done = true;
      // a request ended by stopDelivering() no longer owns its slot (a newer one may)
      if (this.inFlight.get(updateId) !== req) return;
      this.inFlight.delete(updateId);
      if (chat !== undefined) this.chatsInFlight.delete(chat);
      if (this.stopped || this.webhook !== hook) return;
      this.deliveries.push({ updateId, status, at: Date.now() });
      if (typeof status === 'number' && status >= 200 && status < 300) {
        const at = this.updates.indexOf(update);
        if (at >= 0) this.updates.splice(at, 1);
      } else this.retryAt.set(update, Date.now() + this.webhookRetryMs);
      this.deliver();
    };
    const req = request(
      hook.url,
      { method: 'POST', headers, agent: this.agent, timeout: this.webhookTimeoutMs },
      (res) => {
        res.resume();
        res.on('end', () => finish(res.statusCode ?? 0));
        res.on('error', () => finish('error'));
      },
    );
    req.on('timeout', () => req.destroy());
    req.on('error', () => finish('error'));
    this.inFlight.set(updateId, req);
    if (chat !== undefined) this.chatsInFlight.add(chat);
    req.end(body);
  }

  /** Ends webhook delivery: the retry timer, the requests in flight and their connections. */
  private stopDelivering(): void {
    clearTimeout(this.retryTimer);
    this.retryTimer = undefined;
    for (const req of this.inFlight.values()) req.destroy();
    this.inFlight.clear();
    this.chatsInFlight.clear();
    this.agent?.destroy();
    this.agent = undefined;
  }
}

/** The chat an update belongs to (message, edited message, button), for per-chat ordering. */
function chatOf(update: Record<string, unknown>): number | undefined {
  type WithChat = { chat?: { id?: unknown } } | undefined;
  const callback = update.callback_query as { message?: WithChat } | undefined;
  const message = (update.message ?? update.edited_message ?? callback?.message) as WithChat;
  const id = message?.chat?.id;
  return typeof id === 'number' ? id : undefined;
}

const isLoopback = (url: URL) => ['127.0.0.1', 'localhost', '[::1]'].includes(url.hostname);
