import { existsSync } from 'node:fs';
import { createApp } from './app.js';
import { runInteractive } from './channels/console/interactive.js';
import { runJsonl } from './channels/console/jsonl.js';
import { loadConfig } from './config.js';
import { ConfigError, DataError } from './errors.js';
import { createLogger } from './log.js';

/**
 * Entry point. With no channel tokens configured the bot runs on the console channel
 * (`--jsonl` for machine mode); later channels start here when their tokens are set.
 */
async function main(argv: string[]): Promise<void> {
  if (existsSync('.env')) process.loadEnvFile('.env');
  const config = loadConfig();
  const log = createLogger(config.LOG_LEVEL);
  const app = createApp(config, log);
  const stop = () => {
    app.close();
    process.exit(0);
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
  try {
    if (argv.includes('--jsonl')) await runJsonl(app.engine, process.stdin, process.stdout);
    else await runInteractive(app.engine, process.stdin, process.stdout);
  } finally {
    app.close();
  }
}

main(process.argv.slice(2)).catch((err: unknown) => {
  // Configuration and data problems are the operator's to fix: one clear line, no stack trace.
  if (err instanceof ConfigError) console.error(`Configuration error: ${err.message}`);
  else if (err instanceof DataError) console.error(`Data error: ${err.message}`);
  else console.error(err);
  process.exit(1);
});
