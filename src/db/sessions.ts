import { createHmac } from 'node:crypto';
import { Session, type SessionStore } from '../core/session.js';
import type { Db } from './open.js';

/** A salted HMAC of channel and user id: the same person maps to the same row, and the id cannot be read back. */
export function hashUser(salt: string, channel: string, userId: string): string {
  return createHmac('sha256', salt).update(`${channel}\u0000${userId}`).digest('base64url');
}

/** Recently active people kept in memory: their hash and stored state, so most messages cost no query. */
const CACHE_SIZE = 10_000;

interface Cached {
  hash: string;
  /** The state as stored (JSON), or undefined when the person has no row yet. */
  state: string | undefined;
  /** The object last handed out or saved, so a load need not parse the state again. */
  session?: Session | undefined;
  /** Handed out by load() and not saved since: it may carry changes that were never saved. */
  lent?: boolean;
}

/** Changed sessions written together in one transaction once this many are waiting. */
const FLUSH_BATCH = 64;

/**
 * Sessions in SQLite, so a restart in the middle of a dialog continues where it was. This process
 * is the only writer, so a small cache in front is safe. A session is written only when it
 * changed, and changes are written together: on the next turn of the event loop, after 64
 * changes, or at close(), whichever comes first (a crash can lose at most that last batch).
 */
export class SqliteSessionStore implements SessionStore {
  private readonly select;
  private readonly upsert;
  private readonly writeBatch;
  private readonly cache = new Map<string, Cached>();
  private readonly dirty = new Map<string, string>();
  private flushScheduled: NodeJS.Immediate | undefined;
  /** The entry of the latest load(). */
  private loaded: { channel: string; userId: string; cached: Cached } | undefined;

  constructor(
    db: Db,
    private readonly salt: string,
    private readonly onCorrupt: (err: unknown) => void = () => {},
  ) {
    this.select = db.prepare<[string], { state: string }>('SELECT state FROM sessions WHERE user_hash = ?');
    this.upsert = db.prepare<[string, string, number]>(
      `INSERT INTO sessions (user_hash, state, updated_at) VALUES (?, ?, ?)
       ON CONFLICT (user_hash) DO UPDATE SET state = excluded.state, updated_at = excluded.updated_at`,
    );
    this.writeBatch = db.transaction((rows: [string, string][]) => {
      const now = Date.now();
      for (const [hash, state] of rows) this.upsert.run(hash, state, now);
    });
  }

  private entry(channel: string, userId: string): Cached {
    const key = `${channel}\u0000${userId}`;
    let cached = this.cache.get(key);
    if (cached) {
      // Map keeps insertion order: re-inserting marks it most recently used.
      this.cache.delete(key);
    } else {
      const hash = hashUser(this.salt, channel, userId);
      const row = this.select.get(hash);
      cached = { hash, state: row && this.validated(row.state) };
      if (this.cache.size >= CACHE_SIZE) this.cache.delete(this.cache.keys().next().value as string);
    }
    this.cache.set(key, cached);
    return cached;
  }

  private validated(state: string): string | undefined {
    try {
      // As parsed: a part stored by an older version (an old dialog) reads as its default, not as it was.
      return JSON.stringify(Session.parse(JSON.parse(state)));
    } catch (err) {
      // A row from an older or broken version: start that person afresh rather than fail.
      this.onCorrupt(err);
      return undefined;
    }
  }

  load(channel: string, userId: string): Session | undefined {
    const cached = this.entry(channel, userId);
    this.loaded = { channel, userId, cached };
    if (cached.state === undefined) return undefined;
    // The engine mutates what it gets. The object saved last time equals the stored state and is
    // handed out again; one lent and never saved (the message failed) is read afresh, so an
    // unsaved change never leaks into the next message.
    if (!cached.session || cached.lent) cached.session = JSON.parse(cached.state) as Session;
    cached.lent = true;
    return cached.session;
  }

  save(channel: string, userId: string, session: Session): void {
    // The engine saves what it just loaded: that entry is at hand, already marked as recently used.
    const loaded = this.loaded;
    const cached =
      loaded?.channel === channel && loaded.userId === userId ? loaded.cached : this.entry(channel, userId);
    cached.session = session;
    cached.lent = false;
    const state = JSON.stringify(session);
    if (state === cached.state) return;
    cached.state = state;
    this.dirty.set(cached.hash, state);
    if (this.dirty.size >= FLUSH_BATCH) this.flush();
    else this.flushScheduled ??= setImmediate(() => this.flush());
  }

  /** Writes every pending change now (called at close). */
  flush(): void {
    if (this.flushScheduled) clearImmediate(this.flushScheduled);
    this.flushScheduled = undefined;
    if (!this.dirty.size) return;
    const rows = [...this.dirty];
    this.dirty.clear();
    this.writeBatch(rows);
  }
}
