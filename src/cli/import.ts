/**
 * `npm run import -- <kind> <file>` — loads official data into the bot's database (DB_PATH).
 * Each kind is an importer module; the facility catalogue (CLUES) importer arrives with the
 * facilities work (issue #3).
 */
import { loadConfig } from '../config.js';
import { ConfigError } from '../errors.js';

const importers: Record<string, (file: string) => Promise<void>> = {};

async function main(argv: string[]) {
  loadConfig();
  const [kind, file] = argv;
  const run = kind ? importers[kind] : undefined;
  const available = Object.keys(importers);
  if (!run || !file) {
    console.error('Usage: npm run import -- <kind> <file>');
    console.error(
      `Kinds available: ${available.length ? available.join(', ') : 'none yet (facilities: issue #3)'}`,
    );
    process.exit(2);
  }
  await run(file);
}

main(process.argv.slice(2)).catch((err: unknown) => {
  console.error(err instanceof ConfigError ? `Configuration error: ${err.message}` : err);
  process.exit(1);
});
