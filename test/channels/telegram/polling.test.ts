import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { App } from '../../../src/app.js';
import { TelegramChannel } from '../../../src/channels/telegram/channel.js';
import { createTranslator } from '../../../src/core/i18n.js';
import { FakeBotApi, type Fault } from '../../../src/devtools/fake-telegram-bot-api.js';
import { ConfigError } from '../../../src/errors.js';
import { buildApp, tempDir } from '../../harness.js';

const FAST = { perChatPerSecond: 1000, perChatBurst: 1000, globalPerSecond: 10_000, backoffMs: 20 };
const translate = createTranslator('locales');

let tmp: ReturnType<typeof tempDir>;
let app: App;
let api: FakeBotApi;
let channel: TelegramChannel | undefined;
let logged: { level: string; obj: object; msg: string }[];

beforeEach(() => {
  tmp = tempDir();
  app = buildApp(`${tmp.dir}/bot.db`);
  api = new FakeBotApi();
  logged = [];
});
afterEach(async () => {
  await channel?.stop();
  channel = undefined;
  await app.runner.idle();
  await app.outbound.drain();
  await api.stop();
  await app.close();
  tmp.cleanup();
});

/** A polling channel on the fake API, with these faults set before it starts and short retry waits. */
async function startPolling(faults: Fault[], token = api.token) {
  const apiRoot = await api.start();
  api.faults.push(...faults);
  const log = {
    info() {},
    warn: (obj: object, msg: string) => logged.push({ level: 'warn', obj, msg }),
    error: (obj: object, msg: string) => logged.push({ level: 'error', obj, msg }),
  };
  channel = new TelegramChannel(
    { token, apiRoot, limits: FAST, pollBackoff: { firstMs: 20, maxMs: 100 } },
    { runner: app.runner, outbound: app.outbound, translate, log },
  );
  await channel.start();
  return channel;
}

const texts = (chat: number) => api.sent(chat).map((c) => String(c.body.text));

describe('Telegram long polling that survives', () => {
  it.each([
    [409, 'another instance is polling with this token'],
    [401, 'the bot token is wrong'],
    [404, 'the bot token is wrong'],
  ] as const)('ends as fatal on %i from getUpdates, saying %s', async (status, reason) => {
    const bot = await startPolling([{ method: 'getUpdates', status, times: 1 }]);
    expect(await bot.finished).toMatchObject({ kind: 'fatal', reason });
    expect(bot.health()).toEqual({ ok: false, detail: 'failed' });
    expect(logged.filter((l) => l.level === 'error').map((l) => l.msg)).toEqual([
      `Telegram polling stopped: ${reason}`,
    ]);
  });

  it('retries 5xx and dropped connections with backoff, then answers', async () => {
    const bot = await startPolling([
      { method: 'getUpdates', status: 500, times: 2 },
      { method: 'getUpdates', status: 'drop', times: 1 },
    ]);
    api.text(40, 'a que hora abren');
    await api.until(() => texts(40).length === 1);
    expect(texts(40)[0]).toMatch(/8:00 a 20:00/);
    expect(api.hits.get('getUpdates')).toBeGreaterThanOrEqual(4);
    expect(logged.filter((l) => l.level === 'warn')).toHaveLength(3);
    // the log names what failed, never the URL (it holds the token)
    expect(JSON.stringify(logged)).not.toContain(api.token);
    expect(bot.health().ok).toBe(true);
  });

  it('waits as told on 429, then answers', async () => {
    await startPolling([{ method: 'getUpdates', status: 429, retryAfter: 1, times: 1 }]);
    api.text(41, 'hola');
    await api.until(() => texts(41).length === 1);
    expect(logged[0]?.obj).toMatchObject({ retryInMs: 1000 });
  });

  it('refuses to start with a wrong token, as a configuration error naming TELEGRAM_BOT_TOKEN', async () => {
    const start = startPolling([], '123456:a-token-the-api-does-not-know');
    await expect(start).rejects.toBeInstanceOf(ConfigError);
    await expect(start).rejects.toThrow(/^TELEGRAM_BOT_TOKEN: the bot token is wrong/);
  });

  it('stops on shutdown as a clean end', async () => {
    const bot = await startPolling([]);
    await api.until(() => (api.hits.get('getUpdates') ?? 0) > 0);
    await bot.stop();
    expect(await bot.finished).toEqual({ kind: 'stopped' });
    channel = undefined;
  });
});
