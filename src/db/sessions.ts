import {
  type OutboxChange,
  type RecordWrite,
  type SessionStorage,
  type StoredOutboxRow,
  UNCHANGED,
  type WriteResult,
} from '../storage/ports.js';
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
  private readonly outboxAdd;
  private readonly outboxRemove;
  private readonly outboxRead;
  private readonly outboxDrop;
  private readonly blockedRead;
  private readonly block;
  private readonly unblock;
  private readonly blockedTrim;

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
    this.outboxAdd = db.prepare<[string, string, string, number]>(
      'INSERT INTO outbox (channel, chat, body, created_at) VALUES (?, ?, ?, ?)',
    );
    this.outboxRemove = db.prepare<[number]>('DELETE FROM outbox WHERE id = ?');
    this.outboxRead = db.prepare<[], { id: number; channel: string; chat: string; body: string; at: number }>(
      'SELECT id, channel, chat, body, created_at AS at FROM outbox ORDER BY id',
    );
    this.outboxDrop = db.prepare<[number]>('DELETE FROM outbox WHERE created_at < ?');
    this.blockedRead = db.prepare<[], { channel: string; chat_hash: string }>(
      'SELECT channel, chat_hash FROM blocked_chats ORDER BY since',
    );
    this.block = db.prepare<[string, string, number]>(
      'INSERT OR REPLACE INTO blocked_chats (channel, chat_hash, since) VALUES (?, ?, ?)',
    );
    this.unblock = db.prepare<[string, string]>(
      'DELETE FROM blocked_chats WHERE channel = ? AND chat_hash = ?',
    );
    this.blockedTrim = db.prepare<[number]>(
      `DELETE FROM blocked_chats WHERE since <= (
         SELECT since FROM blocked_chats ORDER BY since DESC LIMIT 1 OFFSET ?)`,
    );
    this.batch = db.transaction((writes: readonly RecordWrite[], outbox: OutboxChange | undefined) => {
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
      const added: number[] = [];
      for (const row of outbox?.add ?? [])
        added.push(Number(this.outboxAdd.run(row.channel, row.chat, row.body, row.at).lastInsertRowid));
      for (const id of outbox?.remove ?? []) this.outboxRemove.run(id);
      return { refused, added };
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

  writeMany(writes: readonly RecordWrite[], outbox?: OutboxChange): WriteResult {
    return this.batch(writes, outbox);
  }

  outbox(dropBefore: number): { rows: StoredOutboxRow[]; dropped: number } {
    const dropped = this.outboxDrop.run(dropBefore).changes;
    return { rows: this.outboxRead.all(), dropped };
  }

  blockedChats(): [string, string][] {
    return this.blockedRead.all().map((r) => [r.channel, r.chat_hash]);
  }

  setBlocked(channel: string, hash: string, blocked: boolean, max: number): void {
    if (!blocked) {
      this.unblock.run(channel, hash);
      return;
    }
    this.block.run(channel, hash, Date.now());
    this.blockedTrim.run(max);
  }
}
