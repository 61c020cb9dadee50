import { z } from 'zod';
import { ConfigError } from './errors.js';
import { LANGS } from './nlu/lexicon.js';

/** Every environment variable the bot reads, parsed in one place. Documented in .env.example. */
const EnvSchema = z.object({
  NODE_ENV: z.enum(['development', 'production', 'test']).default('development'),
  DB_PATH: z.string().min(1).default('var/vacunabot.db'),
  HASH_SALT: z.string().min(16, 'at least 16 characters of random text').optional(),
  DATA_DIR: z.string().min(1).default('data'),
  LOCALES_DIR: z.string().min(1).default('locales'),
  DEFAULT_LANG: z.enum(LANGS).default('es'),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  /** On SIGTERM/SIGINT the bot exits within this many milliseconds (a container's stop timeout is often 10 s). */
  SHUTDOWN_MS: z.coerce.number().int().min(1_000).max(120_000).default(8_000),

  // Telegram (runs when a token is set)
  TELEGRAM_BOT_TOKEN: z
    .string()
    .regex(/^\d+:[\w-]{20,}$/, 'a bot token from @BotFather, like 123456:ABC-DEF…')
    .optional(),
  TELEGRAM_API_ROOT: z.url('an http(s) URL of a Bot API server').default('https://api.telegram.org'),
  TELEGRAM_WEBHOOK_URL: z.url('the public https URL Telegram should post updates to').optional(),
  TELEGRAM_WEBHOOK_SECRET: z
    .string()
    .regex(/^[A-Za-z0-9_-]{16,256}$/, '16–256 letters, digits, _ or -')
    .optional(),
  PORT: z.coerce.number().int().min(1).max(65535).default(8080),
  TELEGRAM_GLOBAL_PER_SECOND: z.coerce.number().positive().max(30).default(30),

  // Health promoters: share links, and the /report command
  /** The bot's Telegram username (without @), for t.me deep links. */
  TELEGRAM_BOT_USERNAME: z
    .string()
    .regex(/^[A-Za-z][A-Za-z0-9_]{3,31}$/, 'a Telegram username without @, like VacunaBot')
    .optional(),
  /** The bot's WhatsApp number in international format, digits only, for wa.me links. */
  WHATSAPP_NUMBER: z
    .string()
    .regex(/^\d{8,15}$/, 'digits only, international format without + (e.g. 52 and the 10 digits)')
    .optional(),
  /** Who may use /report: channel user ids, comma separated, e.g. telegram:12345,whatsapp:521…@c.us */
  ADMIN_IDS: z
    .string()
    .default('')
    .transform((v) =>
      v
        .split(',')
        .map((x) => x.trim())
        .filter(Boolean),
    ),

  // WhatsApp (runs when enabled)
  WHATSAPP_ENABLED: z
    .enum(['true', 'false', '1', '0'])
    .default('false')
    .transform((v) => v === 'true' || v === '1'),
  PUPPETEER_EXECUTABLE_PATH: z.string().min(1).default('/usr/bin/chromium'),
  WHATSAPP_SESSION_DIR: z.string().min(1).default('var/whatsapp-session'),
  WHATSAPP_GLOBAL_PER_SECOND: z.coerce.number().positive().max(20).default(5),

  // WhatsApp Business Platform, Cloud API (runs when the first four are set)
  WHATSAPP_CLOUD_ACCESS_TOKEN: z
    .string()
    .regex(/^\S{20,}$/, 'a permanent access token of a system user (Meta Business settings)')
    .optional(),
  WHATSAPP_CLOUD_PHONE_NUMBER_ID: z
    .string()
    .regex(/^\d{5,30}$/, "the Phone number ID shown in the app's WhatsApp › API Setup page (digits)")
    .optional(),
  WHATSAPP_CLOUD_APP_SECRET: z
    .string()
    .regex(/^\S{16,}$/, 'the App secret (App settings › Basic)')
    .optional(),
  WHATSAPP_CLOUD_VERIFY_TOKEN: z
    .string()
    .regex(/^[\x21-\x7e]{8,256}$/, '8–256 printable characters without spaces, of your choosing')
    .optional(),
  WHATSAPP_CLOUD_API_ROOT: z
    .url('an http(s) URL of the Graph API with its version')
    .default('https://graph.facebook.com/v21.0'),
  WHATSAPP_CLOUD_PER_SECOND: z.coerce.number().positive().max(1000).default(80),
});

/** The Cloud API channel needs all four; one or three set is a mistake worth stopping for. */
const CLOUD_REQUIRED = [
  'WHATSAPP_CLOUD_ACCESS_TOKEN',
  'WHATSAPP_CLOUD_PHONE_NUMBER_ID',
  'WHATSAPP_CLOUD_APP_SECRET',
  'WHATSAPP_CLOUD_VERIFY_TOKEN',
] as const;

export type Config = z.infer<typeof EnvSchema>;

/**
 * Parses the environment. A bad value throws a ConfigError naming the variable and what is
 * expected; main() prints it as one line and exits.
 */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  // Empty strings in .env files mean "not set", not "set to nothing".
  const present = Object.fromEntries(Object.entries(env).filter(([, v]) => v !== undefined && v !== ''));
  const parsed = EnvSchema.safeParse(present);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const variable = String(issue?.path[0] ?? 'environment');
    throw new ConfigError(variable, issue?.message ?? 'invalid value');
  }
  const config = parsed.data;
  if (config.NODE_ENV === 'production' && !config.HASH_SALT) {
    throw new ConfigError('HASH_SALT', 'required in production (at least 16 characters of random text)');
  }
  // Without a secret anyone who learns the webhook URL can post updates as any user.
  if (config.NODE_ENV === 'production' && config.TELEGRAM_WEBHOOK_URL && !config.TELEGRAM_WEBHOOK_SECRET) {
    throw new ConfigError(
      'TELEGRAM_WEBHOOK_SECRET',
      'required in production with TELEGRAM_WEBHOOK_URL (16–256 letters, digits, _ or -)',
    );
  }
  const cloud = CLOUD_REQUIRED.filter((k) => config[k] !== undefined);
  const missing = CLOUD_REQUIRED.find((k) => config[k] === undefined);
  if (cloud.length > 0 && missing)
    throw new ConfigError(missing, `required with ${cloud.join(', ')} (the WhatsApp Cloud API channel)`);
  return config;
}
