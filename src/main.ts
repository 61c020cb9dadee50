import { existsSync } from 'node:fs';
import { type App, createApp } from './app.js';
import type { Channel } from './channels/channel.js';
import { runInteractive } from './channels/console/interactive.js';
import { runJsonl } from './channels/console/jsonl.js';
import { CHANNELS } from './channels/index.js';
import { type Config, loadConfig } from './config.js';
import { ConfigError, DataError } from './errors.js';
import { HttpHost } from './http/host.js';
import { createLogger, type Logger } from './log.js';

/** On shutdown, replies already queued get this long to go out. */
const DRAIN_MS = 10_000;

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
  for (const channel of running) await channel.start();
  log.info(`running: ${running.map((c) => c.name).join(', ')}`);
  await stopping;
  log.info('stopping: finishing replies in flight');
  await host.stop();
  await Promise.all(running.map((c) => c.stop()));
  await app.runner.idle();
  if (!(await app.outbound.drain(DRAIN_MS)))
    log.warn({}, 'some queued replies were not sent before stopping');
  await app.close();
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
  const app = createApp(config, log);
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
