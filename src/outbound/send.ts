import type { Reply } from '../core/messages.js';
import type { Lang } from '../nlu/index.js';
import type { SendOptions, SendPort } from '../runner/runner.js';
import {
  type ChannelLimits,
  OutboundScheduler,
  type SchedulerEvents,
  type SendFailure,
} from './scheduler.js';

/**
 * What a channel gives the send port: how its platform shows replies and takes them, and its
 * limits as data. Rendering happens when a reply is queued, so the queue holds small, final calls.
 */
export interface Sender<Op> {
  readonly channel: string;
  readonly limits: ChannelLimits;
  render(replies: readonly Reply[], lang: Lang): Op[];
  deliver(chatId: string, op: Op): Promise<unknown>;
  classify(err: unknown): SendFailure;
}

/**
 * Replies waiting this long with none sent meanwhile make /healthz say the outbox is stuck (the
 * platform refuses everything, or the network is gone). Longer than Telegram's usual retry_after.
 */
export const STUCK_MS = 120_000;

export interface OutboundLog {
  info(obj: object, msg: string): void;
  warn(obj: object, msg: string): void;
}

/**
 * The send port: `send(channel, chatId, replies)` from a conversation or from anywhere else
 * (reminders), through one scheduler per channel with that platform's limits.
 */
export class Outbound implements SendPort {
  private readonly channels = new Map<
    string,
    {
      send(chatId: string, replies: readonly Reply[], options: SendOptions): void;
      scheduler: OutboundScheduler<unknown>;
      /** The last time a send succeeded, or replies started waiting in an idle queue. */
      progressAt: number;
    }
  >();

  private blockedListener: ((channel: string, chatId: string) => void) | undefined;

  constructor(
    private readonly log?: OutboundLog,
    private readonly clock: () => number = Date.now,
  ) {}

  /** Told when a person has blocked the bot (the durable outbox remembers it across restarts). */
  onBlocked(listener: (channel: string, chatId: string) => void): void {
    this.blockedListener = listener;
  }

  /** For /healthz: not ok while a channel has had replies waiting for STUCK_MS with none sent. */
  health(): { ok: boolean; detail?: string } {
    const now = this.clock();
    for (const [channel, { scheduler, progressAt }] of this.channels) {
      const { queued, inFlight } = scheduler.stats();
      if (queued + inFlight > 0 && now - progressAt > STUCK_MS)
        return {
          ok: false,
          detail: `${channel}: ${queued + inFlight} replies waiting, none sent for ${Math.round((now - progressAt) / 1000)} s`,
        };
    }
    return { ok: true };
  }

  register<Op>(sender: Sender<Op>, events: SchedulerEvents = {}): OutboundScheduler<Op> {
    const log = this.log;
    const scheduler = new OutboundScheduler<Op>(
      sender.limits,
      async (chatId, op) => {
        const result = await sender.deliver(chatId, op);
        entry.progressAt = this.clock();
        return result;
      },
      (err) => sender.classify(err),
      {
        onDropped: (_chat, failure) =>
          log?.warn({ channel: sender.channel, failure }, 'a reply was given up'),
        onShed: (_chat, count) =>
          log?.warn({ channel: sender.channel, count }, 'outbound backlog full: oldest replies shed'),
        ...events,
        onBlocked: (chat) => {
          log?.info({ channel: sender.channel }, 'a person blocked the bot: their replies stop');
          events.onBlocked?.(chat);
          this.blockedListener?.(sender.channel, chat);
        },
      },
    );
    const entry = {
      scheduler: scheduler as OutboundScheduler<unknown>,
      progressAt: this.clock(),
      send: (chatId: string, replies: readonly Reply[], options: SendOptions) => {
        const { queued, inFlight } = scheduler.stats();
        if (queued + inFlight === 0) entry.progressAt = this.clock();
        const enqueue: { urgent: boolean; onDone?: () => void } = { urgent: options.urgent ?? false };
        if (options.onDone) enqueue.onDone = options.onDone;
        scheduler.enqueue(chatId, sender.render(replies, options.lang), enqueue);
      },
    };
    this.channels.set(sender.channel, entry);
    return scheduler;
  }

  send(channel: string, chatId: string, replies: readonly Reply[], options: SendOptions): void {
    const target = this.channels.get(channel);
    if (!target) throw new Error(`no channel "${channel}" to send with`);
    // A person who writes again has unblocked the bot (or never had blocked it): replies may go again.
    if (options.answering) target.scheduler.unblock(chatId);
    target.send(chatId, replies, options);
  }

  has(channel: string): boolean {
    return this.channels.has(channel);
  }

  /** A channel's scheduler (for counters and tests). */
  scheduler(channel: string): OutboundScheduler<unknown> | undefined {
    return this.channels.get(channel)?.scheduler;
  }

  /** Waits for queued replies to go out (graceful shutdown), at most `timeoutMs`; false if some were left. */
  async drain(timeoutMs?: number): Promise<boolean> {
    const results = await Promise.all([...this.channels.values()].map((c) => c.scheduler.drain(timeoutMs)));
    return results.every(Boolean);
  }

  close(): void {
    for (const c of this.channels.values()) c.scheduler.close();
  }
}
