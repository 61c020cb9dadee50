import { type Context, Telegraf } from 'telegraf';
import type { CallbackQuery, Message } from 'telegraf/types';
import { readCommand } from '../../core/commands.js';
import type { Translate } from '../../core/i18n.js';
import type { IncomingMessage, Reply } from '../../core/messages.js';
import { ConfigError } from '../../errors.js';
import type { Health, HttpHost } from '../../http/host.js';
import type { Lang } from '../../nlu/index.js';
import type { ChannelLimits } from '../../outbound/scheduler.js';
import type { Outbound, Sender } from '../../outbound/send.js';
import type { ConversationRunner } from '../../runner/runner.js';
import type { Channel } from '../channel.js';
import { classifyTelegramError } from './errors.js';
import { TELEGRAM_LIMITS } from './limits.js';
import { type Backoff, fatalReason, type PollEnd, Poller, WRONG_TOKEN } from './polling.js';
import { renderReply, type TelegramOp } from './render.js';
import { telegramWebhook } from './webhook.js';

export const CHANNEL = 'telegram';

export interface TelegramOptions {
  token: string;
  apiRoot: string;
  /** Webhook mode when set (Telegram posts updates to it, on the shared HTTP host); long polling otherwise. */
  webhookUrl?: string;
  webhookSecret?: string;
  limits?: Partial<ChannelLimits>;
  /** Waits between failed getUpdates calls (tests shorten them). */
  pollBackoff?: Backoff;
}

export interface TelegramLog {
  info(msg: string): void;
  warn(obj: object, msg: string): void;
  error(obj: object, msg: string): void;
}

export interface TelegramDeps {
  runner: ConversationRunner;
  outbound: Outbound;
  /** Where the webhook route is mounted (webhook mode). */
  host?: HttpHost;
  translate: (lang: Lang) => Translate;
  log: TelegramLog;
}

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

/** A message as the adapter reads it; the runner adds who sent it and when. */
type Incoming = WithoutSender<IncomingMessage>;
/** Omit, once per kind of message (a plain Omit would merge the kinds into one shape). */
type WithoutSender<M> = M extends unknown ? Omit<M, 'channel' | 'userId' | 'receivedAt'> : never;

/**
 * The Telegram adapter: telegraf updates become the core's messages for the runner, and the
 * core's replies become Bot API calls through the send port's scheduler. It decides nothing.
 */
export class TelegramChannel implements Channel {
  readonly name = CHANNEL;
  readonly bot: Telegraf;
  private poller: Poller | undefined;
  private running: Promise<void> | undefined;
  private state: 'new' | 'running' | 'stopped' | 'failed' = 'new';
  private end: (end: PollEnd) => void = () => {};
  /** How polling ended (long polling only): main() stops the process with status 1 on a fatal end (factory.ts). */
  readonly finished = new Promise<PollEnd>((resolve) => {
    this.end = resolve;
  });

  constructor(
    private readonly options: TelegramOptions,
    private readonly deps: TelegramDeps,
  ) {
    this.bot = new Telegraf(options.token, {
      telegram: { apiRoot: options.apiRoot, webhookReply: false },
      handlerTimeout: 30_000,
    });
    this.register();
    deps.outbound.register(this.sender());
    if (deps.host) this.mount(deps.host);
  }

  private sender(): Sender<TelegramOp> {
    const label = (lang: Lang) => () => this.deps.translate(lang)('channel.send_location');
    return {
      channel: CHANNEL,
      limits: { ...TELEGRAM_LIMITS, ...this.options.limits },
      render: (replies: readonly Reply[], lang: Lang) => replies.flatMap((r) => renderReply(r, label(lang))),
      deliver: (chatId, op) => this.call(chatId, op),
      classify: classifyTelegramError,
    };
  }

  private register() {
    const bot = this.bot;
    // Telegraf's default rethrows and exits: one bad update must never stop the bot.
    bot.catch((err, ctx) => {
      this.deps.log.error(
        { err: err instanceof Error ? err.name : String(err), update: ctx.updateType },
        'update failed',
      );
    });
    // One middleware for every kind of update: telegraf runs each use() and on() as an async
    // step of its own, with promises for the on() filter, on every update.
    bot.use((ctx) => {
      const id = String(ctx.update.update_id);
      if (ctx.callbackQuery) return this.onButton(ctx as Context & { callbackQuery: CallbackQuery }, id);
      const message = ctx.message ?? ctx.editedMessage;
      if (message) return this.onMessage(message, id);
      return undefined;
    });
  }

  private onButton(ctx: Context & { callbackQuery: CallbackQuery }, updateId: string) {
    const data = 'data' in ctx.callbackQuery ? ctx.callbackQuery.data : undefined;
    // Stop the button's spinner; failures here are cosmetic.
    ctx.answerCbQuery().catch(() => {});
    const chat = ctx.chat ?? ctx.callbackQuery.message?.chat;
    if (!data || !chat) return;
    return this.answer(chat, ctx.callbackQuery.from.id, updateId, { kind: 'option', option: data });
  }

  private onMessage(message: Message, updateId: string) {
    const chat = message.chat;
    const from = message.from?.id ?? chat.id;
    const group = chat.type !== 'private';
    if ('location' in message && message.location) {
      if (group && !this.addressed(message)) return;
      return this.answer(chat, from, updateId, {
        kind: 'location',
        location: { lat: message.location.latitude, lon: message.location.longitude },
      });
    }
    if ('text' in message && typeof message.text === 'string') {
      const text = this.withoutMention(message.text);
      if (group) {
        // In groups: known commands, and messages that mention or reply to the bot.
        const command = text.startsWith('/');
        if (command ? !readCommand(text) : !this.addressed(message)) return;
      }
      return this.answer(chat, from, updateId, { kind: 'text', text });
    }
    if (group) return; // media in groups is conversation between people, not for the bot
    const what = UNSUPPORTED.find((k) => k in message) ?? 'other';
    return this.answer(chat, from, updateId, { kind: 'unsupported', what });
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

  private withoutMention(raw: string): string {
    const username = this.bot.botInfo?.username ?? '';
    return username ? raw.replaceAll(`@${username}`, '').trim() : raw.trim();
  }

  /**
   * Hands the message to the runner (session key: the person in a private chat, the person
   * within the group otherwise); the replies go to this chat through the durable outbox.
   */
  private async answer(
    chat: { id: number; type: string },
    from: number,
    updateId: string,
    incoming: Incoming,
  ) {
    const userId = chat.type === 'private' ? String(chat.id) : `${chat.id}:${from}`;
    // Object.assign, not a spread: `{ ...incoming, channel }` takes V8 a slow path (~2 µs here), on every update.
    const message = Object.assign(incoming, {
      channel: CHANNEL,
      userId,
      receivedAt: new Date(),
      messageId: updateId,
    }) as IncomingMessage;
    await this.deps.runner.receive(message, String(chat.id));
    // The update is acknowledged (next getUpdates offset, or the webhook's 200) when this returns:
    // only once its session change and replies are stored, so a crash cannot swallow it.
    await this.deps.runner.saved();
  }

  private call(chat: string, op: TelegramOp): Promise<unknown> {
    const tg = this.bot.telegram;
    // The send port keys chats by string; the Bot API's chat ids are integers.
    const chatId = Number(chat);
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
      const t = this.deps.translate(lang);
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
      this.deps.log.warn(
        { err: err instanceof Error ? err.message : String(err) },
        'command menu not registered',
      );
    }
  }

  /** Webhook mode: the route on the shared host (listening before start() sets the webhook). */
  private mount(host: HttpHost): void {
    if (!this.options.webhookUrl) return;
    const path = new URL(this.options.webhookUrl).pathname;
    host.route(
      'POST',
      path,
      telegramWebhook({
        ...(this.options.webhookSecret ? { secret: this.options.webhookSecret } : {}),
        handle: (update) => this.bot.handleUpdate(update),
        log: this.deps.log,
      }),
    );
  }

  async start(): Promise<void> {
    this.bot.botInfo = await this.getMe();
    // Registered while the bot already listens: after a restart, people are answered sooner.
    const commands = this.registerCommands();
    if (!this.options.webhookUrl) {
      // A webhook left set from another deployment would make every getUpdates answer 409.
      await this.bot.telegram.deleteWebhook({ drop_pending_updates: false });
      const poller = new Poller(
        this.bot.telegram,
        (update) => this.bot.handleUpdate(update),
        this.deps.log,
        this.options.pollBackoff,
      );
      this.poller = poller;
      this.running = poller.run().then((end) => {
        if (end.kind === 'fatal') {
          this.state = 'failed';
          this.deps.log.error({ detail: end.detail }, `Telegram polling stopped: ${end.reason}`);
        }
        this.end(end);
      });
      this.state = 'running';
      this.deps.log.info('Telegram: long polling');
      await commands;
      return;
    }
    const url = new URL(this.options.webhookUrl);
    await this.bot.telegram.setWebhook(url.href, {
      ...(this.options.webhookSecret ? { secret_token: this.options.webhookSecret } : {}),
    });
    this.state = 'running';
    await commands;
    this.deps.log.info(`Telegram: webhook at ${url.pathname}`);
  }

  /** getMe, with a wrong token reported as the configuration problem it is (one line, exit 1). */
  private async getMe() {
    try {
      return await this.bot.telegram.getMe();
    } catch (err) {
      const reason = fatalReason(err);
      if (reason === WRONG_TOKEN)
        throw new ConfigError(
          'TELEGRAM_BOT_TOKEN',
          `${reason} (Telegram answered ${(err as Error).message})`,
        );
      throw err;
    }
  }

  health(): Health {
    return this.state === 'running' ? { ok: true } : { ok: false, detail: this.state };
  }

  async stop(): Promise<void> {
    if (this.running) {
      this.poller?.stop();
      await this.running;
      this.running = undefined;
    }
    if (this.state === 'running') this.state = 'stopped';
  }
}
