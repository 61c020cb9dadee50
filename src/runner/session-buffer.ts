import { LruMap } from '../bounded.js';
import {
  type ChatRecord,
  type MaybePromise,
  type OutboxRow,
  type RecordWrite,
  type SessionStorage,
  UNCHANGED,
  type WriteResult,
} from '../storage/ports.js';
import { WriteBehind, type WriteBehindOptions } from './write-behind.js';

/**
 * Records of recently active chats kept parsed, each with the version it was read or written at.
 * The store is still asked every time, but only whether that version is current (another replica
 * may have written since): parsing and validating a record cost ~13 µs a message in the engine
 * bench, which runs at ~13,000 messages/s without this and ~22,000 with it (measured).
 */
const PARSED = 10_000;

/** A reply owed, on its way into the outbox table and out of it. */
export interface OutboxItem {
  /** Until written: then only its id is kept (a backlog of queued replies holds no copies). */
  row: OutboxRow | undefined;
  /** Given by the store once written. */
  id?: number;
  /** It left the send queue: not written at all if that happened first, deleted otherwise. */
  done?: boolean;
}

/**
 * Chat records between the runner and their store: written behind, in batches, and retried while
 * the store is busy or down. A record not yet written is read from here, so the next message of
 * that person sees it even while the database refuses writes.
 *
 * The outbox goes the same way: a reply is written in the same batch (one transaction) as the
 * session change that produced it, and deleted in a later batch once sent. `saved()` tells a
 * channel when what it handed over is durable, so it acknowledges updates only then.
 */
export class SessionBuffer {
  private pending = new Map<string, RecordWrite>();
  /** Taken by a write still running (asynchronous stores): readable until it lands. */
  private writing = new Map<string, RecordWrite>();
  private adds: OutboxItem[] = [];
  private removes: number[] = [];
  /** Told when the pending batch is written; those of a running write wait in `writingWaiters`. */
  private waiters: (() => void)[] = [];
  private writingWaiters: (() => void)[] = [];
  private writingNow = false;
  private readonly parsed = new LruMap<ChatRecord>(PARSED);
  private readonly writer: WriteBehind;

  constructor(
    private readonly storage: SessionStorage,
    options: WriteBehindOptions,
    /** Records refused because another writer changed them first: theirs is kept. */
    private readonly onConflict: (count: number) => void = () => {},
  ) {
    this.writer = new WriteBehind(
      () => this.writeBatch(),
      () => this.pending.size + this.adds.length + this.removes.length,
      options,
    );
  }

  /** The chat's record. Callers must not change it (the engine works on a copy). */
  read(key: string): MaybePromise<ChatRecord | undefined> {
    const held = this.pending.get(key) ?? this.writing.get(key);
    if (held) return held.record;
    const known = this.parsed.get(key);
    const answer = this.storage.read(key, known?.version);
    return answer instanceof Promise
      ? answer.then((a) => this.current(key, known, a))
      : this.current(key, known, answer);
  }

  private current(
    key: string,
    known: ChatRecord | undefined,
    answer: ChatRecord | undefined | typeof UNCHANGED,
  ): ChatRecord | undefined {
    if (answer === UNCHANGED) return known;
    if (answer) this.parsed.set(key, answer);
    else if (known) this.parsed.delete(key);
    return answer;
  }

  /**
   * `expected`: the version the record had when it was read (undefined: there was none).
   * `owed`: the reply this change produced, written in the same transaction.
   */
  write(key: string, record: ChatRecord, expected: number | undefined, owed?: OutboxItem): void {
    // Several changes before a write: the store still holds the version the first one read.
    const earlier = this.pending.get(key);
    this.pending.set(key, { key, record, expected: earlier ? earlier.expected : expected });
    if (owed) this.adds.push(owed);
    this.writer.changed();
  }

  /** A reply owed outside a conversation (a reminder). */
  owe(item: OutboxItem): void {
    this.adds.push(item);
    this.writer.changed();
  }

  /** The reply left the send queue: its row goes (or is never written, if not written yet). */
  settled(item: OutboxItem): void {
    item.done = true;
    if (item.id === undefined) return;
    this.removes.push(item.id);
    this.writer.changed();
  }

  /**
   * Resolves when everything handed over so far is in the store: the moment a channel may
   * acknowledge the updates behind it. While the store refuses writes it waits (and retries).
   */
  saved(): Promise<void> {
    if (this.pending.size + this.adds.length > 0) return new Promise((resolve) => this.waiters.push(resolve));
    if (this.writingNow) return new Promise((resolve) => this.writingWaiters.push(resolve));
    return Promise.resolve();
  }

  flush(): Promise<void> {
    return this.writer.flush();
  }

  /** Writes everything before shutdown, retrying until `deadline`; false if something could not be written. */
  settle(deadline: number): Promise<boolean> {
    return this.writer.settle(deadline);
  }

  close(): void {
    this.writer.close();
  }

  get failing(): boolean {
    return this.writer.failing;
  }

  get waiting(): number {
    return this.pending.size;
  }

  private writeBatch(): void | Promise<void> {
    const batch = this.pending;
    // Replies already sent before their row was written need no row.
    const adds = this.adds.filter((item) => !item.done && item.row !== undefined);
    const rows = adds.map((item) => item.row as OutboxRow);
    const removes = this.removes;
    const waiters = this.waiters;
    this.pending = new Map();
    this.adds = [];
    this.removes = [];
    this.waiters = [];
    this.writing = batch;
    this.writingWaiters = waiters;
    this.writingNow = true;
    const restore = (err: unknown): never => {
      // Put the batch back under anything newer that arrived meanwhile (which keeps the older base).
      for (const [key, w] of batch) {
        const newer = this.pending.get(key);
        this.pending.set(key, newer ? { ...newer, expected: w.expected } : w);
      }
      this.adds.unshift(...adds);
      this.removes.unshift(...removes);
      this.waiters.unshift(...waiters);
      this.writing = new Map();
      this.writingWaiters = [];
      this.writingNow = false;
      throw err;
    };
    const done = ({ refused, added }: WriteResult) => {
      this.writing = new Map();
      this.writingWaiters = [];
      this.writingNow = false;
      for (const [i, item] of adds.entries()) {
        item.id = added[i];
        item.row = undefined;
        // Sent while its row was being written: delete it in the next batch.
        if (item.done && item.id !== undefined) this.removes.push(item.id);
      }
      for (const resolve of waiters) resolve();
      for (const [key, w] of batch) this.parsed.set(key, w.record);
      if (!refused.length) return;
      // Another writer got there first: its state wins, and newer changes built on ours go too.
      for (const key of refused) {
        this.pending.delete(key);
        this.parsed.delete(key);
      }
      this.onConflict(refused.length);
    };
    let result: WriteResult | Promise<WriteResult>;
    try {
      result = this.storage.writeMany([...batch.values()], {
        add: rows,
        remove: removes,
      });
    } catch (err) {
      return restore(err);
    }
    if (result instanceof Promise) return result.then(done, restore);
    done(result);
  }
}
