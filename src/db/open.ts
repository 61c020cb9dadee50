import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import Database from 'better-sqlite3';
import { migrations } from './migrations.js';

export type Db = Database.Database;

/**
 * How long a statement waits for another process's write lock before it fails with SQLITE_BUSY.
 * Waiting blocks the event loop: the bot passes a short wait (its writes are retried with backoff
 * anyway), the importer and other tools the default.
 */
export const BUSY_TIMEOUT_MS = 5_000;

/** Opens (creating it and its folder if needed) the SQLite file in WAL mode and migrates it. */
export function openDb(path: string, busyTimeoutMs = BUSY_TIMEOUT_MS): Db {
  if (path !== ':memory:') mkdirSync(dirname(path), { recursive: true });
  const db = new Database(path);
  db.pragma('journal_mode = WAL');
  // NORMAL is durable across application crashes in WAL mode; only an OS crash can lose the last commits.
  db.pragma('synchronous = NORMAL');
  db.pragma('foreign_keys = ON');
  // Migrations may wait as long as any tool; the bot's own statements then get their shorter wait.
  db.pragma(`busy_timeout = ${BUSY_TIMEOUT_MS}`);
  migrate(db);
  db.pragma(`busy_timeout = ${Math.max(0, Math.round(busyTimeoutMs))}`);
  return db;
}

export function migrate(db: Db): void {
  const current = db.pragma('user_version', { simple: true }) as number;
  for (const m of migrations) {
    if (m.version <= current) continue;
    db.transaction(() => {
      db.exec(m.sql);
      db.pragma(`user_version = ${m.version}`);
    })();
  }
}
