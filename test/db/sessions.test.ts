import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { migrations } from '../../src/db/migrations.js';
import { migrate, openDb } from '../../src/db/open.js';
import { SqliteSessionStorage } from '../../src/db/sessions.js';
import { hashUser } from '../../src/storage/keys.js';
import type { ChatRecord } from '../../src/storage/ports.js';
import { buildApp, Chat, tempDir } from '../harness.js';

let tmp: ReturnType<typeof tempDir>;
beforeEach(() => {
  tmp = tempDir();
});
afterEach(() => tmp.cleanup());

describe('SQLite storage', () => {
  it('creates the file and its folder, in WAL mode, at the latest schema version', () => {
    const db = openDb(`${tmp.dir}/nested/folder/bot.db`);
    expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
    const latest = migrations.at(-1)?.version;
    expect(latest).toBeGreaterThanOrEqual(4);
    expect(db.pragma('user_version', { simple: true })).toBe(latest);
    migrate(db); // idempotent
    expect(db.pragma('user_version', { simple: true })).toBe(latest);
    db.close();
  });

  it('keeps the language and promoter code of a session stored by an older version, dropping its old dialog', () => {
    const db = openDb(`${tmp.dir}/bot.db`);
    const salt = 'salt-one-0123456789';
    const old = {
      lang: 'en',
      langPinned: true,
      promoterCode: 'PROMO-1',
      seenAt: '2025-01-15T16:00Z',
      dialog: { kind: 'eligibility', step: 'pregnant', profile: { ageMonths: 360 }, skipped: [], retries: 0 },
    };
    const key = hashUser(salt, 'telegram', '42');
    db.prepare('INSERT INTO sessions (user_hash, state, updated_at) VALUES (?, ?, 1736956800000)').run(
      key,
      JSON.stringify(old),
    );
    const corrupt: unknown[] = [];
    const record = new SqliteSessionStorage(db, (err) => corrupt.push(err)).read(key) as
      | ChatRecord
      | undefined;
    expect(record?.session).toEqual({ lang: 'en', langPinned: true, promoterCode: 'PROMO-1' });
    expect(record).toMatchObject({ version: 0, updatedAt: 1736956800000 });
    expect(corrupt).toEqual([]);
    db.close();
  });

  it('stores chats under a salted hash, never the raw user id, and they survive a restart', async () => {
    const path = `${tmp.dir}/bot.db`;
    const chat = new Chat(buildApp(path), '5215512345678@c.us');
    await chat.send('english please');
    const rows = chat.db.prepare('SELECT user_hash, state FROM sessions').all() as {
      user_hash: string;
      state: string;
    }[];
    expect(rows).toHaveLength(1);
    expect(JSON.stringify(rows)).not.toContain('5215512345678');
    expect(rows[0]?.user_hash).toBe(hashUser('test-salt-0123456789abcdef', 'console', '5215512345678@c.us'));
    await chat.restart(path);
    expect((await chat.send('hola')).lang).toBe('en');
    await chat.close();
  });

  it('starts a person afresh when their stored record is unreadable, and can save them again', async () => {
    const path = `${tmp.dir}/bot.db`;
    const db = openDb(path);
    db.prepare('INSERT INTO sessions VALUES (?, ?, 0, 3)').run(
      hashUser('test-salt-0123456789abcdef', 'console', 'u'),
      '{"lang":"xx"}',
    );
    db.close();
    const chat = new Chat(buildApp(path), 'u');
    expect((await chat.send('english please')).lang).toBe('en');
    expect((await chat.send('hola')).lang).toBe('en');
    const rows = chat.db.prepare('SELECT state FROM sessions').all() as { state: string }[];
    expect(rows.map((r) => JSON.parse(r.state).session.lang)).toEqual(['en']);
    await chat.close();
  });
});
