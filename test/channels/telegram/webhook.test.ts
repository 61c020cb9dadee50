import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { App } from '../../../src/app.js';
import { TelegramChannel } from '../../../src/channels/telegram/channel.js';
import { createTranslator } from '../../../src/core/i18n.js';
import { FakeBotApi } from '../../../src/devtools/fake-telegram-bot-api.js';
import { HttpHost } from '../../../src/http/host.js';
import { buildApp, tempDir } from '../../harness.js';

const FAST = { perChatPerSecond: 1000, perChatBurst: 1000, globalPerSecond: 10_000, backoffMs: 20 };
const SECRET = 'a-secret-of-16-chars';
const translate = createTranslator('locales');

let tmp: ReturnType<typeof tempDir>;
let app: App;
let api: FakeBotApi;
let channel: TelegramChannel;
let host: HttpHost;
let base: string;
let warnings: object[];

beforeEach(async () => {
  tmp = tempDir();
  app = buildApp(`${tmp.dir}/bot.db`);
  api = new FakeBotApi();
  warnings = [];
  const log = { info() {}, warn: (obj: object) => warnings.push(obj), error() {} };
  host = new HttpHost(0, undefined, '127.0.0.1');
  channel = new TelegramChannel(
    {
      token: api.token,
      apiRoot: await api.start(),
      limits: FAST,
      webhookUrl: 'https://bot.example.test/tg/hook',
      webhookSecret: SECRET,
    },
    { runner: app.runner, outbound: app.outbound, host, translate, log },
  );
  await host.start();
  await channel.start();
  base = `http://127.0.0.1:${host.boundPort()}`;
});
afterEach(async () => {
  await host.stop(100);
  await channel.stop();
  await app.runner.idle();
  await app.outbound.drain();
  await api.stop();
  await app.close();
  tmp.cleanup();
});

/** Posts a body to the webhook, with the right secret unless told otherwise ('' sends none). */
const post = (body: string, secret = SECRET) =>
  fetch(`${base}/tg/hook`, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      ...(secret ? { 'x-telegram-bot-api-secret-token': secret } : {}),
    },
    body,
  });
const update = (id: number, chat: number, text: string) =>
  JSON.stringify({ update_id: id, message: api.message(chat, { text }) });
const texts = (chat: number) => api.sent(chat).map((c) => String(c.body.text));

describe('the Telegram webhook route', () => {
  it.each([
    ['null', 'null'],
    ['an array', '[]'],
    ['a string', '"x"'],
    ['an object without update_id', '{}'],
    ['an update_id that is not an integer', '{"update_id":"7"}'],
    ['text that is not JSON', 'update_id=7'],
  ])('answers %s with 400, and the bot keeps answering', async (_what, body) => {
    expect((await post(body)).status).toBe(400);
    expect((await post(body)).status).toBe(400);
    expect((await post(update(1, 31, 'a que hora abren'))).status).toBe(200);
    await api.until(() => texts(31).length === 1);
    // logged once per kind, without the body
    expect(warnings).toHaveLength(1);
    expect(Object.keys(warnings[0] ?? {})).toEqual(['status', 'kind']);
  });

  it('answers a body over 1 MB with 413 and processes nothing', async () => {
    const big = JSON.stringify({
      update_id: 2,
      message: api.message(32, { text: 'x'.repeat(2 * 1024 * 1024) }),
    });
    expect((await post(big)).status).toBe(413);
    expect((await post(update(3, 33, 'hola'))).status).toBe(200);
    await api.until(() => texts(33).length === 1);
    expect(texts(32)).toEqual([]);
  });

  it('refuses a wrong or missing secret with 403 and sends no reply', async () => {
    expect((await post(update(4, 34, 'hola'), 'wrong-secret-123456')).status).toBe(403);
    expect((await post(update(5, 34, 'hola'), '')).status).toBe(403);
    expect((await post(update(6, 35, 'hola'))).status).toBe(200);
    await api.until(() => texts(35).length === 1);
    expect(texts(34)).toEqual([]);
  });

  it('answers a valid update 200 after handling it', async () => {
    const res = await post(update(7, 36, 'a que hora abren'));
    expect(res.status).toBe(200);
    // the answer waited for the update: the reply is already queued
    await api.until(() => texts(36).length === 1);
    expect(texts(36)[0]).toMatch(/8:00 a 20:00/);
  });
});
