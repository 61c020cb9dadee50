import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { loadConfig } from '../config.js';
import { createTranslator } from '../core/i18n.js';
import { writePromoterKit } from './kit.js';
import { PromoterInputError } from './links.js';

export interface Io {
  out: (line: string) => void;
  err: (line: string) => void;
}

const LINKS_USAGE = 'Usage: npm run links -- --code <promoter-code> [--name "María Pérez"] [--out <folder>]';

/**
 * `npm run links -- --code <code> [--name "…"] [--out <folder>]`: prints the bot's links for a
 * promoter's code and writes their QR codes and a printable poster. Returns the exit status:
 * 0 done, 2 bad arguments, an invalid code or no channel configured.
 */
export async function linksCommand(argv: string[], env: NodeJS.ProcessEnv, io: Io): Promise<number> {
  let values: { code?: string; name?: string; out?: string; help?: boolean };
  try {
    ({ values } = parseArgs({
      args: argv,
      options: {
        code: { type: 'string' },
        name: { type: 'string' },
        out: { type: 'string' },
        help: { type: 'boolean', short: 'h' },
      },
    }));
  } catch (err) {
    io.err(`${(err as Error).message}\n${LINKS_USAGE}`);
    return 2;
  }
  if (values.help) {
    io.out(LINKS_USAGE);
    return 0;
  }
  if (values.code === undefined) {
    io.err(`Missing --code.\n${LINKS_USAGE}`);
    return 2;
  }
  const config = loadConfig(env);
  const addresses = {
    ...(config.TELEGRAM_BOT_USERNAME ? { telegramBot: config.TELEGRAM_BOT_USERNAME } : {}),
    ...(config.WHATSAPP_NUMBER ? { whatsappNumber: config.WHATSAPP_NUMBER } : {}),
  };
  if (!addresses.telegramBot && !addresses.whatsappNumber) {
    io.err(
      'No channel to link to: set TELEGRAM_BOT_USERNAME (the bot username, without @) and/or WHATSAPP_NUMBER (the bot number, digits only, e.g. 5215555550100) in .env',
    );
    return 2;
  }
  const code = values.code.trim();
  const out = values.out ?? join('var', 'promoters', code);
  let kit: Awaited<ReturnType<typeof writePromoterKit>>;
  try {
    kit = await writePromoterKit({
      code,
      out,
      addresses,
      translate: createTranslator(config.LOCALES_DIR),
      ...(values.name !== undefined ? { name: values.name } : {}),
    });
  } catch (err) {
    if (err instanceof PromoterInputError) {
      io.err(`Invalid input: ${err.message}.`);
      return 2;
    }
    throw err;
  }
  const { links } = kit;
  io.out(`Promoter code ${links.code}${values.name?.trim() ? ` (${values.name.trim()})` : ''}`);
  io.out(`  Telegram: ${links.telegram ?? 'not configured (set TELEGRAM_BOT_USERNAME)'}`);
  io.out(`  WhatsApp: ${links.whatsapp ?? 'not configured (set WHATSAPP_NUMBER)'}`);
  if (links.whatsappText) io.out(`            first message: "${links.whatsappText}"`);
  io.out(`Written to ${out}:`);
  for (const file of kit.files) io.out(`  ${file}`);
  io.out(
    'Open poster.html in a browser and print it on A4 (or "Save as PDF" in the print dialog). Test each QR with a phone before printing many.',
  );
  return 0;
}
