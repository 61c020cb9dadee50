/**
 * `npm run bench -- telegram` — updates per second end to end through a local fake Bot API
 * (real telegraf, real HTTP on 127.0.0.1): VacunaBot against a bare telegraf echo bot, in the
 * same run. Target (issue #4): VacunaBot ≥ 80% of the echo bot. Pacing is off for both (the
 * echo bot has none): this measures the adapter and the core, not Telegram's rate limits.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Telegraf } from 'telegraf';
import { FakeBotApi } from '../../test/channels/telegram/fake-bot-api.js';
import { type App, createApp } from '../app.js';
import { TelegramChannel } from '../channels/telegram/channel.js';

const UPDATES = 3000;
const ROUNDS = 15;
const CHATS = 100;
const TEXTS = [
  'hola',
  'tengo 67 y soy diabetico',
  'a que hora abren',
  'cuanto cuesta la vacuna',
  'gracias',
  'how can I avoid the flu',
  'es segura la vacuna?',
  'what can you do',
];
const NO_PACING = { perChatPerSecond: 1e6, perChatBurst: 1e6, globalPerSecond: 1e6 };
const quiet = { info() {}, warn() {}, error() {} };

/** Starts a bot against the fake API; `done` resolves when it has nothing left to send. */
type Bot = (
  api: FakeBotApi,
  apiRoot: string,
) => Promise<{ done: () => Promise<void>; stop: () => Promise<void> }>;

type Measured = { perSecond: number; sends: number };

/** Loads every update, starts the bot, and times until all are answered and nothing is pending. */
async function measure(run: Bot): Promise<Measured> {
  const api = new FakeBotApi();
  const apiRoot = await api.start();
  for (let i = 0; i < UPDATES; i++) api.text(1 + (i % CHATS), TEXTS[i % TEXTS.length] as string);
  const t0 = performance.now();
  const bot = await run(api, apiRoot);
  // every update fetched (the bot asked for an offset past the last one), then every reply sent
  await api.until(
    () => (api as unknown as { updates: unknown[] }).updates.length === 0 && api.sent().length >= UPDATES,
    120_000,
  );
  await bot.done();
  const seconds = (performance.now() - t0) / 1000;
  const sends = api.sent().length;
  await bot.stop();
  await api.stop();
  return { perSecond: UPDATES / seconds, sends };
}

/** A bare telegraf bot that echoes every text: the most any bot can do through the same API and HTTP stack. */
const echoBot: Bot = async (api, apiRoot) => {
  const bot = new Telegraf(api.token, { telegram: { apiRoot, webhookReply: false } });
  bot.on('text', (ctx) => ctx.reply(ctx.message.text));
  const running = bot.launch();
  return {
    done: async () => {},
    stop: async () => {
      bot.stop('bench');
      await running;
    },
  };
};

const vacunaBot =
  (app: App): Bot =>
  async (api, apiRoot) => {
    const channel = new TelegramChannel(
      app.engine,
      app.translate,
      { token: api.token, apiRoot, port: 0, limits: NO_PACING },
      quiet,
    );
    await channel.start();
    return { done: () => channel.queue.drain(), stop: () => channel.stop() };
  };

export async function benchTelegram(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'vacunabot-bench-telegram-'));
  try {
    const app = createApp({
      DB_PATH: join(dir, 'bench.db'),
      HASH_SALT: 'bench-salt-0123456789abcdef',
      DATA_DIR: 'data',
      LOCALES_DIR: 'locales',
      DEFAULT_LANG: 'es',
    });
    // A round of each first, not counted: the first bot to run would pay for warming up the HTTP
    // stack both share. Then one round is about a second, at the mercy of a shared machine's
    // hiccups: the bots take turns (who goes first alternating) for several rounds, and the round
    // with the median ratio is reported.
    await measure(echoBot);
    await measure(vacunaBot(app));
    const rounds: { echo: number; vacunabot: number; ratio: number }[] = [];
    for (let r = 0; r < ROUNDS; r++) {
      let echo: Measured;
      let vacunabot: Measured;
      if (r % 2 === 0) {
        echo = await measure(echoBot);
        vacunabot = await measure(vacunaBot(app));
      } else {
        vacunabot = await measure(vacunaBot(app));
        echo = await measure(echoBot);
      }
      if (echo.sends < UPDATES || vacunabot.sends < UPDATES) throw new Error('not every update was answered');
      rounds.push({
        echo: echo.perSecond,
        vacunabot: vacunabot.perSecond,
        ratio: vacunabot.perSecond / echo.perSecond,
      });
    }
    app.close();
    const rate = (n: number) => Math.round(n).toLocaleString('en-US');
    const pct = (n: number) => `${(100 * n).toFixed(0)}%`;
    console.log(
      `telegram benchmark: ${UPDATES} text updates from ${CHATS} chats through a local Bot API (127.0.0.1), long polling, ${ROUNDS} rounds after one not counted`,
    );
    for (const [i, r] of rounds.entries()) {
      console.log(
        `  round ${i + 1}: echo bot (bare telegraf) ${rate(r.echo)} updates/s, VacunaBot ${rate(r.vacunabot)} updates/s, ${pct(r.ratio)}`,
      );
    }
    const median = [...rounds].sort((a, b) => a.ratio - b.ratio)[
      Math.floor(ROUNDS / 2)
    ] as (typeof rounds)[number];
    console.log(`  VacunaBot / echo (median round): ${pct(median.ratio)} (target ≥ 80%)`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
