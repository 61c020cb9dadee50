import type { DayRange, Report, StatsBatch, StatsStorage } from '../storage/ports.js';
import type { Db } from './open.js';

const WHERE = `(@from IS NULL OR day >= @from) AND (@to IS NULL OR day <= @to)`;

/** Anonymous statistics and referrals in SQLite (tables of migration 3). */
export class SqliteStatsStorage implements StatsStorage {
  private readonly batch;

  constructor(private readonly db: Db) {
    const addMessages = db.prepare<[string, string, string, string, number]>(
      `INSERT INTO stats_messages (day, channel, lang, intent, messages) VALUES (?, ?, ?, ?, ?)
       ON CONFLICT (day, channel, lang, intent) DO UPDATE SET messages = messages + excluded.messages`,
    );
    const addMissed = db.prepare<[string, string, string, number]>(
      `INSERT INTO stats_missed (day, lang, text, count) VALUES (?, ?, ?, ?)
       ON CONFLICT (day, lang, text) DO UPDATE SET count = count + excluded.count`,
    );
    const addReferral = db.prepare<[string, string, string, string]>(
      'INSERT OR IGNORE INTO referrals (user_hash, code, channel, day) VALUES (?, ?, ?, ?)',
    );
    this.batch = db.transaction((batch: StatsBatch) => {
      for (const row of batch.messages) addMessages.run(...row);
      for (const row of batch.missed) addMissed.run(...row);
      for (const row of batch.referrals) addReferral.run(...row);
    });
  }

  add(batch: StatsBatch): void {
    this.batch(batch);
  }

  report(range: DayRange, limits: { missed?: number } = {}): Report {
    return readReport(this.db, range, limits);
  }
}

/** Reads the report for a range (also used by `npm run report`). */
export function readReport(db: Db, range: DayRange = {}, limits: { missed?: number } = {}): Report {
  const params = { from: range.from ?? null, to: range.to ?? null };
  const messages = db
    .prepare(
      `SELECT day, channel, lang, intent, messages FROM stats_messages WHERE ${WHERE}
       ORDER BY day, channel, lang, intent`,
    )
    .all(params) as Report['messages'];
  const referrals = db
    .prepare(
      `SELECT day, code, channel, COUNT(*) AS people FROM referrals WHERE ${WHERE}
       GROUP BY day, code, channel ORDER BY day, code, channel`,
    )
    .all(params) as Report['referrals'];
  const missed = db
    .prepare(
      `SELECT text, lang, SUM(count) AS count FROM stats_missed WHERE ${WHERE}
       GROUP BY text, lang ORDER BY count DESC, text, lang LIMIT @limit`,
    )
    .all({ ...params, limit: limits.missed ?? -1 }) as Report['missed'];
  return { range, messages, referrals, missed };
}
