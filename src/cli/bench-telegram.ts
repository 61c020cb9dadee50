/**
 * `npm run bench -- telegram` — updates per second end to end through a local fake Bot API
 * (real telegraf, real HTTP on 127.0.0.1): VacunaBot against a bare telegraf echo bot, in the
 * same run. Target (issue #4): VacunaBot ≥ 80% of the echo bot. Pacing is off for both (the
 * echo bot has none): this measures the adapter and the core, not Telegram's rate limits.
 *
 * `npm run bench -- telegram --breakdown` then shows where the difference goes, with two bots
 * between the two: bare telegraf sending VacunaBot's replies (the cost of the replies' size:
 * text and buttons), and VacunaBot with the core's answers computed once per text (the cost of
 * the core). Reference points for deciding what to work on, not ways to run the bot.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type Context, type NarrowedContext, Telegraf } from 'telegraf';
import type { Message, Update } from 'telegraf/types';
import { type App, createApp } from '../app.js';
import { TelegramChannel } from '../channels/telegram/channel.js';
import { renderReply, type TelegramOp } from '../channels/telegram/render.js';
import type { Decision, Engine } from '../core/engine.js';
import { FakeBotApi } from '../devtools/fake-telegram-bot-api.js';
import { ConversationRunner } from '../runner/runner.js';

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

/** A bare telegraf bot, polling the fake API, with the given text handler. */
const bareTelegraf =
  (
    onText: (ctx: NarrowedContext<Context, Update.MessageUpdate<Message.TextMessage>>) => Promise<unknown>,
  ): Bot =>
  async (api, apiRoot) => {
    const bot = new Telegraf(api.token, { telegram: { apiRoot, webhookReply: false } });
    bot.on('text', onText);
    const running = bot.launch();
    return {
      done: async () => {},
      stop: async () => {
        bot.stop('bench');
        await running;
      },
    };
  };

/** A bare telegraf bot that echoes every text: the most any bot can do through the same API and HTTP stack. */
const echoBot = bareTelegraf((ctx) => ctx.reply(ctx.message.text));

const vacunaBot =
  (app: App, runner: ConversationRunner = app.runner): Bot =>
  async (api, apiRoot) => {
    const channel = new TelegramChannel(
      { token: api.token, apiRoot, limits: NO_PACING },
      { runner, outbound: app.outbound, translate: app.translate, log: quiet },
    );
    await channel.start();
    return {
      done: async () => {
        await runner.idle();
        await app.outbound.drain(60_000);
      },
      stop: () => channel.stop(),
    };
  };

/** A text update as VacunaBot's core sees it, for a user of the bench. */
const asIncoming = (text: string) =>
  ({ kind: 'text', text, channel: 'telegram', userId: 'bench', receivedAt: new Date() }) as const;

/** [breakdown] Bare telegraf answering each text with the Bot API calls VacunaBot makes for it. */
const repliesBot = (app: App): Bot => {
  const calls = new Map<string, TelegramOp[]>();
  for (const text of TEXTS) {
    const { outcome } = app.engine.decide(undefined, asIncoming(text));
    const label = () => app.translate(outcome.lang)('channel.send_location');
    calls.set(
      text,
      outcome.replies.flatMap((r) => renderReply(r, label)),
    );
  }
  return bareTelegraf(async (ctx) => {
    // the bench's texts are answered with messages only (no pins)
    for (const op of calls.get(ctx.message.text) ?? []) {
      if (op.method === 'sendMessage') await ctx.telegram.sendMessage(ctx.chat.id, op.text, op.extra);
    }
  });
};

/** [breakdown] VacunaBot whose core answers each text once and then repeats that answer. */
function memoizedCore(app: App): ConversationRunner {
  const answers = new Map<string, Decision>();
  const engine = Object.create(app.engine) as Engine;
  engine.decide = (session, message) => {
    const key = message.kind === 'text' ? message.text : message.kind;
    let decision = answers.get(key);
    if (!decision) {
      decision = app.engine.decide(session, message);
      answers.set(key, decision);
    }
    return decision;
  };
  return new ConversationRunner({ engine, sessions: app.sessions, salt: 'bench', outbox: app.outbox });
}

/** Rounds of every bot, the first one rotating; per bot, the median of its rate relative to the first bot's. */
async function relativeRates(bots: Bot[], rounds: number): Promise<number[]> {
  const ratios: number[][] = bots.map(() => []);
  for (let r = 0; r < rounds; r++) {
    const rates: number[] = [];
    for (let k = 0; k < bots.length; k++) {
      const i = (r + k) % bots.length;
      const m = await measure(bots[i] as Bot);
      if (m.sends < UPDATES) throw new Error('not every update was answered');
      rates[i] = m.perSecond;
    }
    for (const [i, rate] of rates.entries()) ratios[i]?.push(rate / (rates[0] as number));
  }
  return ratios.map((list) => list.sort((a, b) => a - b)[Math.floor(list.length / 2)] as number);
}

export async function benchTelegram(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'vacunabot-bench-telegram-'));
  let app: App | undefined;
  try {
    app = createApp({
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
    const ratios = rounds.map((r) => r.ratio).sort((a, b) => a - b);
    const at = (i: number) => pct(ratios[i] as number);
    const quarter = Math.floor((ROUNDS - 1) / 4);
    console.log(`  VacunaBot / echo (median round): ${at(Math.floor(ROUNDS / 2))} (target ≥ 80%)`);
    // Rounds stray far on a shared machine: the spread shows how much a median a few points either side of the target means.
    console.log(
      `  spread of the rounds: lowest ${at(0)}, middle half ${at(quarter)}–${at(ROUNDS - 1 - quarter)}, highest ${at(ROUNDS - 1)}`,
    );
    if (process.argv.includes('--breakdown')) {
      const bots = [echoBot, repliesBot(app), vacunaBot(app, memoizedCore(app)), vacunaBot(app)];
      const [, replies, noCore, full] = await relativeRates(bots, ROUNDS);
      console.log(
        `breakdown: ${ROUNDS} more rounds of four bots (who goes first rotating), rate relative to the echo bot, median:`,
      );
      console.log(`  bare telegraf sending VacunaBot's replies (text, buttons): ${pct(replies as number)}`);
      console.log(`  VacunaBot, the core's answer computed once per text: ${pct(noCore as number)}`);
      console.log(`  VacunaBot: ${pct(full as number)}`);
    }
  } finally {
    await app?.close();
    rmSync(dir, { recursive: true, force: true });
  }
}
