import { createServer, type Server } from 'node:http';
import { type Context, Telegraf } from 'telegraf';
import type { CallbackQuery, Message } from 'telegraf/types';
import { adminReply } from '../../analytics/admin.js';
import type { Engine } from '../../core/engine.js';
import type { Translate } from '../../core/i18n.js';
import type { IncomingMessage, Reply } from '../../core/messages.js';
import type { Lang } from '../../nlu/index.js';
import { BoundedSet } from '../bounded.js';
import type { Channel } from '../channel.js';
import { OutboundQueue, type QueueLimits } from '../outbound-queue.js';
import { classifyTelegramError } from './errors.js';
import { TELEGRAM_LIMITS } from './limits.js';
import { renderReply, type TelegramOp } from './render.js';

export const CHANNEL = 'telegram';

export interface TelegramOptions {
  token: string;
  apiRoot: string;
  /** Webhook mode when set (Telegram posts updates here); long polling otherwise. */
  webhookUrl?: string;
  webhookSecret?: string;
  /** Port of the webhook server (also serving /healthz). */
  port: number;
  limits?: Partial<QueueLimits>;
}

export interface TelegramLog {
  info(msg: string): void;
  warn(obj: object, msg: string): void;
  error(obj: object, msg: string): void;
}

/** Update ids remembered to answer a redelivered update once. */
const SEEN_UPDATES = 10_000;
/** Kinds of message the bot cannot read, answered with a polite "text and locations only". */
const UNSUPPORTED = [
  'photo',
  'sticker',
  'voice',
  'audio',
  'document',
  'video',
  'video_note',
  'animation',
  'contact',
  'poll',
];

/** A message as the adapter reads it; answer() adds who sent it and when. */
type Incoming = WithoutSender<IncomingMessage>;
/** Omit, once per kind of message (a plain Omit would merge the kinds into one shape). */
type WithoutSender<M> = M extends unknown ? Omit<M, 'channel' | 'userId' | 'receivedAt'> : never;

/**
 * The Telegram adapter: telegraf updates become the core's messages, the core's replies become
 * Bot API calls through one paced, retrying outbound queue. It decides nothing about content.
 */
export class TelegramChannel implements Channel {
  readonly name = CHANNEL;
  readonly bot: Telegraf;
  readonly queue: OutboundQueue;
  private readonly seen = new BoundedSet(SEEN_UPDATES);
  private server: Server | undefined;
  private running: Promise<void> | undefined;

  constructor(
    private readonly engine: Engine,
    private readonly translate: (lang: Lang) => Translate,
    private readonly options: TelegramOptions,
    private readonly log: TelegramLog,
  ) {
    this.bot = new Telegraf(options.token, {
      telegram: { apiRoot: options.apiRoot, webhookReply: false },
      handlerTimeout: 30_000,
    });
    this.queue = new OutboundQueue({ ...TELEGRAM_LIMITS, ...options.limits }, classifyTelegramError, {
      onBlocked: () => this.log.info('a user blocked the bot: no more messages to that chat'),
      onDropped: (_chat, failure) => this.log.warn({ failure }, 'a reply was given up'),
    });
    this.register();
  }

  private register() {
    const bot = this.bot;
    // Telegraf's default rethrows and exits: one bad update must never stop the bot.
    bot.catch((err, ctx) => {
      this.log.error(
        { err: err instanceof Error ? err.name : String(err), update: ctx.updateType },
        'update failed',
      );
    });
    // One middleware for every kind of update: telegraf runs each use() and on() as an async
    // step of its own, with promises for the on() filter, on every update.
    bot.use((ctx) => {
      // A redelivered update (webhook retry, restart mid-batch) is answered once.
      if (!this.seen.add(String(ctx.update.update_id))) return;
      if (ctx.callbackQuery) return this.onButton(ctx as Context & { callbackQuery: CallbackQuery });
      const message = ctx.message ?? ctx.editedMessage;
      if (message) this.onMessage(message);
    });
  }

  private onButton(ctx: Context & { callbackQuery: CallbackQuery }) {
    const data = 'data' in ctx.callbackQuery ? ctx.callbackQuery.data : undefined;
    // Stop the button's spinner; failures here are cosmetic.
    ctx.answerCbQuery().catch(() => {});
    const chat = ctx.chat ?? ctx.callbackQuery.message?.chat;
    if (!data || !chat) return;
    this.answer(chat.id, this.userId(chat, ctx.callbackQuery.from.id), { kind: 'option', option: data });
  }

  private onMessage(message: Message) {
    const chat = message.chat;
    const user = this.userId(chat, message.from?.id ?? chat.id);
    const group = chat.type !== 'private';
    if ('location' in message && message.location) {
      if (group && !this.addressed(message)) return;
      this.answer(chat.id, user, {
        kind: 'location',
        location: { lat: message.location.latitude, lon: message.location.longitude },
      });
      return;
    }
    if ('text' in message && typeof message.text === 'string') {
      if (!group && this.adminReport(chat.id, message.text, message.from)) return; // [promoters]
      const incoming = this.fromText(message.text, group);
      if (!incoming || (group && !message.text.startsWith('/') && !this.addressed(message))) return;
      this.answer(chat.id, user, incoming);
      return;
    }
    if (group) return; // media in groups is conversation between people, not for the bot
    const what = UNSUPPORTED.find((k) => k in message) ?? 'other';
    this.answer(chat.id, user, { kind: 'unsupported', what });
  }

  /**
   * [promoters] /report from an admin (ADMIN_IDS: telegram:<user id>) in a private chat: the
   * statistics summary. From anyone else it is not handled here, so it stays an unknown command.
   */
  private adminReport(
    chatId: number,
    text: string,
    from: { id: number; language_code?: string } | undefined,
  ) {
    if (!from) return false;
    const lang = from.language_code?.startsWith('en') ? 'en' : 'es';
    const summary = adminReply(this.engine, { channel: CHANNEL, userId: String(from.id), text, lang });
    if (summary === undefined) return false;
    this.send(chatId, lang, [{ text: summary }]);
    return true;
  }

  /** In groups the bot answers commands, mentions and replies to it; in private, everything. */
  private addressed(message: object): boolean {
    const username = this.bot.botInfo?.username;
    const text = 'text' in message && typeof message.text === 'string' ? message.text : '';
    const replyTo =
      'reply_to_message' in message
        ? (message.reply_to_message as { from?: { id: number } } | undefined)
        : undefined;
    return (
      (!!username && text.includes(`@${username}`)) ||
      (replyTo?.from?.id !== undefined && replyTo.from.id === this.bot.botInfo?.id)
    );
  }

  /** Session key: the person in a private chat; the person within the group otherwise. */
  private userId(chat: { id: number; type: string }, from: number): string {
    return chat.type === 'private' ? String(chat.id) : `${chat.id}:${from}`;
  }

  /** Commands become the core's options or starts; other text goes to the core as is. */
  private fromText(raw: string, group: boolean): Incoming | undefined {
    const username = this.bot.botInfo?.username ?? '';
    const text = username ? raw.replaceAll(`@${username}`, '').trim() : raw.trim();
    const command = /^\/(\w+)(?:@\w+)?(?:\s+(.*))?$/s.exec(text);
    if (command) {
      const [, name, arg] = command;
      switch (name?.toLowerCase()) {
        case 'start':
          return { kind: 'start', payload: (arg ?? '').trim().slice(0, 64) };
        case 'help':
        case 'ayuda':
        case 'menu':
          return { kind: 'option', option: 'menu' };
        case 'idioma':
        case 'language':
          return { kind: 'option', option: 'lang' };
        default:
          return group ? undefined : { kind: 'text', text };
      }
    }
    return { kind: 'text', text };
  }

  /** Runs the core and queues its replies, in order, for this chat. */
  private answer(chatId: number, userId: string, incoming: Incoming): void {
    // Object.assign, not a spread: `{ ...incoming, channel }` takes V8 a slow path (~2 µs here), on every update.
    const outcome = this.engine.handle(
      Object.assign(incoming, { channel: CHANNEL, userId, receivedAt: new Date() }),
    );
    this.send(chatId, outcome.lang, outcome.replies);
  }

  /** Queues replies, in order, as Bot API calls for this chat. */
  private send(chatId: number, lang: Lang, replies: readonly Reply[]): void {
    const label = () => this.translate(lang)('channel.send_location');
    const chat = String(chatId);
    for (const reply of replies) {
      for (const op of renderReply(reply, label)) void this.queue.send(chat, () => this.call(chatId, op));
    }
  }

  private call(chatId: number, op: TelegramOp): Promise<unknown> {
    const tg = this.bot.telegram;
    switch (op.method) {
      case 'sendMessage':
        return tg.sendMessage(chatId, op.text, op.extra);
      case 'sendVenue':
        return tg.sendVenue(chatId, op.lat, op.lon, op.title, op.address);
      case 'sendLocation':
        return tg.sendLocation(chatId, op.lat, op.lon);
    }
  }

  /** /help, /idioma and /language in both languages, so the menu shows them in the user's language. */
  private async registerCommands(): Promise<void> {
    const tg = this.bot.telegram;
    const commands = (lang: Lang) => {
      const t = this.translate(lang);
      return ['start', 'help', 'idioma', 'language'].map((command) => ({
        command,
        description: t(`channel.commands.${command}`),
      }));
    };
    try {
      await Promise.all([
        tg.setMyCommands(commands('es'), { language_code: 'es' }),
        tg.setMyCommands(commands('en'), { language_code: 'en' }),
        tg.setMyCommands(commands('es')), // the default for everyone else
      ]);
    } catch (err) {
      // The command menu is a convenience: the bot answers without it, and it is set again at the next start.
      this.log.warn({ err: err instanceof Error ? err.message : String(err) }, 'command menu not registered');
    }
  }

  async start(): Promise<void> {
    this.bot.botInfo = await this.bot.telegram.getMe();
    // Registered while the bot already listens: after a restart, people are answered sooner.
    const commands = this.registerCommands();
    if (!this.options.webhookUrl) {
      // launch() resolves only when polling stops: keep it, and report a crash of the loop.
      this.running = this.bot.launch({ dropPendingUpdates: false }).catch((err: unknown) => {
        this.log.error({ err: err instanceof Error ? err.message : String(err) }, 'Telegram polling stopped');
      });
      this.log.info('Telegram: long polling');
      await commands;
      return;
    }
    const url = new URL(this.options.webhookUrl);
    const callback = this.bot.webhookCallback(url.pathname, { secretToken: this.options.webhookSecret });
    this.server = createServer((req, res) => {
      if (req.method === 'GET' && req.url === '/healthz') {
        res.writeHead(200, { 'content-type': 'text/plain' }).end('ok');
        return;
      }
      void callback(req, res, () => res.writeHead(req.url === url.pathname ? 403 : 404).end());
    });
    await new Promise<void>((resolve) => this.server?.listen(this.options.port, resolve));
    await this.bot.telegram.setWebhook(url.href, {
      ...(this.options.webhookSecret ? { secret_token: this.options.webhookSecret } : {}),
    });
    await commands;
    this.log.info(`Telegram: webhook on port ${this.port()}`);
  }

  /** The port the webhook server listens on (useful with port 0 in tests). */
  port(): number | undefined {
    const address = this.server?.address();
    return typeof address === 'object' && address ? address.port : undefined;
  }

  async stop(): Promise<void> {
    if (this.server) {
      const server = this.server;
      await new Promise<void>((resolve) => server.close(() => resolve()));
      this.server = undefined;
    } else if (this.running) {
      this.bot.stop('shutdown');
      await this.running;
      this.running = undefined;
    }
    // Replies already queued still go out: nobody's answer is lost in a restart.
    await this.queue.drain();
  }
}
