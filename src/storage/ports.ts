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
 * A reply owed to someone (the durable outbox): written in the same transaction as the session
 * change that produced it, removed once sent, and sent again by the next start if still there.
 */
export interface OutboxRow {
  channel: string;
  /** The chat id sealed (encrypted) with a key from the salt: no store holds a phone number. */
  chat: string;
  /** What to send, as JSON (the replies, their language, whether urgent): the runner's business. */
  body: string;
  /** When it was decided (ms): rows too old to be worth sending are dropped at start. */
  at: number;
}

export interface StoredOutboxRow extends OutboxRow {
  /** Assigned by the store, increasing: the order in which rows were written. */
  id: number;
}

export interface OutboxChange {
  add: readonly OutboxRow[];
  /** Ids of rows that were sent (or given up). */
  remove: readonly number[];
}

export interface WriteResult {
  /** Keys whose write was refused (another writer changed them first). */
  refused: string[];
  /** The ids given to the added outbox rows, in their order. */
  added: number[];
}

/**
 * Where chat records live. Writes come in batches (one transaction where the store has them); a
 * write whose stored version is no longer `expected` is refused and its key returned, so two
 * replicas never silently overwrite each other's newer state. The outbox rows of the same batch
 * are written in the same transaction, whatever happened to the records.
 */
export interface SessionStorage {
  /**
   * The stored record, or UNCHANGED when its version is still `known` (the caller holds that
   * version already parsed: a conditional read, like HTTP's If-None-Match).
   */
  read(key: string, known?: number): MaybePromise<ChatRecord | undefined | typeof UNCHANGED>;
  writeMany(writes: readonly RecordWrite[], outbox?: OutboxChange): MaybePromise<WriteResult>;
  /** The outbox rows left, oldest first; those decided before `dropBefore` are deleted instead. */
  outbox(dropBefore: number): MaybePromise<{ rows: StoredOutboxRow[]; dropped: number }>;
  /**
   * Chats that blocked the bot, by channel and salted hash, so reminders skip them after a
   * restart too. Bounded: beyond `max` the longest-blocked are forgotten.
   */
  blockedChats(): MaybePromise<[channel: string, hash: string][]>;
  setBlocked(channel: string, hash: string, blocked: boolean, max: number): MaybePromise<void>;
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
