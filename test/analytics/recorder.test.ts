import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { mexicoDay } from '../../src/analytics/day.js';
import type { TurnRecord } from '../../src/analytics/recorder.js';
import { StatsRecorder } from '../../src/analytics/recorder.js';
import { type Db, openDb } from '../../src/db/open.js';
import { SqliteStatsStorage } from '../../src/db/stats.js';
import { hashUser } from '../../src/storage/keys.js';
import { tempDir } from '../harness.js';

const SALT = 'test-salt-0123456789abcdef';
let tmp: ReturnType<typeof tempDir>;
let db: Db;
let stats: StatsRecorder;

beforeEach(() => {
  tmp = tempDir();
  db = openDb(`${tmp.dir}/stats.db`);
  stats = recorder(db);
});
afterEach(async () => {
  await stats.flush();
  stats.close();
  db.close();
  tmp.cleanup();
});

const quietly = { onFailing(_err: unknown) {}, onRecovered(_attempts: number) {} };
const recorder = (on: Db, events: typeof quietly = quietly) =>
  new StatsRecorder(new SqliteStatsStorage(on), SALT, events);

const record = (over: Partial<TurnRecord> = {}): TurnRecord => ({
  channel: 'telegram',
  userId: '987654321',
  kind: 'text',
  lang: 'es',
  intent: 'greeting',
  confidence: 0.9,
  at: new Date('2025-01-15T16:00:00Z'),
  ...over,
});
const rows = (sql: string) => db.prepare(sql).all();
const tick = () => new Promise((resolve) => setImmediate(resolve));

describe('anonymous statistics', () => {
  it('counts per Mexico City day, channel, language and intent, written on the next tick in one batch', async () => {
    stats.observe(record());
    stats.observe(record({ userId: '111' }));
    stats.observe(record({ intent: 'hours' }));
    stats.observe(record({ channel: 'whatsapp', lang: 'en' }));
    // 02:30 UTC on the 16th is still the 15th in Mexico City (UTC-6)
    stats.observe(record({ at: new Date('2025-01-16T02:30:00Z') }));
    stats.observe(record({ at: new Date('2025-01-16T06:30:00Z') }));
    expect(rows('SELECT * FROM stats_messages')).toEqual([]); // nothing written while the engine works
    await tick();
    expect(rows('SELECT * FROM stats_messages ORDER BY day, channel, lang, intent')).toEqual([
      { day: '2025-01-15', channel: 'telegram', lang: 'es', intent: 'greeting', messages: 3 },
      { day: '2025-01-15', channel: 'telegram', lang: 'es', intent: 'hours', messages: 1 },
      { day: '2025-01-15', channel: 'whatsapp', lang: 'en', intent: 'greeting', messages: 1 },
      { day: '2025-01-16', channel: 'telegram', lang: 'es', intent: 'greeting', messages: 1 },
    ]);
    stats.observe(record());
    stats.flush(); // as App.close() does
    expect(
      rows(
        "SELECT messages FROM stats_messages WHERE intent = 'greeting' AND day = '2025-01-15' AND channel = 'telegram'",
      ),
    ).toEqual([{ messages: 4 }]);
  });

  it('writes within a long synchronous burst, every 1,000 messages', () => {
    for (let i = 0; i < 2_500; i++) stats.observe(record());
    expect(rows('SELECT messages FROM stats_messages')).toEqual([{ messages: 2_000 }]);
  });

  it('keeps the redacted text of questions not understood, counted per day, without ids', () => {
    const missed = (text: string, userId: string) =>
      stats.observe(record({ intent: 'unknown', confidence: 0.2, text, userId }));
    missed('Quien gano el partido', '5215555550123@c.us');
    missed('quien  gano el PARTIDO ', '5215555550124@c.us');
    missed('mi tel es 55 1234 5678', '5215555550125@c.us');
    missed('   ', '5215555550126@c.us');
    stats.flush();
    expect(rows('SELECT * FROM stats_missed ORDER BY count DESC')).toEqual([
      { day: '2025-01-15', lang: 'es', text: 'quien gano el partido', count: 2 },
      { day: '2025-01-15', lang: 'es', text: 'mi tel es [número]', count: 1 },
    ]);
    expect(JSON.stringify(rows('SELECT * FROM stats_missed'))).not.toMatch(/c\.us|555/);
  });

  it('records a referral once per person and code, as a salted hash', () => {
    const start = (userId: string, code: string, channel = 'telegram') =>
      stats.observe(record({ kind: 'start', userId, promoterCode: code, channel }));
    start('987654321', 'PROMO-01');
    start('987654321', 'PROMO-01'); // the same link opened again
    stats.flush();
    start('987654321', 'PROMO-01'); // and again, another day's batch
    start('987654321', 'BRIGADA-7'); // the same person through another promoter
    start('987654321', 'PROMO-01', 'whatsapp'); // another channel is another person id
    start('111', 'PROMO-01');
    stats.flush();
    const referrals = rows('SELECT * FROM referrals ORDER BY code, channel, user_hash') as {
      user_hash: string;
      code: string;
    }[];
    expect(referrals.map((r) => r.code)).toEqual(['BRIGADA-7', 'PROMO-01', 'PROMO-01', 'PROMO-01']);
    expect(referrals.filter((r) => r.code === 'PROMO-01').length).toBe(3);
    expect(referrals).toContainEqual({
      user_hash: hashUser(SALT, 'telegram', '987654321'),
      code: 'PROMO-01',
      channel: 'telegram',
      day: '2025-01-15',
    });
    expect(JSON.stringify(referrals)).not.toContain('987654321');
    // the same user and code twice is refused by the table itself
    expect(() =>
      db
        .prepare('INSERT INTO referrals (user_hash, code, channel, day) VALUES (?, ?, ?, ?)')
        .run(hashUser(SALT, 'telegram', '987654321'), 'PROMO-01', 'telegram', '2025-02-01'),
    ).toThrow(/UNIQUE/);
  });

  it('never throws at the runner when the database is gone, and keeps the counts to retry', async () => {
    const errors: unknown[] = [];
    const broken = recorder(db, {
      onFailing: (err: unknown) => {
        errors.push(err);
      },
      onRecovered() {},
    });
    broken.observe(record());
    db.close();
    await expect(broken.flush()).resolves.toBeUndefined();
    expect(errors).toHaveLength(1);
    broken.close();
    db = openDb(`${tmp.dir}/stats.db`);
    stats = recorder(db);
  });

  it('dates messages in Mexico City time', () => {
    expect(mexicoDay(new Date('2025-01-16T05:59:59Z'))).toBe('2025-01-15');
    expect(mexicoDay(new Date('2025-01-16T06:00:00Z'))).toBe('2025-01-16');
    // summer 2021, when Mexico City still had daylight saving time (UTC-5)
    expect(mexicoDay(new Date('2021-07-01T04:30:00Z'))).toBe('2021-06-30');
    expect(mexicoDay(new Date('2021-07-01T05:30:00Z'))).toBe('2021-07-01');
  });
});
