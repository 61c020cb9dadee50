import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { App } from '../../../src/app.js';
import { TelegramChannel, type TelegramOptions } from '../../../src/channels/telegram/channel.js';
import { createTranslator } from '../../../src/core/i18n.js';
import { FakeBotApi } from '../../../src/devtools/fake-telegram-bot-api.js';
import { HttpHost } from '../../../src/http/host.js';
import { buildApp, tempDir } from '../../harness.js';

/** Real pacing would make a test of 200 messages take minutes; the pacing itself is tested in scheduler.test.ts. */
const FAST = {
  perChatPerSecond: 1000,
  perChatBurst: 1000,
  globalPerSecond: 10_000,
  backoffMs: 20,
  maxWaitMs: 3000,
};
const quiet = { info() {}, warn() {}, error() {} };
const translate = createTranslator('locales');

let tmp: ReturnType<typeof tempDir>;
let app: App;
let api: FakeBotApi;
let channel: TelegramChannel | undefined;
let host: HttpHost | undefined;

/** The channel as main() runs it: on the app's runner and send port, webhooks on a host on 127.0.0.1. */
async function startBot(extra: Partial<TelegramOptions> = {}) {
  const apiRoot = await api.start();
  host = new HttpHost(0, undefined, '127.0.0.1');
  channel = new TelegramChannel(
    { token: api.token, apiRoot, limits: FAST, ...extra },
    { runner: app.runner, outbound: app.outbound, host, translate, log: quiet },
  );
  const running = channel;
  host.health('telegram', () => running.health());
  await host.start();
  await channel.start();
  return channel;
}

/** What main() does on SIGTERM: stop taking updates, finish deciding, let queued replies go out. */
async function stopBot() {
  await host?.stop();
  await channel?.stop();
  await app.runner.idle();
  await app.outbound.drain();
  host = undefined;
  channel = undefined;
}

beforeEach(() => {
  tmp = tempDir();
  app = buildApp(`${tmp.dir}/bot.db`);
  api = new FakeBotApi();
});
afterEach(async () => {
  await stopBot();
  await api.stop();
  await app.close();
  tmp.cleanup();
});

const texts = (chat: number) =>
  api
    .sent(chat)
    .filter((c) => c.method === 'sendMessage')
    .map((c) => String(c.body.text));

describe('Telegram through real telegraf and a local Bot API server (long polling)', () => {
  const cases: [string, RegExp][] = [
    ['hola', /Soy VacunaBot/],
    ['hello there', /I&#39;m VacunaBot|I'm VacunaBot/],
    ['que puedes hacer?', /Elige una opción/],
    ['what can you do for me', /Pick an option/],
    ['quien se debe vacunar?', /Influenza/],
    ['who should get the vaccines', /Pneumococcus/],
    ['donde me puedo vacunar', /código postal/],
    ['where can i get my flu shot', /postal code/],
    ['a que hora abren', /8:00 a 20:00/],
    ['what are the opening hours', /8:00 to 20:00/],
    ['como evito enfermarme de gripa', /cubrebocas/],
    ['how can I avoid catching the flu', /face mask/],
    ['cuanto cuesta la vacuna', /gratuit/],
    ['how much does the vaccine cost', /free/],
    ['en ingles por favor', /write in English/],
    ['en español por favor', /en español/],
    ['mi papa no puede respirar', /911/],
    ['my mom has chest pain', /911/],
    ['muchas gracias', /Con gusto/],
    ['thank you so much', /welcome/],
    ['quien gano el partido del america', /solo respondo sobre/],
    ['give me a lasagna recipe', /I only answer about/],
  ];

  it('answers every intent in both languages, with the menu as buttons', async () => {
    await startBot();
    cases.forEach(([text], i) => {
      api.text(1000 + i, text);
    });
    await api.until(() => cases.every((_, i) => texts(1000 + i).length > 0));
    cases.forEach(([text, expected], i) => {
      expect(texts(1000 + i).join('\n'), text).toMatch(expected);
    });
    const greeting = api.sent(1000)[0];
    expect(greeting?.body.parse_mode).toBe('HTML');
    const markup = greeting?.body.reply_markup as
      | { inline_keyboard: { callback_data: string }[][] }
      | undefined;
    const keyboard = markup?.inline_keyboard ?? [];
    expect(keyboard.flat().map((b) => b.callback_data)).toEqual([
      'elig',
      'facility',
      'hours',
      'prevention',
      'faq',
      'lang:en',
    ]);
    // commands registered in both languages, and as the default
    const commands = api.calls.filter((c) => c.method === 'setMyCommands');
    expect(commands.map((c) => c.body.language_code).sort()).toEqual(['en', 'es', undefined]);
    const english = commands.find((c) => c.body.language_code === 'en');
    expect(JSON.stringify(english?.body.commands)).toMatch(/Change language/);
  });

  it('runs a pressed button through the core and stops its spinner', async () => {
    await startBot();
    api.text(7, 'hola');
    await api.until(() => texts(7).length === 1);
    api.push({
      callback_query: {
        id: 'cb1',
        chat_instance: 'x',
        from: { id: 7, is_bot: false, first_name: 'T' },
        message: api.message(4242, { text: 'menu' }, { id: 7, type: 'private' }),
        data: 'hours',
      },
    });
    await api.until(() => texts(7).length === 2);
    expect(texts(7)[1]).toMatch(/8:00 a 20:00/);
    expect(
      api.calls.some((c) => c.method === 'answerCallbackQuery' && c.body.callback_query_id === 'cb1'),
    ).toBe(true);
  });

  it('asks for the location with a button, and answers a location with venue pins', async () => {
    await startBot();
    api.text(8, 'donde me vacuno');
    await api.until(() => texts(8).length === 2);
    const ask = api.sent(8)[1]?.body.reply_markup as { keyboard: { request_location: boolean }[][] };
    expect(ask.keyboard[0]?.[0]?.request_location).toBe(true);
    api.push({ message: api.message(8, { location: { latitude: 19.36, longitude: -99.1 } }) });
    await api.until(() => api.sent(8).filter((c) => c.method === 'sendVenue').length === 3);
    const venues = api.sent(8).filter((c) => c.method === 'sendVenue');
    expect(venues[0]?.body).toMatchObject({
      latitude: expect.any(Number),
      longitude: expect.any(Number),
      title: expect.stringMatching(/demo/),
    });
    expect(String(venues[0]?.body.address)).toMatch(/Ciudad de México/);
    expect(texts(8).some((t) => /más cercanas a tu ubicación/.test(t))).toBe(true);
  });

  it('records the promoter code of a /start deep link with the session', async () => {
    await startBot();
    api.text(9, '/start PROMO-77');
    await api.until(() => texts(9).length === 1);
    expect(texts(9)[0]).toMatch(/Soy VacunaBot/);
    await app.sessions.flush();
    const states = (app.db.prepare('SELECT state FROM sessions').all() as { state: string }[]).map(
      (r) => JSON.parse(r.state).session,
    );
    expect(states.some((s) => s.promoterCode === 'PROMO-77')).toBe(true);
    expect(JSON.stringify(states)).not.toContain('"9"');
  });

  it('answers photos, stickers and voice notes politely; ignores group chatter; answers edits', async () => {
    await startBot();
    api.push({
      message: api.message(10, { photo: [{ file_id: 'p', file_unique_id: 'p', width: 1, height: 1 }] }),
    });
    api.push({ message: api.message(11, { voice: { file_id: 'v', file_unique_id: 'v', duration: 2 } }) });
    const group = { id: -500, type: 'group', title: 'Vecinos' };
    api.push({ message: api.message(12, { text: 'hola a todos' }, group) });
    api.push({ message: api.message(12, { text: '@vacuna_test_bot a que hora abren' }, group) });
    api.push({ edited_message: { ...api.message(13, { text: 'a que hora abren' }), edit_date: 1 } });
    await api.until(
      () =>
        texts(10).length === 1 &&
        texts(11).length === 1 &&
        texts(-500).length === 1 &&
        texts(13).length === 1,
    );
    expect(texts(10)[0]).toMatch(/solo leo texto y ubicaciones/);
    expect(texts(11)[0]).toMatch(/solo leo texto y ubicaciones/);
    expect(texts(-500)[0]).toMatch(/8:00 a 20:00/);
    expect(texts(13)[0]).toMatch(/8:00 a 20:00/);
  });

  it('answers an update delivered twice only once', async () => {
    await startBot();
    const update = { update_id: 999, message: api.message(14, { text: 'hola' }) };
    // the same update twice in one batch, as after a redelivery
    (api as unknown as { updates: unknown[] }).updates.push(update, update);
    api.push({ message: api.message(14, { text: 'gracias' }) });
    await api.until(() => texts(14).length === 2);
    await new Promise((r) => setTimeout(r, 100));
    expect(texts(14)).toHaveLength(2);
  });
});

describe('Telegram faults: nothing lost, nothing sent to a user who blocked the bot', () => {
  it('waits as told on 429 and then delivers', async () => {
    await startBot();
    api.faults.push({ method: 'sendMessage', chatId: 20, status: 429, retryAfter: 1, times: 1 });
    const t0 = Date.now();
    api.text(20, 'hola');
    await api.until(() => texts(20).length === 1);
    expect(Date.now() - t0).toBeGreaterThanOrEqual(950);
    expect(api.hits.get('sendMessage')).toBe(2);
  });

  it('answers even when the command menu cannot be registered', async () => {
    api.faults.push({ method: 'setMyCommands', status: 500, times: 3 });
    await startBot();
    api.text(24, 'hola');
    await api.until(() => texts(24).length === 1);
    expect(api.hits.get('setMyCommands')).toBe(3);
  });

  it('retries 5xx answers and dropped connections with backoff', async () => {
    await startBot();
    api.faults.push(
      { method: 'sendMessage', chatId: 21, status: 500, times: 2 },
      { method: 'sendMessage', chatId: 21, status: 'drop', times: 1 },
    );
    api.text(21, 'gracias');
    await api.until(() => texts(21).length === 1);
    expect(texts(21)[0]).toMatch(/Con gusto/);
  });

  it('stops sending to a chat after 403, and keeps serving the others', async () => {
    await startBot();
    api.faults.push({ method: 'sendMessage', chatId: 22, status: 403, times: 1000 });
    api.text(22, 'donde me vacuno'); // two replies: the second is never attempted
    api.text(23, 'hola');
    await api.until(() => texts(23).length === 1);
    await app.outbound.drain();
    expect(api.faults[0]?.times).toBe(999); // one attempt, then silence
    expect(app.outbound.scheduler('telegram')?.isBlocked('22')).toBe(true);
    // Writing again means the person has unblocked the bot (or may have): their answer is tried again, once.
    api.text(22, 'hola');
    api.text(23, 'gracias');
    await api.until(() => texts(23).length === 2);
    await app.outbound.drain();
    expect(api.faults[0]?.times).toBe(998);
    expect(app.outbound.scheduler('telegram')?.isBlocked('22')).toBe(true);
  });

  it('answers a burst of 200 messages from 50 chats, in order within each chat', async () => {
    await startBot();
    const script: [string, RegExp][] = [
      ['hola', /Soy VacunaBot/],
      ['a que hora abren', /8:00 a 20:00/],
      ['gracias', /Con gusto/],
      ['ayuda', /Elige una opción/],
    ];
    for (const [text] of script) for (let chat = 0; chat < 50; chat++) api.text(3000 + chat, text);
    api.faults.push(
      { method: 'sendMessage', status: 429, retryAfter: 1, times: 3 },
      { method: 'sendMessage', status: 502, times: 3 },
    );
    await api.until(
      () => Array.from({ length: 50 }, (_, c) => texts(3000 + c).length).every((n) => n === 4),
      20_000,
    );
    for (let chat = 0; chat < 50; chat++) {
      texts(3000 + chat).forEach((text, i) => {
        expect(text).toMatch((script[i] as [string, RegExp])[1]);
      });
    }
  });

  it('finishes replies in flight when stopped', async () => {
    const bot = await startBot();
    api.faults.push({ method: 'sendMessage', chatId: 24, status: 429, retryAfter: 1, times: 1 });
    api.text(24, 'hola');
    await api.until(() => (api.hits.get('sendMessage') ?? 0) >= 1);
    expect(bot.health().ok).toBe(true);
    await stopBot();
    expect(texts(24)).toHaveLength(1);
  });
});

describe('Telegram webhook mode', () => {
  it('registers the webhook, checks the secret, serves /healthz, and answers posted updates', async () => {
    const bot = await startBot({
      webhookUrl: 'https://bot.example.test/tg/hook',
      webhookSecret: 'a-secret-of-16-chars',
    });
    expect(api.calls.find((c) => c.method === 'setWebhook')?.body).toMatchObject({
      url: 'https://bot.example.test/tg/hook',
      secret_token: 'a-secret-of-16-chars',
    });
    expect(bot.health().ok).toBe(true);
    const base = `http://127.0.0.1:${host?.boundPort()}`;
    const health = await fetch(`${base}/healthz`);
    expect(health.status).toBe(200);
    expect(await health.json()).toEqual({ ok: true, checks: { telegram: { ok: true } } });
    const update = (id: number, text: string) =>
      JSON.stringify({ update_id: id, message: api.message(30, { text }) });
    const wrong = await fetch(`${base}/tg/hook`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        'x-telegram-bot-api-secret-token': 'wrong-secret-123456',
      },
      body: update(1, 'hola'),
    });
    expect(wrong.status).toBe(403);
    const right = await fetch(`${base}/tg/hook`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        'x-telegram-bot-api-secret-token': 'a-secret-of-16-chars',
      },
      body: update(2, 'a que hora abren'),
    });
    expect(right.status).toBe(200);
    await api.until(() => texts(30).length === 1);
    expect(texts(30)[0]).toMatch(/8:00 a 20:00/);
    expect((await fetch(`${base}/other`)).status).toBe(404);
  });
});
