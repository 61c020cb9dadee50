import { spawn } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FakeBotApi } from '../../../src/devtools/fake-telegram-bot-api.js';
import { tempDir } from '../../harness.js';

let tmp: ReturnType<typeof tempDir>;
beforeAll(() => {
  tmp = tempDir();
});
afterAll(() => tmp.cleanup());

describe('npm start with TELEGRAM_BOT_TOKEN and TELEGRAM_API_ROOT', () => {
  it('answers like the console does, and stops cleanly on SIGTERM', async () => {
    const api = new FakeBotApi();
    const apiRoot = await api.start();
    // A plain shell's environment: without the npm_* variables an outer `npm test` exports.
    const env = Object.fromEntries(Object.entries(process.env).filter(([k]) => !/^npm_/i.test(k)));
    const child = spawn('npm', ['start'], {
      env: {
        ...env,
        TELEGRAM_BOT_TOKEN: api.token,
        TELEGRAM_API_ROOT: apiRoot,
        DB_PATH: `${tmp.dir}/bot.db`,
        LOG_LEVEL: 'info',
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
    let stderr = '';
    child.stderr.on('data', (d) => {
      stderr += d;
    });
    const exited = new Promise<number | null>((resolve) => child.on('close', resolve));
    try {
      await api.until(() => (api.hits.get('getUpdates') ?? 0) > 0, 20_000);
      api.text(55, 'tengo 67 y soy diabetico');
      await api.until(() => api.sent(55).length > 0);
      expect(String(api.sent(55)[0]?.body.text)).toMatch(/✅ Influenza/);
      signal('SIGTERM');
      await exited; // every process of the group has closed its output: the bot is gone
      expect(stderr).toMatch(/finishing replies in flight/);
      expect(stderr).toMatch(/"msg":"stopped"/);
      expect(stderr).not.toMatch(/diabetico/);
    } finally {
      signal('SIGKILL');
      await api.stop();
    }
  });
});
