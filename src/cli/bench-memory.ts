/**
 * `npm run bench -- memory` — the bot's idle memory, started as a user starts it (the package.json
 * script, without npm in between), after one question and one location pin, 30 s of idleness and a
 * full GC: console mode on the demo data, Telegram mode against the
 * fake Bot API on 127.0.0.1, and console mode with a 64,000-unit synthetic catalogue imported.
 * `--runs N` (default 3), `--idle-ms N` (default 30000); `--node-flags "..."` adds node flags to every run, to measure them first.
 * Targets (issue #17): idle RSS ≤ 120 MB on the demo data, ≤ 160 MB with a national catalogue.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openDb } from '../db/open.js';
import { FakeBotApi } from '../devtools/fake-telegram-bot-api.js';
import { freePort } from '../devtools/free-port.js';
import { importClues } from '../facilities/import/clues.js';
import { seededRandom } from '../random.js';
import { sleep, until } from '../timers.js';
import { syntheticCsv, syntheticUnits } from './bench-facilities.js';
import { scriptArgs } from './script-args.js';

function argValue(name: string): string | undefined {
  const at = process.argv.indexOf(name);
  return at > 0 ? process.argv[at + 1] : undefined;
}

const DEMO_TARGET_MB = 120;
const CATALOGUE_TARGET_MB = 160;
/**
 * Idle time after the last answer (`--idle-ms N`). V8 gives back the young generation that start-up
 * grew to 32 MB only when its memory reducer runs, after some seconds without work: 10 s was enough
 * in console mode, not with Telegram's long polling; 30 s was for both. Measured before that, RSS is
 * ~30-40 MB higher than what a server idles at.
 */
const IDLE_MS = Number(argValue('--idle-ms') ?? 30_000);
const SALT = 'bench-salt-0123456789abcdef';
const QUESTION = 'tengo 67 y soy diabetico';
const PIN = { lat: 19.35, lon: -99.16 };

/**
 * Loaded into the bot with --import: on SIGUSR2, two full GCs, then memoryUsage() on stderr. A data:
 * URL, so it works whatever the start script runs (tsx or built JavaScript) and adds no file.
 */
const PROBE = `data:text/javascript,${encodeURIComponent(
  "import v8 from 'node:v8';process.on('SIGUSR2',()=>{gc();gc();const spaces=Object.fromEntries(v8.getHeapSpaceStatistics().map(s=>[s.space_name,s.space_size]));process.stderr.write('memory-probe '+JSON.stringify({...process.memoryUsage(),spaces})+'\\n')})",
)}`;

interface Sample {
  rss: number;
  heapUsed: number;
  heapTotal: number;
  external: number;
  arrayBuffers: number;
  /** Committed bytes per V8 heap space (new_space, old_space, code_space, …). */
  spaces: Record<string, number>;
}

/** `--node-flags "<flags>"`: node/V8 flags to try before putting them in a script (measured, not guessed). */
function trialFlags(): string[] {
  return (argValue('--node-flags') ?? '').split(/\s+/).filter(Boolean);
}

/** The longest any step of a run is waited for. */
const STEP_MS = 60_000;

/** The bot in its own process group (stopped by its pid), with a plain environment. */
function spawnBot(script: string | string[], extra: string[], env: Record<string, string>) {
  const plain = Object.fromEntries(
    Object.entries(process.env).filter(
      ([k]) => !/^(npm_|TELEGRAM_|WHATSAPP_|DB_PATH|PORT$|HASH_SALT|NODE_OPTIONS)/i.test(k),
    ),
  );
  const child: ChildProcess = spawn(
    process.execPath,
    [
      '--expose-gc',
      ...trialFlags(),
      '--import',
      PROBE,
      ...(typeof script === 'string' ? scriptArgs(script) : script),
      ...extra,
    ],
    { env: { ...plain, LOG_LEVEL: 'warn', ...env }, stdio: ['pipe', 'pipe', 'pipe'], detached: true },
  );
  let stdout = '';
  let stderr = '';
  child.stdout?.on('data', (d) => {
    stdout += d;
  });
  child.stderr?.on('data', (d) => {
    stderr += d;
  });
  const pid = child.pid;
  if (pid === undefined) throw new Error('the bot did not start');
  return {
    child,
    stdout: () => stdout,
    async sample(idleMs = IDLE_MS): Promise<Sample> {
      await sleep(idleMs);
      process.kill(pid, 'SIGUSR2');
      await until(
        'the memory probe',
        () => /memory-probe (.*)\n/.test(stderr) || child.exitCode !== null,
        STEP_MS,
      );
      const line = /memory-probe (.*)\n/.exec(stderr)?.[1];
      if (!line) throw new Error(`the bot exited:\n${stderr.slice(-2000)}`);
      return JSON.parse(line) as Sample;
    },
    stop() {
      try {
        process.kill(-pid, 'SIGKILL');
      } catch {
        // gone already
      }
    },
  };
}

/** `npm start -- --jsonl` (the README's command, on the built code), a question and a pin, answered; then idle. */
async function consoleRun(dbPath: string): Promise<Sample> {
  const bot = spawnBot('start', ['--jsonl'], { DB_PATH: dbPath, HASH_SALT: SALT });
  try {
    bot.child.stdin?.write(`${JSON.stringify({ user: 'memory', text: QUESTION })}\n`);
    bot.child.stdin?.write(`${JSON.stringify({ user: 'memory', location: PIN })}\n`);
    await until(
      'two answers',
      () => bot.stdout().split('\n').length > 2 || bot.child.exitCode !== null,
      STEP_MS,
    );
    return await bot.sample();
  } finally {
    bot.stop();
  }
}

/** `npm start` with a bot token, polling the fake Bot API: the same question and pin. */
async function telegramRun(dbPath: string): Promise<Sample> {
  const api = new FakeBotApi();
  const apiRoot = await api.start();
  const bot = spawnBot('start', [], {
    DB_PATH: dbPath,
    HASH_SALT: SALT,
    TELEGRAM_BOT_TOKEN: api.token,
    TELEGRAM_API_ROOT: apiRoot,
    PORT: String(await freePort()),
    WHATSAPP_ENABLED: 'false',
    TELEGRAM_WEBHOOK_URL: '',
    TELEGRAM_WEBHOOK_SECRET: '',
  });
  try {
    api.text(55, QUESTION);
    api.push({ message: api.message(55, { location: { latitude: PIN.lat, longitude: PIN.lon } }) });
    await until('two answers', () => api.sent(55).length >= 2 || bot.child.exitCode !== null, STEP_MS);
    return await bot.sample();
  } finally {
    bot.stop();
    await api.stop();
  }
}

/** The floor under every mode: node, and node with tsx registered, doing nothing. */
async function baselineRun(args: string[]): Promise<Sample> {
  const bot = spawnBot([...args, '-e', 'setInterval(() => {}, 1e9)'], [], {});
  try {
    return await bot.sample(1_000);
  } finally {
    bot.stop();
  }
}

const mb = (bytes: number) => bytes / 1024 / 1024;
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? Number.NaN;

function report(mode: string, samples: Sample[], target?: number): void {
  const m = (k: Exclude<keyof Sample, 'spaces'>) => mb(median(samples.map((s) => s[k])));
  const space = (name: string) => mb(median(samples.map((s) => s.spaces[name] ?? 0))).toFixed(1);
  const rss = m('rss');
  const verdict =
    target === undefined
      ? ''
      : ` (target ≤ ${target} MB: ${rss <= target ? 'met' : `NOT met by ${(rss - target).toFixed(0)} MB`})`;
  console.log(
    `  ${mode.padEnd(24)} RSS ${rss.toFixed(0)} MB${verdict}; heap used ${m('heapUsed').toFixed(1)} MB of ${m('heapTotal').toFixed(1)} MB, external ${m('external').toFixed(1)} MB (array buffers ${m('arrayBuffers').toFixed(1)} MB); spaces: new ${space('new_space')}, old ${space('old_space')}, code ${space('code_space')}, large ${space('large_object_space')} MB; runs: ${samples.map((s) => mb(s.rss).toFixed(0)).join(', ')}`,
  );
}

export async function benchMemory(): Promise<void> {
  const runs = Number(argValue('--runs') ?? 3);
  const dir = mkdtempSync(join(tmpdir(), 'vacunabot-bench-memory-'));
  try {
    // The national-size catalogue, imported once; each run gets a fresh database beside it for the demo.
    const catalogue = join(dir, 'catalogue.db');
    const csv = join(dir, 'clues_synthetic_202604.csv');
    writeFileSync(csv, syntheticCsv(syntheticUnits(seededRandom(7))));
    const db = openDb(catalogue);
    await importClues(db, csv, { institutions: 'all' });
    db.close();

    const modes: [string, (i: number) => Promise<Sample>, number?][] = [
      ['node alone (floor)', () => baselineRun([])],
      ['node + tsx (floor)', () => baselineRun(['--import', 'tsx'])],
      ['console, demo data', (i) => consoleRun(join(dir, `console-${i}.db`)), DEMO_TARGET_MB],
      ['telegram, demo data', (i) => telegramRun(join(dir, `telegram-${i}.db`)), DEMO_TARGET_MB],
      ['console, 64,000 units', () => consoleRun(catalogue), CATALOGUE_TARGET_MB],
    ];
    console.log(
      `memory benchmark: idle ${IDLE_MS / 1000} s after one question and one pin, after a full GC, median of ${runs} runs (node ${process.version}${trialFlags().length ? `, trying ${trialFlags().join(' ')}` : ''})`,
    );
    for (const [mode, run, target] of modes) {
      const samples: Sample[] = [];
      for (let i = 0; i < runs; i++) samples.push(await run(i));
      report(mode, samples, target);
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
