import { createHmac } from 'node:crypto';
import { Session, type SessionStore } from '../core/session.js';
import type { Db } from './open.js';

/** A salted HMAC of channel and user id: the same person maps to the same row, and the id cannot be read back. */
export function hashUser(salt: string, channel: string, userId: string): string {
  return createHmac('sha256', salt).update(`${channel}\u0000${userId}`).digest('base64url');
}

/** Sessions in SQLite, so a restart in the middle of a dialog continues where it was. */
export class SqliteSessionStore implements SessionStore {
  private readonly select;
  private readonly upsert;

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
  }

  load(channel: string, userId: string): Session | undefined {
    const row = this.select.get(hashUser(this.salt, channel, userId));
    if (!row) return undefined;
    try {
      return Session.parse(JSON.parse(row.state));
    } catch (err) {
      // A row from an older or broken version: start that person afresh rather than fail.
      this.onCorrupt(err);
      return undefined;
    }
  }

  save(channel: string, userId: string, session: Session): void {
    this.upsert.run(hashUser(this.salt, channel, userId), JSON.stringify(session), Date.now());
  }
}
