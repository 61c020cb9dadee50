/**
 * One outbound queue per channel: replies to one chat go out in order, paced per chat and overall
 * (platforms ban or drop bursts), and platform errors are retried or stop that chat, so a fault
 * never loses a reply silently nor takes the bot down.
 */

import { LruMap } from './bounded.js';
import { sleep } from './time.js';

/** What a failed send means, as decided by the channel that knows its platform's errors. */
export type SendFailure =
  | { kind: 'retry-after'; seconds: number } // rate limited: wait exactly that long (Telegram 429)
  | { kind: 'transient' } // 5xx, network: retry with backoff
  | { kind: 'blocked' } // the user blocked the bot (Telegram 403): stop sending to that chat
  | { kind: 'fatal' }; // a bad request: retrying cannot help

export interface QueueLimits {
  /** Per chat: sustained sends per second and the short burst allowed. */
  perChatPerSecond: number;
  perChatBurst: number;
  /** All chats together. */
  globalPerSecond: number;
  /** Attempts for one send before it is given up (and reported). */
  maxAttempts: number;
  /** First backoff for transient failures, doubled each attempt. */
  backoffMs: number;
  /** Longest single wait, whatever the platform asks. */
  maxWaitMs: number;
}

export interface QueueEvents {
  /** A send given up after its attempts, or refused as fatal. */
  onDropped?: (chat: string, failure: SendFailure['kind'], err: unknown) => void;
  onBlocked?: (chat: string) => void;
}

/** A token bucket: `rate` tokens a second, at most `burst` saved up. */
class Bucket {
  private tokens: number;
  private last = performance.now();
  constructor(
    private readonly rate: number,
    private readonly burst: number,
  ) {
    this.tokens = burst;
  }
  /** Milliseconds to wait before a token is available (0: take it now). */
  take(): number {
    const now = performance.now();
    this.tokens = Math.min(this.burst, this.tokens + ((now - this.last) / 1000) * this.rate);
    this.last = now;
    if (this.tokens >= 1) {
      this.tokens -= 1;
      return 0;
    }
    return ((1 - this.tokens) / this.rate) * 1000;
  }
}

/**
 * Pacing state is kept for the chats that sent most recently only. A chat pushed out has had no
 * send while this many others did, which at any global cap takes far longer than refilling its
 * bucket: a new, full bucket is what it would have had anyway.
 */
const PACED_CHATS = 10_000;

export class OutboundQueue {
  private readonly chains = new Map<string, Promise<void>>();
  private readonly buckets = new LruMap<Bucket>(PACED_CHATS);
  private readonly global: Bucket;
  private readonly blocked = new Set<string>();
  private pending = 0;
  private idle: (() => void)[] = [];

  constructor(
    private readonly limits: QueueLimits,
    private readonly classify: (err: unknown) => SendFailure,
    private readonly events: QueueEvents = {},
  ) {
    this.global = new Bucket(limits.globalPerSecond, limits.globalPerSecond);
  }

  isBlocked(chat: string): boolean {
    return this.blocked.has(chat);
  }

  /** Queues a send for a chat; resolves when it was sent, given up, or skipped (blocked chat). */
  send(chat: string, task: () => Promise<unknown>): Promise<void> {
    this.pending++;
    // Even a chat with nothing pending starts on a later microtask: a batch of updates is answered
    // first, then its sends go out (measured: starting HTTP requests between answers slows the answers).
    // run() never rejects: every failure is classified and handled inside it.
    const previous = this.chains.get(chat) ?? Promise.resolve();
    const next = previous
      .then(() => this.run(chat, task))
      .then(() => {
        if (this.chains.get(chat) === next) this.chains.delete(chat);
        if (--this.pending === 0) for (const resolve of this.idle.splice(0)) resolve();
      });
    this.chains.set(chat, next);
    return next;
  }

  /** Resolves once every queued send has finished (graceful shutdown). */
  drain(): Promise<void> {
    if (this.pending === 0) return Promise.resolve();
    return new Promise((resolve) => this.idle.push(resolve));
  }

  private bucket(chat: string): Bucket {
    let bucket = this.buckets.get(chat);
    if (!bucket) {
      bucket = new Bucket(this.limits.perChatPerSecond, this.limits.perChatBurst);
      this.buckets.set(chat, bucket);
    }
    return bucket;
  }

  private async run(chat: string, task: () => Promise<unknown>): Promise<void> {
    for (let attempt = 1; ; attempt++) {
      if (this.blocked.has(chat)) return;
      // This chat's pace, then everyone's. Most sends need no wait: no timer, no extra turn of the event loop.
      const bucket = this.bucket(chat);
      for (let wait = bucket.take(); wait > 0; wait = bucket.take()) await sleep(wait);
      for (let wait = this.global.take(); wait > 0; wait = this.global.take()) await sleep(wait);
      try {
        await task();
        return;
      } catch (err) {
        const failure = this.classify(err);
        if (failure.kind === 'blocked') {
          this.blocked.add(chat);
          this.events.onBlocked?.(chat);
          return;
        }
        if (failure.kind === 'fatal' || attempt >= this.limits.maxAttempts) {
          this.events.onDropped?.(chat, failure.kind, err);
          return;
        }
        const wait =
          failure.kind === 'retry-after'
            ? failure.seconds * 1000
            : this.limits.backoffMs * 2 ** (attempt - 1);
        await sleep(Math.min(wait, this.limits.maxWaitMs));
      }
    }
  }
}
