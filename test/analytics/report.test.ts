import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { reportCommand } from '../../src/analytics/command.js';
import { mexicoDay } from '../../src/analytics/day.js';
import type { App } from '../../src/app.js';
import { TelegramChannel } from '../../src/channels/telegram/channel.js';
import { createTranslator } from '../../src/core/i18n.js';
import { readReport } from '../../src/db/stats.js';
import { FakeBotApi } from '../../src/devtools/fake-telegram-bot-api.js';
import { buildApp, Chat, type LineOut, TEST_SALT, tempDir } from '../harness.js';

/**
 * The whole path: scripted conversations through the console harness and through real telegraf
 * against the fake Bot API, then the report (CLI text, CSV, and the /report chat command) must
 * count exactly what happened, and show nothing that identifies anyone.
 */
const ADMIN = 777000111;
const FAST = { perChatPerSecond: 1000, perChatBurst: 1000, globalPerSecond: 10_000, backoffMs: 20 };
const quiet = { info() {}, warn() {}, error() {} };
const translate = createTranslator('locales');

/** Everything that identifies a person in the script: none of it may appear in any output. */
const PERSONAL = [
  '5215555550123',
  'maria@example.com',
  'juan.perez@example.com',
  'ana@example.com',
  '55 1234 5678',
  '1234 5678',
  '12345678901',
  '987654321',
  '123456789',
  '555000111',
  String(ADMIN),
];

let tmp: ReturnType<typeof tempDir>;
let app: App;
let api: FakeBotApi;
let channel: TelegramChannel;
let dbPath: string;
/** What the console harness answered, tallied as the report should count it. */
const expected = new Map<string, number>();
const tally = (day: string, channelName: string, out: { lang: string; intent: string }) => {
  const key = `${day} ${channelName} ${out.lang} ${out.intent}`;
  expected.set(key, (expected.get(key) ?? 0) + 1);
};
let today: string;

const texts = (chat: number) =>
  api
    .sent(chat)
    .filter((c) => c.method === 'sendMessage')
    .map((c) => String(c.body.text));

function counted(channelName: string): number {
  void app.stats.flush(); // SQLite writes at once
  const row = app.db
    .prepare('SELECT COALESCE(SUM(messages), 0) AS n FROM stats_messages WHERE channel = ?')
    .get(channelName) as { n: number };
  return row.n;
}

function runReport(argv: string[]) {
  let out = '';
  const err: string[] = [];
  const status = reportCommand(
    argv,
    { DB_PATH: dbPath, HASH_SALT: TEST_SALT },
    {
      out: (t) => {
        out += t;
      },
      err: (l) => err.push(l),
    },
  );
  return { status, out, err: err.join('\n') };
}

function expectNothingPersonal(output: string) {
  for (const id of PERSONAL) expect(output).not.toContain(id);
  expect(output).not.toContain('@');
  // no run of 7+ digits, with or without separators (dates aside)
  const withoutDates = output.replace(/\d{4}-\d{2}-\d{2}/g, 'DATE');
  expect(withoutDates).not.toMatch(/\d{7,}/);
  expect(withoutDates).not.toMatch(/\+?\d(?:[ ().-]*\d){6,}/);
}

beforeAll(async () => {
  tmp = tempDir();
  dbPath = join(tmp.dir, 'bot.db');
  app = buildApp(dbPath, [`telegram:${ADMIN}`, 'whatsapp:5215555550199@c.us']);

  // --- console: fixed clock, 2025-01-15 in Mexico City (one message on the 16th)
  const say = (out: LineOut, day = '2025-01-15') => tally(day, 'console', out);
  const a = new Chat(app, '5215555550123');
  say(await a.start('PROMO-01'));
  say(await a.send('hola'));
  say(await a.send('a que hora abren'));
  say(await a.send('quien gano el partido'));
  say(await a.start('PROMO-01')); // the same link again: still one referral
  say(await a.send('cuanto cuesta la vacuna', '2025-01-16T09:00:00-06:00'), '2025-01-16');
  const b = new Chat(app, 'maria@example.com');
  say(await b.start('PROMO-01'));
  say(await b.send('me toca vacuna?'));
  const e = new Chat(app, 'u5');
  say(await e.send('mi numero es 55 1234 5678'));
  say(await e.send('mi nss es 12345678901'));
  const c = new Chat(app, 'u3');
  say(await c.start('BRIGADA-7'));
  say(await c.send('english please'));
  say(await c.send('who won the football game'));
  const d = new Chat(app, 'u4');
  say(await d.send('  Quien GANO el   partido '));
  say(await d.send('escribeme a juan.perez@example.com'));
  say(await d.start('BRIGADA-7'));
  say(await d.start('PROMO-01')); // another promoter's link: a second referral for this person
  say(await d.start('no vale!')); // not a code: no referral

  // --- Telegram: real telegraf, deep links /start CODE
  api = new FakeBotApi();
  const apiRoot = await api.start();
  channel = new TelegramChannel(
    { token: api.token, apiRoot, limits: FAST },
    { runner: app.runner, outbound: app.outbound, translate, log: quiet },
  );
  await channel.start();
  const script: [number, string][] = [
    [987654321, '/start PROMO-01'],
    [987654321, 'hola'],
    [987654321, 'a que hora abren'],
    [123456789, '/start BRIGADA-7'],
    [123456789, 'mi correo es ana@example.com'],
    [555000111, '/start PROMO-01'],
    [555000111, '/start PROMO-01'],
  ];
  for (const [chat, text] of script) api.text(chat, text);
  await api.until(() => counted('telegram') === script.length);
  today = mexicoDay(new Date());
});

afterAll(async () => {
  await channel?.stop();
  await api?.stop();
  await app?.close();
  tmp?.cleanup();
});

describe('the report counts exactly the scripted conversations', () => {
  it('per day, channel, language and intent', async () => {
    app.stats.flush();
    const report = readReport(app.db);
    const consoleRows = report.messages.filter((r) => r.channel === 'console');
    expect(
      new Map(consoleRows.map((r) => [`${r.day} ${r.channel} ${r.lang} ${r.intent}`, r.messages])),
    ).toEqual(expected);
    expect(consoleRows.reduce((n, r) => n + r.messages, 0)).toBe(18);
    const telegram = report.messages.filter((r) => r.channel === 'telegram');
    expect(telegram.map(({ day, lang, intent, messages }) => ({ day, lang, intent, messages }))).toEqual([
      { day: today, lang: 'es', intent: 'greeting', messages: 5 },
      { day: today, lang: 'es', intent: 'hours', messages: 1 },
      { day: today, lang: 'es', intent: 'unknown', messages: 1 },
    ]);
  });

  it('per promoter code: once per person and code', async () => {
    const report = readReport(app.db);
    expect(report.referrals).toEqual(
      expect.arrayContaining([
        { day: '2025-01-15', code: 'PROMO-01', channel: 'console', people: 3 },
        { day: '2025-01-15', code: 'BRIGADA-7', channel: 'console', people: 2 },
        { day: today, code: 'PROMO-01', channel: 'telegram', people: 2 },
        { day: today, code: 'BRIGADA-7', channel: 'telegram', people: 1 },
      ]),
    );
    expect(report.referrals).toHaveLength(4);
  });

  it('lists the questions not understood, redacted, deduplicated, most frequent first', async () => {
    const { missed } = readReport(app.db);
    expect(missed[0]).toEqual({ text: 'quien gano el partido', lang: 'es', count: 2 });
    expect(missed).toEqual(
      expect.arrayContaining([
        { text: 'mi numero es [número]', lang: 'es', count: 1 },
        { text: 'mi nss es [número]', lang: 'es', count: 1 },
        { text: 'escribeme a [email]', lang: 'es', count: 1 },
        { text: 'mi correo es [email]', lang: 'es', count: 1 },
        { text: 'who won the football game', lang: 'en', count: 1 },
      ]),
    );
    expect(missed.map((m) => m.count)).toEqual([...missed.map((m) => m.count)].sort((x, y) => y - x));
  });
});

describe('npm run report', () => {
  it('prints the tables and writes the same to CSV, with no personal data', async () => {
    const csvFile = join(tmp.dir, 'report.csv');
    const r = runReport(['--csv', csvFile]);
    expect(r.status).toBe(0);
    expect(r.err).toBe('');
    const total = 18 + 7;
    expect(r.out).toContain('VacunaBot statistics, all dates (Mexico City dates)');
    expect(r.out).toContain(`Messages answered: ${total}`);
    const greetings = expected.get('2025-01-15 console es greeting');
    expect(r.out).toMatch(new RegExp(`^ {2}2025-01-15 +console +es +greeting +${greetings}$`, 'm'));
    expect(r.out).toContain("People who started through a promoter's link or QR: 8");
    expect(r.out).toMatch(/^ {2}PROMO-01 +5$/m);
    expect(r.out).toMatch(/^ {2}BRIGADA-7 +3$/m);
    expect(r.out).toMatch(/^ +2 {2}es +quien gano el partido$/m);
    expectNothingPersonal(r.out);

    const csv = readFileSync(csvFile, 'utf8');
    expect(csv.startsWith('\uFEFFtable,day,channel,language,intent,code,question,count\r\n')).toBe(true);
    expect(csv).toContain(`messages,2025-01-15,console,es,greeting,,,${greetings}\r\n`);
    expect(csv).toContain(`referrals,${today},telegram,,,PROMO-01,,2\r\n`);
    expect(csv).toContain('unanswered,,,es,,,quien gano el partido,2\r\n');
    const lines = csv.trim().split('\r\n');
    const sumOf = (table: string) =>
      lines.filter((l) => l.startsWith(`${table},`)).reduce((n, l) => n + Number(l.split(',').at(-1)), 0);
    expect(sumOf('messages')).toBe(total);
    expect(sumOf('referrals')).toBe(8);
    expectNothingPersonal(csv);
  });

  it('filters by Mexico City dates, both ends included', async () => {
    const r = runReport(['--from', '2025-01-16', '--to', '2025-01-16']);
    expect(r.out).toContain('VacunaBot statistics, 2025-01-16 to 2025-01-16');
    expect(r.out).toContain('Messages answered: 1');
    expect(r.out).toContain("People who started through a promoter's link or QR: 0");
    expect(r.out).toContain('Questions the bot did not understand: 0 different');
    expect(runReport(['--from', '2025-01-15', '--to', '2025-01-15']).out).toContain('Messages answered: 17');
  });

  it('refuses bad dates with one line and status 2; a missing database with status 1', async () => {
    const bad = runReport(['--from', '2025-02-30']);
    expect(bad).toMatchObject({ status: 2, out: '' });
    expect(bad.err).toBe('--from must be a date written YYYY-MM-DD, like 2025-01-15 (got "2025-02-30")');
    expect(runReport(['--from', '2025-02-01', '--to', '2025-01-01']).status).toBe(2);
    expect(runReport(['--bogus']).status).toBe(2);
    const none = reportCommand([], { DB_PATH: join(tmp.dir, 'none.db') }, { out() {}, err() {} });
    expect(none).toBe(1);
  });
});

describe('/report in Telegram', () => {
  it('answers an admin with the last 7 days, and is an unknown command for anyone else', async () => {
    // someone else first: the engine answers "/report" as any text it does not understand
    api.text(555000111, '/report');
    await api.until(() => texts(555000111).length === 3);
    const refused = texts(555000111)[2] as string;
    expect(refused).toMatch(/no entendí/);
    expect(refused).not.toMatch(/Mensajes respondidos|📊/);

    api.text(ADMIN, '/report');
    await api.until(() => texts(ADMIN).length === 1);
    const summary = texts(ADMIN)[0] as string;
    const t = translate('es');
    // the console's 2025 messages are older than 7 days: only Telegram's 7 + the refused /report
    expect(summary).toContain(t('report.messages', { count: 8 }));
    expect(summary).toContain('telegram 8');
    expect(summary).toContain(`${t('report.intents.greeting')} 5`);
    expect(summary).toContain(t('report.referrals', { count: 3 }));
    expect(summary).toContain('PROMO-01 2, BRIGADA-7 1');
    expect(summary).toContain('«/report» ×1');
    expect(summary).toContain('«mi correo es [email]» ×1');
    expect(summary.split('\n').filter((l) => l.startsWith('• '))).toHaveLength(2);
    expectNothingPersonal(summary);
    // the admin's own /report is not a message the bot answered
    expect(counted('telegram')).toBe(8);
  });

  it('is not answered for an admin in a group (no statistics in front of others)', async () => {
    const group = { id: -4242, type: 'group', title: 'Brigada' };
    api.push({ message: api.message(ADMIN, { text: '/report' }, group) });
    api.text(ADMIN, 'gracias');
    await api.until(() => texts(ADMIN).length === 2);
    expect(texts(-4242)).toEqual([]);
  });
});
