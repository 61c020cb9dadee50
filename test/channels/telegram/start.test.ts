import { spawn, spawnSync } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FakeBotApi } from '../../../src/devtools/fake-telegram-bot-api.js';
import { tempDir } from '../../harness.js';

let tmp: ReturnType<typeof tempDir>;
beforeAll(() => {
  tmp = tempDir();
  // `npm start` compiles dist/ first when it is stale (a fresh clone): done here, outside the test's clock.
  const build = spawnSync(process.execPath, ['src/cli/build-if-stale.mjs'], { stdio: 'inherit' });
  expect(build.status).toBe(0);
}, 180_000);
afterAll(() => tmp.cleanup());

/** `npm start` on the fake API, in its own process group; its stderr is collected. */
function npmStart(apiRoot: string, env: Record<string, string>) {
  // A plain shell's environment: without the npm_* variables an outer `npm test` exports.
  const plain = Object.fromEntries(Object.entries(process.env).filter(([k]) => !/^npm_/i.test(k)));
  const child = spawn('npm', ['start'], {
    env: {
      ...plain,
      TELEGRAM_API_ROOT: apiRoot,
      DB_PATH: `${tmp.dir}/bot.db`,
      LOG_LEVEL: 'info',
      ...env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
    // its own process group, signalled as a terminal or a service manager does (npm alone does not forward it)
    detached: true,
  });
  const signal = (sig: NodeJS.Signals) => {
    try {
      process.kill(-(child.pid as number), sig);
    } catch {
      // already gone
    }
  };
  const output = { stderr: '' };
  child.stderr.on('data', (d) => {
    output.stderr += d;
  });
  const exited = new Promise<number | null>((resolve) => child.on('close', resolve));
  return { signal, output, exited };
}

describe('npm start with TELEGRAM_BOT_TOKEN and TELEGRAM_API_ROOT', () => {
  it('answers like the console does, and stops cleanly on SIGTERM', async () => {
    const api = new FakeBotApi();
    const bot = npmStart(await api.start(), { TELEGRAM_BOT_TOKEN: api.token });
    try {
      await api.until(() => (api.hits.get('getUpdates') ?? 0) > 0, 20_000);
      api.text(55, 'tengo 67 y soy diabetico');
      await api.until(() => api.sent(55).length > 0);
      expect(String(api.sent(55)[0]?.body.text)).toMatch(/✅ Influenza/);
      bot.signal('SIGTERM');
      await bot.exited; // every process of the group has closed its output: the bot is gone
      expect(bot.output.stderr).toMatch(/finishing replies in flight/);
      expect(bot.output.stderr).toMatch(/"msg":"stopped"/);
      expect(bot.output.stderr).not.toMatch(/diabetico/);
    } finally {
      bot.signal('SIGKILL');
      await api.stop();
    }
  });

  // A supervisor restarts on a non-zero status only: these must never look like a clean stop.
  it.each([
    ['getUpdates answers 401', 'the bot token is wrong', 401],
    ['another instance polls (409)', 'another instance is polling with this token', 409],
  ] as const)('exits non-zero with one clear line when %s', async (_what, line, status) => {
    const api = new FakeBotApi();
    const apiRoot = await api.start();
    api.faults.push({ method: 'getUpdates', status, times: Number.POSITIVE_INFINITY });
    const bot = npmStart(apiRoot, { TELEGRAM_BOT_TOKEN: api.token });
    const timer = setTimeout(() => bot.signal('SIGKILL'), 25_000);
    try {
      expect(await bot.exited).toBe(1);
      expect(bot.output.stderr).toContain(`Telegram polling stopped: ${line}`);
      expect(bot.output.stderr).toMatch(/"msg":"stopped"/);
    } finally {
      clearTimeout(timer);
      bot.signal('SIGKILL');
      await api.stop();
    }
  });

  it('exits non-zero with a configuration error when Telegram does not know the token', async () => {
    const api = new FakeBotApi();
    const bot = npmStart(await api.start(), { TELEGRAM_BOT_TOKEN: '123456:a-token-the-api-does-not-know' });
    const timer = setTimeout(() => bot.signal('SIGKILL'), 25_000);
    try {
      expect(await bot.exited).toBe(1);
      expect(bot.output.stderr).toMatch(/Configuration error: TELEGRAM_BOT_TOKEN: the bot token is wrong/);
    } finally {
      clearTimeout(timer);
      bot.signal('SIGKILL');
      await api.stop();
    }
  });

  it('exits 0 within SHUTDOWN_MS even while Telegram asks it to wait 60 s before the next send', async () => {
    const api = new FakeBotApi();
    const bot = npmStart(await api.start(), { TELEGRAM_BOT_TOKEN: api.token, SHUTDOWN_MS: '3000' });
    const timer = setTimeout(() => bot.signal('SIGKILL'), 25_000);
    try {
      await api.until(() => (api.hits.get('getUpdates') ?? 0) > 0, 20_000);
      api.faults.push({ method: 'sendMessage', chatId: 56, status: 429, retryAfter: 60, times: 1 });
      api.text(56, 'hola');
      await api.until(() => (api.hits.get('sendMessage') ?? 0) >= 1);
      const t0 = Date.now();
      bot.signal('SIGTERM');
      await bot.exited; // npm itself dies of the group's SIGTERM: the bot's own status is in its log
      expect(Date.now() - t0).toBeLessThan(3_000 + 1_500);
      expect(bot.output.stderr).toMatch(/some queued replies were not sent before stopping/);
      expect(bot.output.stderr).toMatch(/"msg":"stopped"/);
    } finally {
      clearTimeout(timer);
      bot.signal('SIGKILL');
      await api.stop();
    }
  });
});
