import type { Translate } from '../../core/i18n.js';
import type { IncomingMessage, Reply } from '../../core/messages.js';
import { ConfigError } from '../../errors.js';
import type { Health, HttpHost } from '../../http/host.js';
import type { Lang } from '../../nlu/index.js';
import type { ChannelLimits } from '../../outbound/scheduler.js';
import type { Outbound, Sender } from '../../outbound/send.js';
import type { ChannelTraits, ConversationRunner } from '../../runner/runner.js';
import type { Channel } from '../channel.js';
import { describeError } from '../whatsapp/privacy.js';
import { GraphApi } from './api.js';
import {
  classifyCloudError,
  GRAPH_CODES,
  GraphApiError,
  isWindowError,
  OutsideWindowError,
} from './errors.js';
import {
  type CloudStatus,
  type CloudMessage as InMessage,
  readMessage,
  type WebhookPayload,
} from './inbound.js';
import { CLOUD_LIMITS } from './limits.js';
import { type CloudMessage, renderReplies, type Words } from './render.js';
import { cloudVerify, cloudWebhook } from './webhook.js';
import { ServiceWindow } from './window.js';

export const CHANNEL = 'whatsapp-cloud';
export const WEBHOOK_PATH = '/whatsapp/webhook';

/**
 * Buttons and lists carry their ids, but past 10 options the list is numbered text, and "2" must
 * pick one; a click-to-chat link only prefills "código PROMO-1" (no deep-link payload).
 */
export const TRAITS: ChannelTraits = { numbersOptions: true, promoterInText: true };

export interface CloudOptions {
  accessToken: string;
  phoneNumberId: string;
  appSecret: string;
  verifyToken: string;
  apiRoot: string;
  limits?: Partial<ChannelLimits>;
  /** How long a webhook's 200 may wait for its messages to be stored (tests shorten it). */
  ackWithinMs?: number;
}

export interface CloudLog {
  debug(obj: object, msg: string): void;
  info(obj: object, msg: string): void;
  warn(obj: object, msg: string): void;
  error(obj: object, msg: string): void;
}

export interface CloudDeps {
  runner: ConversationRunner;
  outbound: Outbound;
  host: HttpHost;
  translate: (lang: Lang) => Translate;
  log: CloudLog;
  /** A chat id (a phone number) as it may appear in logs: a short salted hash (whatsapp/privacy.ts). */
  tag: (chatId: string) => string;
  clock?: () => number;
}

/** Counters for /healthz details and tests. */
export interface CloudCounters {
  /** Free-form sends refused for the 24-hour window, by us or by Meta (131047). */
  outsideWindow: number;
  /** Status webhooks reporting a failed delivery. */
  failedStatuses: number;
}

/**
 * The WhatsApp Business Platform (Cloud API) adapter: signed webhooks in, Graph API calls out.
 * Messages become the core's messages for the runner; the replies are rendered as buttons, lists,
 * location requests and pins, and sent through the send port's scheduler. It decides nothing.
 */
export class CloudChannel implements Channel {
  readonly name = CHANNEL;
  readonly counters: CloudCounters = { outsideWindow: 0, failedStatuses: 0 };
  private readonly api: GraphApi;
  private readonly window = new ServiceWindow();
  private readonly now: () => number;
  private readonly loggedOnce = new Set<string>();
  private state: 'new' | 'running' | 'stopped' | 'token refused' = 'new';
  private accepting = true;

  constructor(
    private readonly options: CloudOptions,
    private readonly deps: CloudDeps,
  ) {
    this.now = deps.clock ?? Date.now;
    this.api = new GraphApi(options.apiRoot, options.phoneNumberId, options.accessToken);
    deps.runner.channel(CHANNEL, TRAITS);
    deps.outbound.register(this.sender(), {
      onDropped: (chat, failure, err) => this.dropped(chat, failure, err),
    });
    deps.host.route('GET', WEBHOOK_PATH, cloudVerify(options.verifyToken));
    deps.host.route(
      'POST',
      WEBHOOK_PATH,
      cloudWebhook({
        appSecret: options.appSecret,
        handle: (payload) => this.handle(payload),
        accepting: () => this.accepting,
        log: deps.log,
        ...(options.ackWithinMs !== undefined ? { ackWithinMs: options.ackWithinMs } : {}),
      }),
    );
  }

  private sender(): Sender<CloudMessage> {
    const words = (lang: Lang) => (): Words => {
      const t = this.deps.translate(lang);
      return {
        choose: t('channel.choose'),
        listButton: t('channel.list_button'),
        listSection: t('channel.list_section'),
      };
    };
    return {
      channel: CHANNEL,
      limits: { ...CLOUD_LIMITS, ...this.options.limits },
      render: (replies: readonly Reply[], lang: Lang) => renderReplies(replies, words(lang)),
      deliver: (chat, message) => this.deliver(chat, message),
      classify: classifyCloudError,
    };
  }

  private deliver(chat: string, message: CloudMessage): Promise<unknown> {
    // No template is configured yet: outside the window nothing may be sent (Meta would refuse it).
    if (this.window.closed(chat, this.now())) return Promise.reject(new OutsideWindowError());
    return this.api.send(chat, message).catch((err: unknown) => {
      if (err instanceof GraphApiError && err.code === GRAPH_CODES.TOKEN) this.state = 'token refused';
      throw err;
    });
  }

  private dropped(chat: string, failure: string, err: unknown): void {
    const fields = {
      chat: this.deps.tag(chat),
      failure,
      ...(err instanceof GraphApiError
        ? { status: err.status, code: err.code }
        : { error: describeError(err) }),
    };
    if (isWindowError(err)) {
      this.counters.outsideWindow++;
      this.deps.log.warn(
        fields,
        'not sent: more than 24 hours since the person wrote (no template configured)',
      );
      return;
    }
    this.deps.log.warn(fields, 'a WhatsApp Cloud reply was given up');
  }

  /**
   * One webhook payload: its messages handed to the runner in order (one person's stay in order),
   * status reports read. Resolves once the replies and sessions are stored; each message is then
   * marked read, so a crash before that leaves it unread and Meta's redelivery answers it.
   */
  async handle(payload: WebhookPayload): Promise<void> {
    const decided: Promise<unknown>[] = [];
    const read: string[] = [];
    for (const entry of payload.entry)
      for (const change of entry.changes) {
        if (change.field !== 'messages') continue;
        const { metadata, messages, statuses } = change.value;
        // One app may serve several numbers: each channel answers its own.
        if (metadata && metadata.phone_number_id !== this.options.phoneNumberId) {
          this.once('other number', {}, 'WhatsApp webhook for another phone number id: ignored');
          continue;
        }
        for (const status of statuses ?? []) this.status(status);
        for (const message of messages ?? []) {
          const incoming = this.toMessage(message);
          if (!incoming) continue;
          decided.push(this.deps.runner.receive(incoming, message.from));
          read.push(message.id);
        }
      }
    if (!decided.length) return;
    await Promise.all(decided);
    await this.deps.runner.saved();
    for (const id of read) void this.markRead(id);
  }

  private toMessage(message: InMessage): IncomingMessage | undefined {
    const inbound = readMessage(message);
    if (inbound.kind === 'ignore') return undefined;
    const now = this.now();
    // The window runs from when the person wrote (a redelivery days later must not reopen it).
    const sent = Number(message.timestamp) * 1000;
    this.window.wrote(message.from, Number.isFinite(sent) && sent > 0 ? Math.min(sent, now) : now);
    if (inbound.kind === 'unsupported')
      this.deps.log.debug({ chat: this.deps.tag(message.from), what: inbound.what }, 'unsupported message');
    // Object.assign, as the Telegram channel does: the wa_id is the user id, hashed before storage.
    return Object.assign(inbound, {
      channel: CHANNEL,
      userId: message.from,
      receivedAt: new Date(now),
      messageId: message.id,
    }) as IncomingMessage;
  }

  /** Delivery reports: a failure is logged with Meta's code and the chat's tag, never the number. */
  private status(status: CloudStatus): void {
    if (status.status !== 'failed') return;
    this.counters.failedStatuses++;
    const error = status.errors?.[0];
    if (error?.code === GRAPH_CODES.OUTSIDE_WINDOW) this.counters.outsideWindow++;
    this.deps.log.warn(
      {
        ...(status.recipient_id ? { chat: this.deps.tag(status.recipient_id) } : {}),
        code: error?.code,
        title: error?.title,
      },
      'WhatsApp reported a message not delivered',
    );
  }

  private async markRead(messageId: string): Promise<void> {
    try {
      await this.api.markRead(messageId);
    } catch (err) {
      // Cosmetic: the answer went (or is queued) anyway.
      this.deps.log.debug(
        err instanceof GraphApiError ? { status: err.status, code: err.code } : { error: describeError(err) },
        'could not mark a message read',
      );
    }
  }

  private once(kind: string, fields: object, msg: string): void {
    if (this.loggedOnce.has(kind)) return;
    this.loggedOnce.add(kind);
    this.deps.log.warn(fields, msg);
  }

  /** Checks the token and the phone number id once: a wrong one stops the bot with one line. */
  async start(): Promise<void> {
    try {
      await this.api.whoAmI();
    } catch (err) {
      if (err instanceof GraphApiError && (err.status === 401 || err.code === GRAPH_CODES.TOKEN))
        throw new ConfigError('WHATSAPP_CLOUD_ACCESS_TOKEN', `refused by the Graph API (${err.message})`);
      if (err instanceof GraphApiError && err.status < 500)
        throw new ConfigError('WHATSAPP_CLOUD_PHONE_NUMBER_ID', `refused by the Graph API (${err.message})`);
      // The network may come back: webhooks and sends retry on their own.
      this.deps.log.warn(
        { error: describeError(err) },
        'WhatsApp Cloud API not reachable at start; going on',
      );
    }
    this.state = 'running';
    this.deps.log.info({ path: WEBHOOK_PATH }, 'WhatsApp Cloud API: webhook ready');
  }

  health(): Health {
    if (this.state === 'running') return { ok: true };
    return { ok: false, detail: this.state };
  }

  /** Stops taking webhooks (answered 503, so Meta redelivers them to the next start). */
  async stop(): Promise<void> {
    this.accepting = false;
    if (this.state === 'running') this.state = 'stopped';
  }
}
