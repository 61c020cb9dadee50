/**
 * `npm run report [-- --from YYYY-MM-DD --to YYYY-MM-DD --csv <file>]` — anonymous statistics:
 * messages per day, channel, language and intent; people per promoter code; the questions the bot
 * did not understand (redacted, deduplicated, most frequent first). See src/analytics/.
 */
import { existsSync } from 'node:fs';
import { reportCommand } from '../analytics/command.js';
import { ConfigError } from '../errors.js';

if (existsSync('.env')) process.loadEnvFile('.env');
try {
  process.exitCode = reportCommand(process.argv.slice(2), process.env, {
    out: (text) => process.stdout.write(text),
    err: (line) => console.error(line),
  });
} catch (err) {
  console.error(err instanceof ConfigError ? `Configuration error: ${err.message}` : err);
  process.exitCode = 1;
}
