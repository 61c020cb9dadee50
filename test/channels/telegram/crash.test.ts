import { setTimeout as sleep } from 'node:timers/promises';
import { beforeAll, describe, expect, it } from 'vitest';
import { FakeBotApi } from '../../../src/devtools/fake-telegram-bot-api.js';
import { freePort } from '../../../src/devtools/free-port.js';
import { seededRandom } from '../../../src/random.js';
import { until } from '../../../src/timers.js';
import { TEST_SALT, tempDir } from '../../harness.js';
import { type BotProcess, killHard, matchSends, sendsByChat, spawnBot } from './crash-harness.js';

/**
 * The durability test of the issue: kill -9 at random moments of a 500-update burst from 100
 * chats, restart on the same database, and check that every update was answered at least once,
 * in order per chat, with a bounded number of duplicates. A baseline run without kills gives the
 * expected sends per chat. The kill times come from a seeded RNG, and the verdict must not depend
 * on them: a durable bot passes at any kill timing.
 */

const CHATS = 100;
const PER_CHAT = 5;
const UPDATES = CHATS * PER_CHAT;
const FIRST_CHAT = 7_000_001;
const SEED = 20_251_107;
/** Telegram's getUpdates batch (limit, default and maximum): what polling may hold unconfirmed. */
const POLL_BATCH = 100;
/** Telegram's webhook max_connections default: the updates a webhook may hold unanswered. */
const WEBHOOK_CONNECTIONS = 40;
/** The bot is done when every update is confirmed and nothing was sent for this long. */
const QUIET_MS = 1_500;

/**
 * Questions whose answers do not depend on the clock (no "where" or "is it open now"), each with
 * its own answer, one message long: a chat's expected sends are then distinct, which the
 * matcher needs to tell a resend from disorder (the baseline checks both). A question whose answer
 * takes the profile given earlier in the chat ("¿Los niños de 10 años…" after "¿Quién se debe
 * vacunar…") repeated an answer and is not here; 3,000 random picks of five gave no repeat.
 */
const QUESTIONS = [
  '¿Quién se debe vacunar contra la influenza?',
  '¿La vacuna contra el COVID es segura?',
  '¿Mi hijo de 2 años se puede vacunar?',
  'Estoy embarazada, ¿me puedo vacunar?',
  '¿La vacuna de la influenza da gripa?',
  'Tengo gripa y fiebre, ¿me puedo vacunar?',
  '¿Cada cuánto me tengo que vacunar contra el COVID?',
  'Tengo 67 años y soy diabético, ¿qué vacunas me tocan?',
  '¿Qué efectos secundarios tiene la vacuna?',
  '¿Puedo vacunarme si estoy amamantando?',
  '¿Cuánto cuesta la vacuna?',
  '¿Qué vacunas necesita un bebé de 6 meses?',
  '¿Cómo me protejo de las enfermedades respiratorias?',
  '¿Qué vacunas le tocan a mi mamá de 75 años?',
  'Soy enfermera, ¿me toca la vacuna?',
  '¿Qué es el neumococo?',
  '¿Necesito llevar algún documento para vacunarme?',
  '¿Puedo ponerme la vacuna de la influenza y la del COVID el mismo día?',
  '¿Por qué me tengo que vacunar cada año?',
  '¿Mi hija de 8 años con asma se puede vacunar?',
  '¿Cuántos días tarda en hacer efecto la vacuna?',
];

function shuffle<T>(items: readonly T[], random: () => number): T[] {
  const out = [...items];
  for (let i = out.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [out[i], out[j]] = [out[j] as T, out[i] as T];
  }
  return out;
}

/** The burst: five different questions per chat, in a per-chat order; rounds interleave the chats. */
function burst(random: () => number): [chat: number, text: string][] {
  const script = Array.from({ length: CHATS }, () => shuffle(QUESTIONS, random).slice(0, PER_CHAT));
  const updates: [number, string][] = [];
  for (let round = 0; round < PER_CHAT; round++)
    for (const c of shuffle([...script.keys()], random))
      updates.push([FIRST_CHAT + c, script[c]?.[round] as string]);
  return updates;
}

type Mode = 'polling' | 'webhook';

interface Run {
  sends: Map<number, string[]>;
  sent: number;
  /** Kills made while replies were still missing or updates unconfirmed. */
  busyKills: number;
  exitCode: number | NodeJS.Signals;
  ms: number;
}

/**
 * One run on a fresh database and a fresh fake API: the burst is queued, then the bot is started,
 * SIGKILLed `killAfterMs[i]` after each start's "running" line, restarted on the same database,
 * and the last instance is left to finish and stopped with SIGTERM.
 */
async function run(mode: Mode, updates: [number, string][], killAfterMs: number[]): Promise<Run> {
  const t0 = Date.now();
  const tmp = tempDir();
  const api = new FakeBotApi(undefined, { webhookRetryMs: 200 });
  let bot: BotProcess | undefined;
  try {
    const apiRoot = await api.start();
    const port = await freePort();
    const env: Record<string, string> = {
      NODE_ENV: 'test',
      LOG_LEVEL: 'info',
      TELEGRAM_BOT_TOKEN: api.token,
      TELEGRAM_API_ROOT: apiRoot,
      DB_PATH: `${tmp.dir}/bot.db`,
      HASH_SALT: TEST_SALT,
      // The most the configuration allows (Telegram's 30/s): 500 replies take ~17 s to send.
      TELEGRAM_GLOBAL_PER_SECOND: '30',
      PORT: String(port),
      SHUTDOWN_MS: '5000',
      WHATSAPP_ENABLED: 'false',
      // Empty means unset, and a developer's .env (which main.ts loads) cannot fill it in.
      TELEGRAM_WEBHOOK_URL: mode === 'webhook' ? `http://127.0.0.1:${port}/telegram/webhook` : '',
      TELEGRAM_WEBHOOK_SECRET: mode === 'webhook' ? 'kill-test-secret-0123456789' : '',
    };
    for (const [chat, text] of updates) api.text(chat, text);
    const expectedAtLeast = updates.length; // at least one send per update

    let busyKills = 0;
    for (const delay of killAfterMs) {
      bot = spawnBot(env);
      await bot.waitFor(/"msg":"running: telegram"/, 30_000);
      await sleep(delay);
      if (api.pending() > 0 || api.sent().length < expectedAtLeast) busyKills++;
      bot.signal('SIGKILL');
      await Promise.race([bot.exited, sleep(5_000)]);
      if (bot.alive()) throw new Error('the bot survived SIGKILL');
    }

    bot = spawnBot(env);
    await bot.waitFor(/"msg":"running: telegram"/, 30_000);
    const runningAt = Date.now();
    // A pause in sending on a loaded machine must not end the run early: it also waits for a send
    // per update (or 20 s, so that a bot which lost replies is still judged, with its counts).
    await until(
      `every update confirmed and ${QUIET_MS} ms without a send`,
      () =>
        api.pending() === 0 &&
        Date.now() - Math.max(runningAt, api.sent().at(-1)?.at ?? 0) >= QUIET_MS &&
        (api.sent().length >= expectedAtLeast || Date.now() - runningAt > 20_000),
      60_000,
    );
    // A clean stop also drains what is still queued (main.ts): nothing is cut off by the test.
    bot.signal('SIGTERM');
    const exitCode = await Promise.race([bot.exited, sleep(10_000).then(() => 'timeout' as const)]);
    if (exitCode === 'timeout') throw new Error('the bot did not stop within 10 s of SIGTERM');
    const sent = api.sent();
    return { sends: sendsByChat(sent), sent: sent.length, busyKills, exitCode, ms: Date.now() - t0 };
  } finally {
    await killHard(bot);
    await api.stop();
    tmp.cleanup();
  }
}

/**
 * One baseline for both modes (the answers do not depend on how updates arrive), then the two
 * crash runs side by side: each sends at Telegram's 30/s, so sequential runs would take ~95 s.
 */
describe('kill -9 during a burst', () => {
  const updates = burst(seededRandom(SEED));
  const chats = [...new Set(updates.map(([chat]) => chat))];
  let baseline: Run;
  const sendsPerUpdate = 1; // checked in beforeAll

  beforeAll(async () => {
    baseline = await run('polling', updates, []);
    expect(baseline.exitCode).toBe(0);
    for (const chat of chats) {
      const sends = baseline.sends.get(chat) ?? [];
      // one message per question, all different: the judge can tell a resend from disorder
      expect(sends, `baseline sends of chat ${chat}`).toHaveLength(PER_CHAT);
      expect(new Set(sends).size, `distinct baseline sends of chat ${chat}`).toBe(PER_CHAT);
    }
  }, 120_000);

  it.concurrent.each(['polling', 'webhook'] as const)(
    '%s: answers every update at least once after restarts, in order per chat, with bounded duplicates',
    async (mode) => {
      const random = seededRandom(SEED + (mode === 'polling' ? 1 : 2));
      // 3 or 4 kills, each 300–2500 ms after the bot says it is running: the first always falls in
      // the burst (its 500 replies need ~17 s at 30/s), later ones often during the resends.
      const killAfterMs = Array.from({ length: 3 + Math.floor(random() * 2) }, () =>
        Math.round(300 + random() * 2_200),
      );

      const crash = await run(mode, updates, killAfterMs);
      let lost = 0;
      let duplicated = 0;
      let unexpected = 0;
      for (const chat of chats) {
        const m = matchSends(baseline.sends.get(chat) ?? [], crash.sends.get(chat) ?? []);
        lost += m.lost;
        duplicated += m.duplicated;
        unexpected += m.unexpected;
      }
      for (const [chat, sends] of crash.sends) if (!chats.includes(chat)) unexpected += sends.length; // a send to a chat nobody wrote from
      const expected = baseline.sent;
      // Each update has one send, so an update is answered when its send is not lost.
      const answered = UPDATES - lost / sendsPerUpdate;
      console.info(
        `kill test (${mode}): ${UPDATES} updates, ${killAfterMs.length} kills (${crash.busyKills} with work left, ` +
          `after ${killAfterMs.join('/')} ms), answered ${answered}/${UPDATES}, sends expected ${expected}, ` +
          `observed ${crash.sent}, duplicated ${duplicated}, lost ${lost}, out of order ${unexpected} ` +
          `(baseline ${(baseline.ms / 1000).toFixed(1)} s, crash run ${(crash.ms / 1000).toFixed(1)} s)`,
      );

      expect(crash.busyKills).toBeGreaterThanOrEqual(1);
      expect(crash.exitCode).toBe(0);
      expect(lost, 'replies lost').toBe(0);
      expect(unexpected, 'sends out of order or unexpected').toBe(0);
      // What one kill can make the bot send twice: the replies of the updates Telegram still holds
      // unconfirmed when it dies, which are handed over again after the restart (or whose stored
      // replies are resent because their send was not yet marked done). Polling confirms a batch of
      // up to 100 updates with the next getUpdates; a webhook holds at most max_connections (40)
      // updates unanswered. At 30 sends/s, the replies whose "sent" mark may lag fit in that window.
      const perKill = (mode === 'polling' ? POLL_BATCH : WEBHOOK_CONNECTIONS) * sendsPerUpdate;
      expect(duplicated, 'duplicated sends').toBeLessThanOrEqual(killAfterMs.length * perKill);
    },
    180_000,
  );
});
