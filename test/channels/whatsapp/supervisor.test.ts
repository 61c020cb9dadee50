import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { join } from 'node:path';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { App } from '../../../src/app.js';
import { WhatsAppChannel, type WhatsAppConfig } from '../../../src/channels/whatsapp/channel.js';
import { BROWSER_TAG, browserTag, createClient } from '../../../src/channels/whatsapp/client.js';
import { type Client, Events } from '../../../src/channels/whatsapp/wwebjs.js';
import { buildApp, tempDir } from '../../harness.js';
import { FakeWeb, Message } from './fake-web.js';
import { BOT, PERSON, text } from './fixtures.js';
import { FAST, type LogRecord, translate } from './world.js';

/**
 * The supervisor's decisions, fast: real whatsapp-web.js Clients whose browser-bound
 * initialize() is scripted per attempt (fail, connect, connect then drop…). The same code
 * against real Chromium is in supervisor.chromium.test.ts.
 */
type Script = (client: Client) => Promise<void>;

let tmp: ReturnType<typeof tempDir>;
let app: App;
beforeAll(() => {
  tmp = tempDir();
  app = buildApp(join(tmp.dir, 'bot.db'));
});
afterAll(async () => {
  await app.close();
  tmp.cleanup();
});

function harness(scripts: Script[], supervisor: { maxAttempts: number }) {
  const events: string[] = [];
  const logs: LogRecord[] = [];
  const clients: Client[] = [];
  const config: WhatsAppConfig = {
    PUPPETEER_EXECUTABLE_PATH: '/usr/bin/chromium',
    WHATSAPP_SESSION_DIR: join(tmp.dir, 'session'),
    WHATSAPP_GLOBAL_PER_SECOND: 5,
    DEFAULT_LANG: 'es',
    HASH_SALT: 'test-salt-0123456789abcdef',
  };
  const channel = new WhatsAppChannel(
    { runner: app.runner, outbound: app.outbound, translate },
    config,
    pino({ level: 'debug', base: undefined }, { write: (l: string) => logs.push(JSON.parse(l)) }),
    {
      limits: FAST,
      supervisor: {
        ...supervisor,
        backoffBaseMs: 20,
        backoffMaxMs: 60,
        destroyTimeoutMs: 200,
        exitGraceMs: 100,
      },
      createClient: () => {
        const n = clients.length + 1;
        const client = createClient(config);
        const script = scripts[n - 1] ?? (async () => {});
        client.initialize = () => script(client);
        const destroy = client.destroy.bind(client);
        client.destroy = async () => {
          events.push(`destroy ${n}`);
          return destroy();
        };
        events.push(`create ${n}`);
        clients.push(client);
        return client;
      },
    },
  );
  return { channel, events, logs, clients };
}

const fail: Script = async () => {
  throw 'auth timeout'; // what whatsapp-web.js throws when WhatsApp Web does not load
};
const connect: Script = async (client) => {
  setImmediate(() => client.emit(Events.READY));
};
/** Processes of a group still running (not zombies). */
const groupMembers = (pgid: number) =>
  execFileSync('ps', ['-eo', 'pgid=,stat='], { encoding: 'utf8' })
    .split('\n')
    .map((l) => l.trim().split(/\s+/))
    .filter(([group, stat]) => Number(group) === pgid && !stat?.startsWith('Z')).length;
const tick = () => new Promise((resolve) => setTimeout(resolve, 30));
/** Polls until `check` holds, up to a deadline in time (not in tries: on a loaded machine each try is slow). */
const until = async (check: () => boolean) => {
  const deadline = Date.now() + 15_000;
  while (!check() && Date.now() < deadline) await tick();
  expect(check()).toBe(true);
};

describe('WhatsApp supervisor', () => {
  it("re-creates the client after a failed initialize, 'disconnected' and 'auth_failure', destroying the old one first", async () => {
    const { channel, events, logs, clients } = harness(
      [
        fail,
        connect,
        async (c) => {
          setImmediate(() => c.emit(Events.AUTHENTICATION_FAILURE, 'restore failed'));
        },
        connect,
      ],
      { maxAttempts: 3 },
    );
    await channel.start();
    await until(() => clients.length === 2 && logs.some((l) => l.msg === 'WhatsApp ready'));
    clients[1]?.emit(Events.DISCONNECTED, 'NAVIGATION');
    await until(() => clients.length === 4 && logs.filter((l) => l.msg === 'WhatsApp ready').length === 2);

    expect(events).toEqual([
      'create 1',
      'destroy 1',
      'create 2',
      'destroy 2',
      'create 3',
      'destroy 3',
      'create 4',
    ]);
    const ended = logs.filter((l) => l.msg === 'WhatsApp client ended; re-creating it');
    expect(ended.map((l) => [l.reason, l.failures, l.retryInMs])).toEqual([
      ['initialize failed: auth timeout', 1, 20],
      ['disconnected: NAVIGATION', 0, 20], // it had been ready: counting starts afresh
      ['auth_failure', 1, 20],
    ]);
    expect(logs.some((l) => l.msg === 'WhatsApp disconnected' && l.reason === 'NAVIGATION')).toBe(true);
    expect(logs.some((l) => l.msg.startsWith('WhatsApp authentication failed'))).toBe(true);

    // Replies go out through the client that is connected now.
    const web = new FakeWeb(BOT);
    (clients[3] as Client).pupPage = web.page as unknown as Client['pupPage'];
    clients[3]?.emit(Events.MESSAGE_RECEIVED, new Message(clients[3] as Client, text(PERSON, 'hola')));
    await new Promise((resolve) => setImmediate(resolve));
    await app.runner.idle();
    await app.outbound.drain();
    expect(web.sentTo(PERSON)).toHaveLength(1);

    await channel.stop();
    expect(events.at(-1)).toBe('destroy 4');
    expect(await channel.finished).toBe('stopped');
  });

  it('gives up after maxAttempts failures in a row, with one clear error line', async () => {
    const { channel, events, logs } = harness([fail, fail, fail, connect], { maxAttempts: 3 });
    await channel.start();
    expect(await channel.finished).toBe('gave-up');
    expect(events).toEqual(['create 1', 'destroy 1', 'create 2', 'destroy 2', 'create 3', 'destroy 3']);
    const errors = logs.filter((l) => l.level === 50);
    expect(errors).toHaveLength(1);
    expect(errors[0]?.msg).toMatch(/^WhatsApp: giving up after 3 failed attempts in a row/);
  });

  it('kills the browser process group when destroy() hangs', async () => {
    // A stand-in for Chromium: a real process leading its own group (as puppeteer launches it), with a child.
    let browser: ChildProcess | undefined;
    const hungBrowser: Script = async (client) => {
      browser = spawn('sh', ['-c', 'sleep 60 & sleep 60'], { detached: true, stdio: 'ignore' });
      client.pupBrowser = {
        isConnected: () => true,
        close: () => new Promise<void>(() => {}), // never closes
        process: () => browser,
      } as unknown as Client['pupBrowser'];
      throw new Error('Protocol error (Page.navigate): Target closed');
    };
    const { channel, logs } = harness([hungBrowser], { maxAttempts: 1 });
    await channel.start();
    expect(await channel.finished).toBe('gave-up');
    expect(
      logs.some(
        (l) => l.msg.startsWith('WhatsApp client did not close cleanly') && l.destroyed === 'timeout',
      ),
    ).toBe(true);
    await until(() => browser?.signalCode === 'SIGKILL');
    // The whole group is gone, the backgrounded child too (zombies waiting for init to reap them have exited).
    await until(() => groupMembers(browser?.pid as number) === 0);
  });

  it('also kills what the browser started outside its process group, found by its tag', async () => {
    // Chromium's crash handler starts a session of its own: a group kill does not reach it.
    let browser: ChildProcess | undefined;
    let escaped: ChildProcess | undefined;
    let untagged: ChildProcess | undefined;
    const browserWithEscapee: Script = async (client) => {
      const env = { ...process.env, [BROWSER_TAG]: browserTag(client) };
      browser = spawn('sleep', ['60'], { detached: true, stdio: 'ignore', env });
      escaped = spawn('sleep', ['60'], { detached: true, stdio: 'ignore', env });
      // Someone else's process in a group of its own: left alone.
      untagged = spawn('sleep', ['60'], { detached: true, stdio: 'ignore' });
      client.pupBrowser = {
        isConnected: () => true,
        close: async () => {
          browser?.kill('SIGTERM');
        },
        process: () => browser,
      } as unknown as Client['pupBrowser'];
      throw new Error('net::ERR_PROXY_CONNECTION_FAILED');
    };
    const { channel } = harness([browserWithEscapee], { maxAttempts: 1 });
    await channel.start();
    try {
      expect(await channel.finished).toBe('gave-up');
      // Killed and waited for before the supervisor went on.
      expect(escaped?.pid && groupMembers(escaped.pid)).toBe(0);
      await until(() => escaped?.signalCode === 'SIGKILL');
      expect(untagged?.exitCode).toBeNull();
      expect(untagged?.signalCode).toBeNull();
    } finally {
      for (const p of [browser, escaped, untagged]) p?.kill('SIGKILL');
    }
  });
});
