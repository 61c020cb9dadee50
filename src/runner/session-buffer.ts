import type { ChatRecord, MaybePromise, RecordWrite, SessionStorage } from '../storage/ports.js';
import { WriteBehind, type WriteBehindOptions } from './write-behind.js';

/**
 * Chat records between the runner and their store: written behind, in batches, and retried while
 * the store is busy or down. A record not yet written is read from here, so the next message of
 * that person sees it even while the database refuses writes.
 */
export class SessionBuffer {
  private pending = new Map<string, RecordWrite>();
  /** Taken by a write still running (asynchronous stores): readable until it lands. */
  private writing = new Map<string, RecordWrite>();
  private readonly writer: WriteBehind;

  constructor(
    private readonly storage: SessionStorage,
    options: WriteBehindOptions,
    /** Records refused because another writer changed them first: theirs is kept. */
    private readonly onConflict: (count: number) => void = () => {},
  ) {
    this.writer = new WriteBehind(
      () => this.writeBatch(),
      () => this.pending.size,
      options,
    );
  }

  read(key: string): MaybePromise<ChatRecord | undefined> {
    const held = this.pending.get(key) ?? this.writing.get(key);
    return held ? held.record : this.storage.read(key);
  }

  /** `expected`: the version the record had when it was read (undefined: there was none). */
  write(key: string, record: ChatRecord, expected: number | undefined): void {
    // Several changes before a write: the store still holds the version the first one read.
    const earlier = this.pending.get(key);
    this.pending.set(key, { key, record, expected: earlier ? earlier.expected : expected });
    this.writer.changed();
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
    this.pending = new Map();
    this.writing = batch;
    const restore = (err: unknown): never => {
      // Put the batch back under anything newer that arrived meanwhile (which keeps the older base).
      for (const [key, w] of batch) {
        const newer = this.pending.get(key);
        this.pending.set(key, newer ? { ...newer, expected: w.expected } : w);
      }
      this.writing = new Map();
      throw err;
    };
    const done = (refused: string[]) => {
      this.writing = new Map();
      if (!refused.length) return;
      // Another writer got there first: its state wins, and newer changes built on ours go too.
      for (const key of refused) this.pending.delete(key);
      this.onConflict(refused.length);
    };
    let result: string[] | Promise<string[]>;
    try {
      result = this.storage.writeMany([...batch.values()]);
    } catch (err) {
      return restore(err);
    }
    if (result instanceof Promise) return result.then(done, restore);
    done(result);
  }
}
