import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { migrations } from '../../src/db/migrations.js';
import { migrate, openDb } from '../../src/db/open.js';
import { hashUser, SqliteSessionStore } from '../../src/db/sessions.js';
import { tempDir } from '../harness.js';

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
    expect(latest).toBeGreaterThanOrEqual(3);
    expect(db.pragma('user_version', { simple: true })).toBe(latest);
    migrate(db); // idempotent
    expect(db.pragma('user_version', { simple: true })).toBe(latest);
    db.close();
  });

  it('keeps the language and promoter code of a session stored by the previous version, dropping its old dialog', () => {
    const db = openDb(`${tmp.dir}/bot.db`);
    const salt = 'salt-one-0123456789';
    const old = {
      lang: 'en',
      langPinned: true,
      promoterCode: 'PROMO-1',
      dialog: { kind: 'eligibility', step: 'pregnant', profile: { ageMonths: 360 }, skipped: [], retries: 0 },
    };
    db.prepare('INSERT INTO sessions (user_hash, state, updated_at) VALUES (?, ?, 0)').run(
      hashUser(salt, 'telegram', '42'),
      JSON.stringify(old),
    );
    const corrupt: unknown[] = [];
    const session = new SqliteSessionStore(db, salt, (err) => corrupt.push(err)).load('telegram', '42');
    expect(session).toMatchObject({ lang: 'en', langPinned: true, promoterCode: 'PROMO-1' });
    expect(session?.dialog).toBeUndefined();
    expect(corrupt).toEqual([]);
    db.close();
  });

  it('stores sessions under a salted hash, never the raw user id', () => {
    const path = `${tmp.dir}/bot.db`;
    const db = openDb(path);
    const store = new SqliteSessionStore(db, 'salt-one-0123456789');
    store.save('whatsapp', '5215512345678@c.us', { lang: 'en', langPinned: true });
    store.flush();
    const rows = db.prepare('SELECT user_hash, state FROM sessions').all() as {
      user_hash: string;
      state: string;
    }[];
    expect(rows).toHaveLength(1);
    expect(JSON.stringify(rows)).not.toContain('5215512345678');
    expect(rows[0]?.user_hash).toBe(hashUser('salt-one-0123456789', 'whatsapp', '5215512345678@c.us'));
    expect(hashUser('another-salt-0123456', 'whatsapp', '5215512345678@c.us')).not.toBe(rows[0]?.user_hash);
    db.close();
    // survives a restart
    const again = new SqliteSessionStore(openDb(path), 'salt-one-0123456789');
    expect(again.load('whatsapp', '5215512345678@c.us')).toEqual({ lang: 'en', langPinned: true });
    expect(again.load('telegram', '5215512345678@c.us')).toBeUndefined();
  });

  it('writes changed sessions in batches, on the next tick at the latest', async () => {
    const db = openDb(`${tmp.dir}/bot.db`);
    const store = new SqliteSessionStore(db, 'salt-one-0123456789');
    const count = () => (db.prepare('SELECT count(*) AS n FROM sessions').get() as { n: number }).n;
    store.save('console', 'a', { lang: 'es', langPinned: false });
    expect(count()).toBe(0);
    await new Promise((resolve) => setImmediate(resolve));
    expect(count()).toBe(1);
    for (let i = 0; i < 64; i++) store.save('console', `u${i}`, { lang: 'es', langPinned: false });
    expect(count()).toBe(65); // a full batch is written at once
    db.close();
  });

  it('never lets a change that was not saved reach the next message (the message failed)', () => {
    const db = openDb(`${tmp.dir}/bot.db`);
    const store = new SqliteSessionStore(db, 'salt-one-0123456789');
    store.save('console', 'u', { lang: 'es', langPinned: false });
    const saved = store.load('console', 'u');
    expect(saved).toEqual({ lang: 'es', langPinned: false });
    if (saved) saved.lang = 'en'; // changed, then the message failed before save()
    expect(store.load('console', 'u')).toEqual({ lang: 'es', langPinned: false });
    const next = store.load('console', 'u');
    if (next) next.langPinned = true;
    store.save('console', 'u', next ?? { lang: 'es', langPinned: true });
    expect(store.load('console', 'u')).toEqual({ lang: 'es', langPinned: true });
    store.flush();
    const again = new SqliteSessionStore(db, 'salt-one-0123456789');
    expect(again.load('console', 'u')).toEqual({ lang: 'es', langPinned: true });
    db.close();
  });

  it('starts a person afresh when their stored session is unreadable', () => {
    const db = openDb(`${tmp.dir}/bot.db`);
    const problems: unknown[] = [];
    const store = new SqliteSessionStore(db, 'salt-one-0123456789', (e) => problems.push(e));
    db.prepare('INSERT INTO sessions VALUES (?, ?, 0)').run(
      hashUser('salt-one-0123456789', 'console', 'u'),
      '{"lang":"xx"}',
    );
    expect(store.load('console', 'u')).toBeUndefined();
    expect(problems).toHaveLength(1);
    db.close();
  });
});
