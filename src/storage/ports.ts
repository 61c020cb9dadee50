import type { Option } from '../core/messages.js';
import type { Session } from '../core/session.js';

/** Adapters may answer at once (memory, SQLite) or later (a network database): both are fine. */
export type MaybePromise<T> = T | Promise<T>;

/**
 * One chat's stored state: the core's session and what the runner keeps around it. Keyed by a
 * salted hash of channel and user id (see keys.ts): no adapter ever sees a raw id.
 */
export interface ChatRecord {
  session: Session;
  /** The options the last answer offered, so "2" or "sí" picks one on channels that number them. */
  offered?: Option[];
  /** Hashes of the latest inbound message ids with the time they arrived: a redelivery is answered once. */
  seen?: [id: string, at: number][];
  /** The time of the person's latest message (its own time, ms): dialogs and context expire after a silence. */
  updatedAt: number;
  /** Incremented by every write: a write that expected another version lost a race with another writer. */
  version: number;
}

/** What a conditional read answers when the caller's copy is current. */
export const UNCHANGED = 'unchanged';

export interface RecordWrite {
  key: string;
  record: ChatRecord;
  /** The version the writer read; undefined when it found no record. */
  expected: number | undefined;
}

/**
 * Where chat records live. Writes come in batches (one transaction where the store has them); a
 * write whose stored version is no longer `expected` is refused and its key returned, so two
 * replicas never silently overwrite each other's newer state.
 */
export interface SessionStorage {
  /**
   * The stored record, or UNCHANGED when its version is still `known` (the caller holds that
   * version already parsed: a conditional read, like HTTP's If-None-Match).
   */
  read(key: string, known?: number): MaybePromise<ChatRecord | undefined | typeof UNCHANGED>;
  writeMany(writes: readonly RecordWrite[]): MaybePromise<string[]>;
}

/** Counts added together, per Mexico City day. No ids, no raw text (missed texts are redacted). */
export interface StatsBatch {
  messages: [day: string, channel: string, lang: string, intent: string, count: number][];
  missed: [day: string, lang: string, text: string, count: number][];
  /** The user hash is the same salted hash as the session key: counted once per person and code. */
  referrals: [userHash: string, code: string, channel: string, day: string][];
}

/** A range of Mexico City dates, both ends included (YYYY-MM-DD); an open end takes everything. */
export interface DayRange {
  from?: string;
  to?: string;
}

export interface MessageRow {
  day: string;
  channel: string;
  lang: string;
  intent: string;
  messages: number;
}

export interface ReferralRow {
  day: string;
  code: string;
  channel: string;
  people: number;
}

export interface MissedRow {
  text: string;
  lang: string;
  count: number;
}

/**
 * Everything the statistics hold for a range, and nothing else: counts, promoter codes and the
 * redacted text of questions the bot did not understand. No table the report reads has an id in it.
 */
export interface Report {
  range: DayRange;
  messages: MessageRow[];
  referrals: ReferralRow[];
  /** Deduplicated over the range, most frequent first. */
  missed: MissedRow[];
}

export interface StatsStorage {
  add(batch: StatsBatch): MaybePromise<void>;
  report(range: DayRange, limits?: { missed?: number }): MaybePromise<Report>;
}
