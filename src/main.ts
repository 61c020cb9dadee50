import { existsSync } from 'node:fs';
import { dirname } from 'node:path';
import { type App, createApp, loadBrain } from './app.js';
import type { Channel } from './channels/channel.js';
import { runInteractive } from './channels/console/interactive.js';
import { runJsonl } from './channels/console/jsonl.js';
import { CHANNELS } from './channels/index.js';
import { type Config, loadConfig } from './config.js';
import { ConfigError, DataError } from './errors.js';
import { HttpHost } from './http/host.js';
import { createLogger, type Logger } from './log.js';
import { withTimeout } from './timers.js';

/** Of the shutdown deadline, kept for saving what is pending and closing the database. */
const SAVE_MS = 1_000;

/** Whether `work` ended well within `ms` (it is left running otherwise: the process is about to exit). */
const within = (work: Promise<unknown>, ms: number): Promise<boolean> =>
  withTimeout(work, ms, () => new Error('late')).then(
    () => true,
    () => false,
  );

/** The console: `npm run chat` (a person at a terminal) or `--jsonl` (machine mode, DESIGN.md). */
async function runConsole(app: App, jsonl: boolean): Promise<void> {
  process.once('SIGINT', () => {
    void app.close().finally(() => process.exit(0));
  });
  try {
    if (jsonl) await runJsonl(app.runner, process.stdin, process.stdout);
    else await runInteractive(app.runner, process.stdin, process.stdout);
  } finally {
    await app.close();
  }
}

/**
 * The configured channels on one HTTP host (webhooks and /healthz), until SIGINT/SIGTERM; then:
 * stop taking updates, finish deciding, let queued replies go out (bounded), save, exit.
 */
async function runChannels(app: App, config: Config, log: Logger): Promise<void> {
  const host = new HttpHost(config.PORT, log);
  const context = { runner: app.runner, outbound: app.outbound, host, translate: app.translate, log };
  const running: Channel[] = [];
  for (const factory of CHANNELS.filter((c) => c.enabled(config)))
    running.push(await factory.create(config, context));
  host.health('database', () => {
    app.db.prepare('SELECT 1').get();
    return app.sessions.failing ? { ok: false, detail: 'writes are failing (retrying)' } : { ok: true };
  });
  host.health('outbox', () => app.outbound.health());
  for (const channel of running) host.health(channel.name, () => channel.health());
  // Listening before the channels start: a channel that fails at once (factory.ts) signals SIGTERM,
  // which must run this shutdown and its exit status, not Node's default of dying on the signal.
  const stopping = new Promise<void>((resolve) => {
    process.once('SIGINT', resolve);
    process.once('SIGTERM', resolve);
  });
  await host.start();
  // Replies a crash left owed go first (each chat's order holds), before any new update is read.
  const { resent, dropped, kept } = await app.outbox.resume();
  if (resent + dropped + kept > 0)
    log.info({ resent, dropped, kept }, 'outbox: replies owed from the last run');
  for (const channel of running) await channel.start();
  log.info(`running: ${running.map((c) => c.name).join(', ')}`);
  await stopping;
  log.info('stopping: finishing replies in flight');
  // Every step gets what is left of SHUTDOWN_MS: a slow client, a channel that will not stop or a
  // platform asking to wait 60 s never holds the process past the container's stop timeout.
  const deadline = Date.now() + config.SHUTDOWN_MS;
  const left = (reserve = SAVE_MS) => Math.max(0, deadline - reserve - Date.now());
  // The last word: whatever still hangs, the process ends (with what was saved by then).
  setTimeout(() => process.exit(process.exitCode ?? 0), config.SHUTDOWN_MS).unref();
  await host.stop(Math.min(2_000, left()));
  if (!(await within(Promise.all(running.map((c) => c.stop())), left())))
    log.warn({}, 'a channel did not stop cleanly in time');
  await within(app.runner.idle(), left());
  if (!(await app.outbound.drain(left()))) log.warn({}, 'some queued replies were not sent before stopping');
  await app.close(left(0));
  log.info('stopped');
  // Keep-alive sockets of HTTP clients would hold the process open; everything is stopped and saved.
  process.exit(process.exitCode ?? 0);
}

/**
 * Entry point. With no channel configured (or with --console) the bot runs on the console
 * channel (`--jsonl` for machine mode); otherwise it runs every configured channel.
 */
async function main(argv: string[]): Promise<void> {
  if (existsSync('.env')) process.loadEnvFile('.env');
  const config = loadConfig();
  const log = createLogger(config.LOG_LEVEL);
  // The NLU's trained model is kept next to the database: the folder the bot is given for its files.
  const modelDir = config.DB_PATH === ':memory:' ? 'var' : dirname(config.DB_PATH);
  const app = createApp(config, log, loadBrain(config.DATA_DIR, modelDir, log));
  const consoleOnly = argv.includes('--console') || argv.includes('--jsonl');
  if (consoleOnly || !CHANNELS.some((c) => c.enabled(config)))
    await runConsole(app, argv.includes('--jsonl'));
  else await runChannels(app, config, log);
}

main(process.argv.slice(2)).catch((err: unknown) => {
  // Configuration and data problems are the operator's to fix: one clear line, no stack trace.
  if (err instanceof ConfigError) console.error(`Configuration error: ${err.message}`);
  else if (err instanceof DataError) console.error(`Data error: ${err.message}`);
  else console.error(err);
  process.exit(1);
});
