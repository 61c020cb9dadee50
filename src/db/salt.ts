import { randomBytes } from 'node:crypto';
import { chmodSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { Db } from './open.js';

/** Where older versions kept the development salt: in the database, next to the hashes it protects. */
const LEGACY_KEY = 'local_hash_salt';
const FILE_NAME = 'hash-salt';
/** Readable by the bot's user only. */
const FILE_MODE = 0o600;

/** The development salt's file: next to the database, or var/ for an in-memory one. */
export function saltFileFor(dbPath: string): string {
  return dbPath === ':memory:' ? join('var', FILE_NAME) : join(dirname(dbPath), FILE_NAME);
}

/**
 * The salt used when HASH_SALT is unset (development only). It lives in its own file, mode 0600,
 * never in the database: a copy of the database given to someone for its statistics must not carry
 * the key to its hashes. A salt an older version stored in the database is moved
 * to the file once, so the hashes made with it still match, and wiped from the database.
 */
export function localSalt(db: Db, dbPath: string): string {
  const file = saltFileFor(dbPath);
  const legacy = db.prepare('SELECT value FROM meta WHERE key = ?').get(LEGACY_KEY) as
    | { value: string }
    | undefined;
  let salt = read(file);
  if (salt === undefined) {
    mkdirSync(dirname(file), { recursive: true });
    try {
      // 'wx': two processes starting at once must not each write their own salt.
      writeFileSync(file, `${legacy?.value ?? randomBytes(32).toString('base64url')}\n`, {
        mode: FILE_MODE,
        flag: 'wx',
      });
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
    }
    salt = read(file) as string;
  }
  chmodSync(file, FILE_MODE);
  if (legacy) wipeLegacy(db);
  return salt;
}

function read(file: string): string | undefined {
  try {
    const value = readFileSync(file, 'utf8').trim();
    return value || undefined;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw err;
  }
}

/** Deletes the old row so that no byte of it stays in the database file or its write-ahead log. */
function wipeLegacy(db: Db): void {
  const secure = db.pragma('secure_delete', { simple: true });
  db.pragma('secure_delete = ON');
  db.prepare('DELETE FROM meta WHERE key = ?').run(LEGACY_KEY);
  db.pragma(`secure_delete = ${secure ? 'ON' : 'OFF'}`);
  // The pages that held it are still in the log until a checkpoint copies the new ones over them.
  db.pragma('wal_checkpoint(TRUNCATE)');
}
