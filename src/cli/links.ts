/**
 * `npm run links -- --code <promoter-code> [--name "…"] [--out <folder>]` — a health promoter's
 * links to the bot (Telegram deep link, WhatsApp click-to-chat), their QR codes (PNG and SVG) and
 * a printable bilingual poster, in var/promoters/<code>/ by default. See src/promoters/.
 */
import { existsSync } from 'node:fs';
import { ConfigError } from '../errors.js';
import { linksCommand } from '../promoters/command.js';

if (existsSync('.env')) process.loadEnvFile('.env');
try {
  process.exitCode = await linksCommand(process.argv.slice(2), process.env, {
    out: (line) => console.log(line),
    err: (line) => console.error(line),
  });
} catch (err) {
  console.error(err instanceof ConfigError ? `Configuration error: ${err.message}` : err);
  process.exitCode = 1;
}
