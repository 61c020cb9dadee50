import type { IncomingMessage } from '../core/messages.js';
import type { Intent, Lang } from '../nlu/index.js';
import { WriteBehind, type WriteBehindOptions } from '../runner/write-behind.js';
import { hashUser } from '../storage/keys.js';
import type { StatsBatch, StatsStorage } from '../storage/ports.js';
import { mexicoDay } from './day.js';
import { redactMissed } from './redact.js';

/**
 * What happened in one message, for statistics. `text` is given only for messages the bot did not
 * understand (or barely), so content editors can see what to add; nothing here is kept with an id.
 */
export interface TurnRecord {
  channel: string;
  userId: string;
  kind: IncomingMessage['kind'];
  lang: Lang;
  intent: Intent;
  confidence: number;
  at: Date;
  text?: string;
  /** A valid promoter code that started this chat (deep link or first message). */
  promoterCode?: string;
}

/** Observed messages after which pending counts are written even within one turn of the event loop. */
const FLUSH_EVERY = 1_000;
const SEP = '\u0000';

/**
 * The runner's observer: anonymous message counts per Mexico City day, channel, language and
 * intent; the redacted text of questions the bot did not understand; and referrals (who came
 * through which promoter's code, as a salted hash, once per person and code).
 *
 * observe() only adds to maps in memory (a few hundred nanoseconds). Counts are written together
 * on the next turn of the event loop or after 1,000 messages; a failed write keeps them and is
 * retried with backoff, so a busy database delays statistics and loses none.
 */
export class StatsRecorder {
  private counts = new Map<string, number>();
  private missed = new Map<string, number>();
  private referrals: StatsBatch['referrals'] = [];
  /** Messages observed since the last write: a full batch is written at once. */
  private observed = 0;
  /** Told when what was observed before they asked is written (see saved()). */
  private waiters: (() => void)[] = [];
  private writingWaiters: (() => void)[] | undefined;
  private readonly writer: WriteBehind;

  constructor(
    private readonly storage: StatsStorage,
    private readonly salt: string,
    options: Pick<WriteBehindOptions, 'onFailing' | 'onRecovered'> &
      Partial<Omit<WriteBehindOptions, 'onFailing' | 'onRecovered'>>,
  ) {
    this.writer = new WriteBehind(
      () => this.write(),
      () => this.observed,
      { batch: FLUSH_EVERY, backoffMs: 100, maxBackoffMs: 5_000, ...options },
    );
  }

  /** The observer (bound: pass it as is). */
  readonly observe = (record: TurnRecord): void => {
    const day = mexicoDay(record.at);
    const key = day + SEP + record.channel + SEP + record.lang + SEP + record.intent;
    this.counts.set(key, (this.counts.get(key) ?? 0) + 1);
    if (record.text !== undefined) {
      const text = redactMissed(record.text);
      if (text) {
        const missedKey = day + SEP + record.lang + SEP + text;
        this.missed.set(missedKey, (this.missed.get(missedKey) ?? 0) + 1);
      }
    }
    if (record.promoterCode) {
      const hash = hashUser(this.salt, record.channel, record.userId);
      this.referrals.push([hash, record.promoterCode, record.channel, day]);
    }
    this.observed++;
    this.writer.changed();
  };

  /** Writes everything pending now. Never rejects: statistics never cost an answer. */
  flush(): Promise<void> {
    return this.writer.flush();
  }

  /** Resolves when everything observed so far is written (channels acknowledge updates after it). */
  saved(): Promise<void> {
    if (this.observed > 0) return new Promise((resolve) => this.waiters.push(resolve));
    const writing = this.writingWaiters;
    if (writing) return new Promise((resolve) => writing.push(resolve));
    return Promise.resolve();
  }

  settle(deadline: number): Promise<boolean> {
    return this.writer.settle(deadline);
  }

  close(): void {
    this.writer.close();
  }

  private write(): void | Promise<void> {
    const { counts, missed, referrals, observed, waiters } = this;
    this.observed = 0;
    this.counts = new Map();
    this.missed = new Map();
    this.referrals = [];
    this.waiters = [];
    this.writingWaiters = waiters;
    const batch: StatsBatch = {
      messages: [...counts].map(([key, n]) => [...(key.split(SEP) as [string, string, string, string]), n]),
      missed: [...missed].map(([key, n]) => [...(key.split(SEP) as [string, string, string]), n]),
      referrals,
    };
    const restore = (err: unknown): never => {
      for (const [key, n] of counts) this.counts.set(key, (this.counts.get(key) ?? 0) + n);
      for (const [key, n] of missed) this.missed.set(key, (this.missed.get(key) ?? 0) + n);
      this.referrals.unshift(...referrals);
      this.observed += observed;
      this.waiters.unshift(...waiters);
      this.writingWaiters = undefined;
      throw err;
    };
    const written = () => {
      this.writingWaiters = undefined;
      for (const resolve of waiters) resolve();
    };
    try {
      const result = this.storage.add(batch);
      if (result instanceof Promise) return result.then(written, restore);
      written();
    } catch (err) {
      restore(err);
    }
  }
}
