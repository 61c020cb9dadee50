import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AdminReport, isReportCommand } from '../../src/analytics/admin.js';
import { createTranslator } from '../../src/core/i18n.js';
import { type Db, openDb } from '../../src/db/open.js';
import { SqliteStatsStorage } from '../../src/db/stats.js';
import { tempDir } from '../harness.js';

const translate = createTranslator('locales');
let tmp: ReturnType<typeof tempDir>;
let db: Db;
let stats: SqliteStatsStorage;
beforeAll(() => {
  tmp = tempDir();
  db = openDb(`${tmp.dir}/bot.db`);
  stats = new SqliteStatsStorage(db);
});
afterAll(() => {
  db.close();
  tmp.cleanup();
});

describe('the /report command', () => {
  it('is only for the ids in ADMIN_IDS, per channel', () => {
    const report = new AdminReport(
      stats,
      ['telegram:12345', ' whatsapp:5215555550199 ', 'whatsapp:5215555550188@c.us'],
      translate,
    );
    expect(report.isAdmin('telegram', '12345')).toBe(true);
    expect(report.isAdmin('telegram', '123456')).toBe(false);
    expect(report.isAdmin('whatsapp', '12345')).toBe(false);
    expect(report.isAdmin('console', '12345')).toBe(false);
    expect(report.isAdmin('whatsapp', '5215555550199@c.us')).toBe(true); // listed without @c.us
    expect(report.isAdmin('whatsapp', '5215555550188@c.us')).toBe(true);
    expect(report.isAdmin('whatsapp', '5215555550177@c.us')).toBe(false);
    expect(new AdminReport(stats, [], translate).isAdmin('telegram', '')).toBe(false);
  });

  it.each([
    ['/report', true],
    ['/REPORTE', true],
    ['/report@vacuna_test_bot', true],
    [' reporte ', true],
    ['report', false],
    ['reporte de vacunas', false],
    ['/reports', false],
  ])('%j is the command: %s', (text, is) => {
    expect(isReportCommand(text)).toBe(is);
  });

  it('summarises an empty week in the admin language', async () => {
    const report = new AdminReport(stats, [], translate);
    const en = await report.summary('en', new Date('2025-01-15T18:00:00Z'));
    expect(en).toBe(
      [
        '📊 VacunaBot, last 7 days (2025-01-09 to 2025-01-15)',
        'Messages answered: 0',
        'By channel: none',
        'Top topics: none',
        "People who came with a promoter's code: 0",
        'Codes: none',
        'There were no messages I did not understand.',
      ].join('\n'),
    );
    expect(await report.summary('es', new Date('2025-01-15T18:00:00Z'))).toMatch(
      /^📊 VacunaBot, últimos 7 días \(2025-01-09 a 2025-01-15\)\nMensajes respondidos: 0/,
    );
  });
});
