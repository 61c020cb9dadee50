import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { createServer, type Server, type Socket } from 'node:net';
import { join } from 'node:path';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { App } from '../../../src/app.js';
import { WhatsAppChannel, type WhatsAppConfig } from '../../../src/channels/whatsapp/channel.js';
import {
  BROWSER_TAG,
  browserProcess,
  browserTag,
  createClient,
} from '../../../src/channels/whatsapp/client.js';
import type { Client } from '../../../src/channels/whatsapp/wwebjs.js';
import { buildApp, tempDir } from '../../harness.js';
import type { LogRecord } from './world.js';
import { translate } from './world.js';

/**
 * The supervisor against a real Debian Chromium that cannot reach web.whatsapp.com. Every request
 * goes through a proxy on 127.0.0.1 (nothing leaves the machine, even where there is internet):
 * a closed port makes initialize() fail at once; a proxy that accepts and never answers makes it
 * hang, which only our timeout ends.
 */
const CHROMIUM = process.env.PUPPETEER_EXECUTABLE_PATH ?? '/usr/bin/chromium';

/** Running (not zombie) Chromium processes: pid → process group. */
function chromiumProcesses(): Map<number, number> {
  const out = execFileSync('ps', ['-eo', 'pid=,pgid=,stat=,comm='], { encoding: 'utf8' });
  const found = new Map<number, number>();
  for (const line of out.split('\n')) {
    const [pid, pgid, stat, comm] = line.trim().split(/\s+/);
    if (stat && !stat.startsWith('Z') && /chrom/i.test(comm ?? '')) found.set(Number(pid), Number(pgid));
  }
  return found;
}

/** What the watch saw of one new Chromium process. */
interface Seen {
  pgid: number;
  /** The browser tag in its environment (processes that rewrite their title lose it). */
  tag: string | undefined;
  /**
   * It had ended, or was ending, by the time its environment was read: the crash handler's
   * launcher starts a session, forks the handler and exits at once, so a poll can list it and then
   * find it gone, or find its memory (environment included) already freed while it still shows as
   * running (on a loaded machine, for a while). A process that ends on its own needs no reaching.
   */
  endedBeforeRead: boolean;
}

/**
 * Records, every 100 ms and once more when stopped, each Chromium process that was not running
 * before: its process group, and the browser tag in its environment. The crash handler leaves the
 * browser's group (it starts a session of its own), so the supervisor finds it by the tag.
 */
function watchChromium(before: Map<number, number>) {
  const seen = new Map<number, Seen>();
  const poll = () => {
    for (const [pid, pgid] of chromiumProcesses()) {
      if (before.has(pid) || seen.has(pid)) continue;
      let env = '';
      try {
        env = readFileSync(`/proc/${pid}/environ`, 'latin1');
      } catch {}
      const tag = env
        .split('\0')
        .find((v) => v.startsWith(`${BROWSER_TAG}=`))
        ?.slice(BROWSER_TAG.length + 1);
      // A running process always has an environment: an empty one means it was exiting.
      seen.set(pid, { pgid, tag, endedBeforeRead: tag === undefined && (env === '' || !running(pid)) });
    }
  };
  const timer = setInterval(poll, 100);
  return {
    stop() {
      clearInterval(timer);
      poll(); // what runs now, however recently started
      return seen;
    },
  };
}

/** A process that still runs (a zombie has exited: only its table entry waits to be reaped). */
function running(pid: number): boolean {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2)[0] !== 'Z';
  } catch {
    return false;
  }
}

/** Resident memory of a browser's whole process group: RSS (overcounts shared pages) and PSS (fair share), in MB. */
function browserMemory(pgid: number): { rssMb: number; pssMb: number; processes: number } {
  const out = execFileSync('ps', ['-eo', 'pid=,pgid=,rss=,stat='], { encoding: 'utf8' });
  let rss = 0;
  let pss = 0;
  let processes = 0;
  for (const line of out.split('\n')) {
    const [pid, group, kb, stat] = line.trim().split(/\s+/);
    if (Number(group) !== pgid || stat?.startsWith('Z')) continue;
    processes++;
    rss += Number(kb);
    try {
      const rollup = readFileSync(`/proc/${pid}/smaps_rollup`, 'utf8');
      pss += Number(/^Pss:\s+(\d+)/m.exec(rollup)?.[1] ?? 0);
    } catch {}
  }
  return { rssMb: Math.round(rss / 1024), pssMb: Math.round(pss / 1024), processes };
}

/**
 * Every Chromium process seen was in a client's browser group or carried its tag (so the
 * supervisor could find it) or had already ended on its own, and none of them runs any more.
 * A browser whose launch was cut short is not known to whatsapp-web.js: its group is the one its
 * tagged leader heads. Browsers tagged by another bot (a test run in another checkout) are not ours.
 */
function expectAllReachedAndEnded(seen: Map<number, Seen>, clients: Client[]): void {
  const tags = clients.map(browserTag);
  const groups = clients.map((c) => browserProcess(c)?.pid);
  const leaders = [...seen].filter(([pid, { pgid, tag }]) => pid === pgid && tag !== undefined);
  for (const [pid, { tag }] of leaders) if (tags.includes(tag)) groups.push(pid);
  const foreign = (pgid: number, tag: string | undefined) =>
    tag === undefined
      ? leaders.some(([leader, l]) => leader === pgid && !tags.includes(l.tag))
      : !tags.includes(tag);
  for (const [pid, { pgid, tag }] of seen) if (foreign(pgid, tag)) seen.delete(pid);
  expect(seen.size).toBeGreaterThan(clients.length);
  for (const [pid, { pgid, tag, endedBeforeRead }] of seen) {
    const reachable = groups.includes(pgid) || tags.includes(tag) || endedBeforeRead;
    expect(reachable, `pid ${pid}, group ${pgid}`).toBe(true);
    expect(running(pid), `pid ${pid}`).toBe(false);
  }
}

let tmp: ReturnType<typeof tempDir>;
let app: App;
let blackhole: Server;
const held: Socket[] = [];

beforeAll(async () => {
  tmp = tempDir();
  app = buildApp(join(tmp.dir, 'bot.db'));
  blackhole = createServer((socket) => {
    held.push(socket); // accept, read, never answer
  });
  await new Promise<void>((resolve) => blackhole.listen(0, '127.0.0.1', resolve));
});
afterAll(async () => {
  for (const s of held) s.destroy();
  await new Promise((resolve) => blackhole.close(resolve));
  app?.close();
  tmp?.cleanup();
});

/** A channel whose clients are built by the production options plus a proxy flag, each one recorded. */
function channelThrough(proxy: string, supervisor: { initTimeoutMs: number; maxAttempts: number }) {
  const logs: LogRecord[] = [];
  const clients: Client[] = [];
  const config: WhatsAppConfig = {
    PUPPETEER_EXECUTABLE_PATH: CHROMIUM,
    WHATSAPP_SESSION_DIR: join(tmp.dir, `session-${clients.length}-${Date.now()}`),
    WHATSAPP_GLOBAL_PER_SECOND: 5,
    DEFAULT_LANG: 'es',
    HASH_SALT: 'test-salt-0123456789abcdef',
  };
  const log = pino({ level: 'debug', base: undefined }, { write: (l: string) => logs.push(JSON.parse(l)) });
  const channel = new WhatsAppChannel(
    { runner: app.runner, outbound: app.outbound, translate },
    config,
    log,
    {
      supervisor: {
        ...supervisor,
        destroyTimeoutMs: 3_000,
        exitGraceMs: 1_000,
        lateLaunchWatchMs: 5_000,
        backoffBaseMs: 200,
        backoffMaxMs: 400,
      },
      createClient: () => {
        const client = createClient(config, [`--proxy-server=${proxy}`]);
        clients.push(client);
        return client;
      },
    },
  );
  return { channel, clients, logs };
}

describe.skipIf(!existsSync(CHROMIUM))(
  'WhatsApp supervisor with real Chromium, WhatsApp Web unreachable',
  () => {
    it('gives up after the bounded attempts when initialize() fails, leaving no Chromium behind', async () => {
      const before = chromiumProcesses();
      // A loopback port with nobody listening: ERR_PROXY_CONNECTION_FAILED on the first request.
      const closed = createServer();
      await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
      const port = (closed.address() as { port: number }).port;
      await new Promise((resolve) => closed.close(resolve));

      const { channel, clients, logs } = channelThrough(`http://127.0.0.1:${port}`, {
        initTimeoutMs: 5_000,
        maxAttempts: 3,
      });
      const watch = watchChromium(before);
      await channel.start();
      expect(await channel.finished).toBe('gave-up');
      expectAllReachedAndEnded(watch.stop(), clients);

      expect(clients).toHaveLength(3);
      const pids = clients.map((c) => browserProcess(c)?.pid);
      expect(pids.every((pid) => typeof pid === 'number')).toBe(true);
      for (const pid of pids) expect(running(pid as number)).toBe(false);
      expect(
        logs.filter((l) => l.msg === 'WhatsApp client ended; re-creating it').map((l) => l.retryInMs),
      ).toEqual([200, 400]);
      const gaveUp = logs.find((l) => l.level === 50);
      expect(gaveUp?.msg).toMatch(/giving up after 3 failed attempts/);
      expect(String(gaveUp?.reason)).toMatch(/initialize failed: net::ERR_PROXY_CONNECTION_FAILED/);
      await channel.stop();
    });

    it('ends a hung initialize() at its timeout, kills that browser and retries, still bounded', async () => {
      const before = chromiumProcesses();
      const port = (blackhole.address() as { port: number }).port;
      const { channel, clients, logs } = channelThrough(`http://127.0.0.1:${port}`, {
        initTimeoutMs: 4_000,
        maxAttempts: 2,
      });
      const watch = watchChromium(before);
      await channel.start();

      // While a browser waits on the page load, measure what a running bot costs: the largest
      // sample, since on a loaded machine a browser may be up only briefly before its timeout.
      let memory: ReturnType<typeof browserMemory> | undefined;
      const sampler = setInterval(() => {
        for (const c of clients) {
          const pid = browserProcess(c)?.pid;
          const sample = pid && running(pid) ? browserMemory(pid) : undefined;
          if (sample && sample.processes > (memory?.processes ?? 0)) memory = sample;
        }
      }, 100);
      expect(await channel.finished).toBe('gave-up');
      clearInterval(sampler);
      expectAllReachedAndEnded(watch.stop(), clients);

      expect(clients).toHaveLength(2);
      const ended = logs.filter((l) => l.msg === 'WhatsApp client ended; re-creating it');
      expect(ended.map((l) => l.reason)).toEqual(['initialize failed: initialize timed out']);
      for (const c of clients) expect(running(browserProcess(c)?.pid ?? -1)).toBe(false);
      await channel.stop();

      const nodeMb = Math.round(process.memoryUsage().rss / 1024 / 1024);
      // Under heavy load every launch may be cut short by the timeout: then there was nothing to measure.
      if (!memory)
        console.info(`[memory] node (bot + vitest) RSS ${nodeMb} MB; no browser finished launching`);
      else {
        expect(memory.processes).toBeGreaterThan(1);
        console.info(
          `[memory] node (bot + vitest) RSS ${nodeMb} MB; Chromium ${memory.processes} processes, RSS ${memory.rssMb} MB, PSS ${memory.pssMb} MB (blank page, WhatsApp Web not loaded)`,
        );
      }
    });
  },
);
