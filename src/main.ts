import { existsSync } from 'node:fs';
import { type App, createApp } from './app.js';
import type { Channel } from './channels/channel.js';
import { runInteractive } from './channels/console/interactive.js';
import { runJsonl } from './channels/console/jsonl.js';
import { TelegramChannel } from './channels/telegram/channel.js';
import { type Config, loadConfig } from './config.js';
import { ConfigError, DataError } from './errors.js';
import { createLogger, type Logger } from './log.js';

/** The messaging channels the configuration turns on; Telegram and WhatsApp can run in one process. */
async function channels(config: Config, app: App, log: Logger): Promise<Channel[]> {
  const { translate } = app;
  const list: Channel[] = [];
  if (config.TELEGRAM_BOT_TOKEN) {
    list.push(
      new TelegramChannel(
        app.engine,
        translate,
        {
          token: config.TELEGRAM_BOT_TOKEN,
          apiRoot: config.TELEGRAM_API_ROOT,
          port: config.PORT,
          limits: { globalPerSecond: config.TELEGRAM_GLOBAL_PER_SECOND },
          ...(config.TELEGRAM_WEBHOOK_URL ? { webhookUrl: config.TELEGRAM_WEBHOOK_URL } : {}),
          ...(config.TELEGRAM_WEBHOOK_SECRET ? { webhookSecret: config.TELEGRAM_WEBHOOK_SECRET } : {}),
        },
        log.child({ channel: 'telegram' }),
      ),
    );
  }
  if (config.WHATSAPP_ENABLED) {
    // Imported only when enabled: whatsapp-web.js loads puppeteer (~0.8 s).
    const { WhatsAppChannel } = await import('./channels/whatsapp/channel.js');
    const whatsapp = new WhatsAppChannel(app.engine, translate, config, log.child({ channel: 'whatsapp' }));
    // After its bounded reconnect attempts the channel gives up (it logged why): stop with status 1
    // so that a process manager restarts the bot.
    void whatsapp.finished.then((end) => {
      if (end === 'gave-up') {
        process.exitCode = 1;
        process.kill(process.pid, 'SIGTERM');
      }
    });
    list.push(whatsapp);
  }
  return list;
}

/**
 * Entry point. With no channel configured (or with --console) the bot runs on the console
 * channel (`--jsonl` for machine mode); otherwise it runs every configured channel until
 * SIGINT/SIGTERM, then stops them, letting replies in flight finish.
 */
async function main(argv: string[]): Promise<void> {
  if (existsSync('.env')) process.loadEnvFile('.env');
  const config = loadConfig();
  const log = createLogger(config.LOG_LEVEL);
  const app = createApp(config, log);
  const running =
    argv.includes('--console') || argv.includes('--jsonl') ? [] : await channels(config, app, log);

  if (!running.length) {
    process.once('SIGINT', () => {
      app.close();
      process.exit(0);
    });
    try {
      if (argv.includes('--jsonl')) await runJsonl(app.engine, process.stdin, process.stdout);
      else await runInteractive(app.engine, process.stdin, process.stdout);
    } finally {
      app.close();
    }
    return;
  }

  for (const channel of running) await channel.start();
  log.info(`running: ${running.map((c) => c.name).join(', ')}`);
  await new Promise<void>((resolve) => {
    process.once('SIGINT', resolve);
    process.once('SIGTERM', resolve);
  });
  log.info('stopping: finishing replies in flight');
  await Promise.all(running.map((c) => c.stop()));
  app.close();
  log.info('stopped');
  // Keep-alive sockets of HTTP clients would hold the process open; everything is stopped and saved.
  process.exit(process.exitCode ?? 0);
}

main(process.argv.slice(2)).catch((err: unknown) => {
  // Configuration and data problems are the operator's to fix: one clear line, no stack trace.
  if (err instanceof ConfigError) console.error(`Configuration error: ${err.message}`);
  else if (err instanceof DataError) console.error(`Data error: ${err.message}`);
  else console.error(err);
  process.exit(1);
});
