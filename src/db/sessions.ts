import { type RecordWrite, type SessionStorage, UNCHANGED } from '../storage/ports.js';
import { parseRecord, serializeRecord } from '../storage/record.js';
import type { Db } from './open.js';

/**
 * Chat records in SQLite, so a restart in the middle of a dialog continues where it was. Every
 * read asks the file (another process may have written), and a batch of writes is one
 * transaction in which each row is written only if its version is still the one its writer read.
 */
export class SqliteSessionStorage implements SessionStorage {
  private readonly select;
  private readonly insert;
  private readonly update;
  private readonly batch;
  private readonly remove;

  constructor(
    db: Db,
    /** Told when a stored row cannot be read: that person starts afresh rather than failing. */
    private readonly onCorrupt: (err: unknown) => void = () => {},
  ) {
    // The text only when the caller's copy is not current: a conditional read then costs no string.
    this.select = db.prepare<
      [number | null, string],
      { state: string | null; version: number; updated_at: number }
    >(
      `SELECT version, updated_at, CASE WHEN version IS ? THEN NULL ELSE state END AS state
       FROM sessions WHERE user_hash = ?`,
    );
    this.insert = db.prepare<[string, string, number, number]>(
      `INSERT INTO sessions (user_hash, state, updated_at, version) VALUES (?, ?, ?, ?)
       ON CONFLICT (user_hash) DO NOTHING`,
    );
    this.update = db.prepare<[string, number, number, string, number]>(
      'UPDATE sessions SET state = ?, updated_at = ?, version = ? WHERE user_hash = ? AND version = ?',
    );
    this.remove = db.prepare<[string, number]>('DELETE FROM sessions WHERE user_hash = ? AND version = ?');
    this.batch = db.transaction((writes: readonly RecordWrite[]) => {
      const now = Date.now();
      const refused: string[] = [];
      for (const { key, record, expected } of writes) {
        const state = serializeRecord(record);
        const done =
          expected === undefined
            ? this.insert.run(key, state, now, record.version)
            : this.update.run(state, now, record.version, key, expected);
        if (done.changes === 0) refused.push(key);
      }
      return refused;
    });
  }

  read(key: string, known?: number) {
    const row = this.select.get(known ?? null, key);
    if (!row) return undefined;
    if (row.state === null) return UNCHANGED;
    try {
      return parseRecord(row.state, row.version, row.updated_at);
    } catch (err) {
      this.onCorrupt(err);
      // That person starts afresh: the unreadable row goes, so the next write may create theirs.
      this.remove.run(key, row.version);
      return undefined;
    }
  }

  writeMany(writes: readonly RecordWrite[]): string[] {
    return this.batch(writes);
  }
}
