import type { TurnRecord } from '../core/engine.js';
import type { Db } from '../db/open.js';
import { hashUser } from '../db/sessions.js';
import { mexicoDay } from './day.js';
import { redactMissed } from './redact.js';

/** Observed messages after which pending counts are written even within one turn of the event loop. */
const FLUSH_EVERY = 1_000;
const SEP = '\u0000';

/**
 * The engine's observer (EngineDeps.observe): anonymous message counts per Mexico City day,
 * channel, language and intent; the redacted text of questions the bot did not understand; and
 * referrals (who came through which promoter's code, as a salted hash, once per person and code).
 *
 * observe() only adds to maps in memory (a few hundred nanoseconds): the engine stays fast. Pending
 * counts are written together in one transaction, like sessions: on the next turn of the event
 * loop, after 1,000 messages, or at flush() (App.close() calls it), whichever comes first.
 */
export class StatsRecorder {
  private counts = new Map<string, number>();
  private missed = new Map<string, number>();
  private referrals: [hash: string, code: string, channel: string, day: string][] = [];
  private pending = 0;
  private scheduled: NodeJS.Immediate | undefined;
  private readonly write: () => void;

  constructor(
    db: Db,
    private readonly salt: string,
    private readonly onError: (err: unknown) => void = () => {},
  ) {
    const addMessages = db.prepare<[string, string, string, string, number]>(
      `INSERT INTO stats_messages (day, channel, lang, intent, messages) VALUES (?, ?, ?, ?, ?)
       ON CONFLICT (day, channel, lang, intent) DO UPDATE SET messages = messages + excluded.messages`,
    );
    const addMissed = db.prepare<[string, string, string, number]>(
      `INSERT INTO stats_missed (day, lang, text, count) VALUES (?, ?, ?, ?)
       ON CONFLICT (day, lang, text) DO UPDATE SET count = count + excluded.count`,
    );
    const addReferral = db.prepare<[string, string, string, string]>(
      'INSERT OR IGNORE INTO referrals (user_hash, code, channel, day) VALUES (?, ?, ?, ?)',
    );
    const batch = db.transaction(
      (
        counts: Map<string, number>,
        missed: Map<string, number>,
        referrals: [string, string, string, string][],
      ) => {
        for (const [key, n] of counts) {
          const [day, channel, lang, intent] = key.split(SEP) as [string, string, string, string];
          addMessages.run(day, channel, lang, intent, n);
        }
        for (const [key, n] of missed) {
          const [day, lang, text] = key.split(SEP) as [string, string, string];
          addMissed.run(day, lang, text, n);
        }
        for (const r of referrals) addReferral.run(...r);
      },
    );
    this.write = () => {
      const { counts, missed, referrals } = this;
      this.counts = new Map();
      this.missed = new Map();
      this.referrals = [];
      this.pending = 0;
      batch(counts, missed, referrals);
    };
  }

  /** The observer to give the engine (bound: pass it as is). */
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
    if (++this.pending >= FLUSH_EVERY) this.flush();
    else this.scheduled ??= setImmediate(() => this.flush());
  };

  /** Writes everything pending now, in one transaction. Never throws: statistics never cost an answer. */
  flush(): void {
    if (this.scheduled) clearImmediate(this.scheduled);
    this.scheduled = undefined;
    if (!this.pending) return;
    try {
      this.write();
    } catch (err) {
      this.onError(err);
    }
  }
}
