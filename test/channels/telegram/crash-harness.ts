import { type ChildProcess, spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type { Call } from '../../../src/devtools/fake-telegram-bot-api.js';
import { until } from '../../../src/timers.js';

/** The repository root: the bot reads data/ and locales/ relative to its working directory. */
const ROOT = fileURLToPath(new URL('../../..', import.meta.url));

export interface BotProcess {
  readonly pid: number;
  /** Everything it logged (stdout and stderr: the logger writes to stderr). */
  output(): string;
  /** Resolves once `pattern` appears in the output; rejects on timeout or if the process ends first. */
  waitFor(pattern: RegExp, timeoutMs: number): Promise<void>;
  /** Signals the process group (node and tsx's esbuild helper); a no-op once it is gone. */
  signal(sig: NodeJS.Signals): void;
  /** Its exit code, or the signal that ended it. */
  readonly exited: Promise<number | NodeJS.Signals>;
  readonly alive: () => boolean;
}

/**
 * Starts the bot from its sources (node --import tsx src/main.ts; `npm start` runs them compiled),
 * without npm in between, so SIGKILL reaches the bot itself. It gets its own process group: one signal to -pid reaches
 * node and anything tsx started, and nothing outside it.
 */
export function spawnBot(env: Record<string, string>): BotProcess {
  // A plain environment: no npm_* from an outer `npm test`, no bot settings from the developer's shell.
  const plain = Object.fromEntries(
    Object.entries(process.env).filter(
      ([k]) => !/^(npm_|TELEGRAM_|WHATSAPP_|DB_PATH|PORT$|HASH_SALT)/i.test(k),
    ),
  );
  const child: ChildProcess = spawn(process.execPath, ['--import', 'tsx', 'src/main.ts'], {
    cwd: ROOT,
    env: { ...plain, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: true,
  });
  const pid = child.pid;
  if (pid === undefined) throw new Error('the bot did not start');
  let out = '';
  let running = true;
  child.stdout?.on('data', (d) => {
    out += d;
  });
  child.stderr?.on('data', (d) => {
    out += d;
  });
  const exited = new Promise<number | NodeJS.Signals>((resolve) =>
    child.on('exit', (code, sig) => {
      running = false;
      resolve(code ?? sig ?? 'SIGKILL');
    }),
  );
  return {
    pid,
    output: () => out,
    alive: () => running,
    exited,
    signal(sig) {
      try {
        process.kill(-pid, sig);
      } catch {
        // the group is gone already
      }
    },
    async waitFor(pattern, timeoutMs) {
      await until(
        `${pattern} in the bot's log`,
        () => {
          if (pattern.test(out)) return true;
          if (!running) throw new Error(`the bot exited before logging ${pattern}:\n${out.slice(-2000)}`);
          return false;
        },
        timeoutMs,
      );
    },
  };
}

/** SIGKILL and wait (bounded) for the exit: for finally blocks, never throws. */
export async function killHard(bot: BotProcess | undefined): Promise<void> {
  if (!bot) return;
  bot.signal('SIGKILL');
  await Promise.race([bot.exited, new Promise((resolve) => setTimeout(resolve, 5_000))]);
}

/** What a send is, for comparing runs: the method and what the person sees (text or coordinates). */
export function sendKey(call: Call): string {
  const b = call.body;
  if (call.method === 'sendMessage') return `sendMessage ${String(b.text)}`;
  if (call.method === 'sendVenue') return `sendVenue ${b.latitude},${b.longitude} ${String(b.title)}`;
  return `${call.method} ${b.latitude},${b.longitude}`;
}

/** Sends per chat, in the order the fake API received them. */
export function sendsByChat(calls: readonly Call[]): Map<number, string[]> {
  const byChat = new Map<number, string[]>();
  for (const call of calls) {
    const chat = Number(call.body.chat_id);
    const list = byChat.get(chat) ?? [];
    list.push(sendKey(call));
    byChat.set(chat, list);
  }
  return byChat;
}

export interface Match {
  /** Expected sends seen in order. */
  matched: number;
  /** Expected sends never seen. */
  lost: number;
  /** Repeats of an expected send already seen (a resend after a restart). */
  duplicated: number;
  /** Seen out of order (after a later expected send) or not expected at all. */
  unexpected: number;
}

/**
 * Compares one chat's observed sends with the expected ones (all distinct: the caller checks it,
 * or a repeat would be ambiguous). Each observed send is, in this order of preference: the next
 * expected one; a repeat of one already matched (duplicate); a later expected one, the ones in
 * between skipped for now; or unexpected (one that was skipped arriving late, or a stranger).
 * Lost: expected sends that never arrived at all.
 */
export function matchSends(expected: readonly string[], observed: readonly string[]): Match {
  let next = 0; // expected[0..next) have been matched or skipped
  const matched = new Set<number>();
  const late = new Set<number>();
  let duplicated = 0;
  let unexpected = 0;
  for (const send of observed) {
    if (expected[next] === send) {
      matched.add(next++);
      continue;
    }
    const earlier = expected.indexOf(send);
    if (earlier >= 0 && earlier < next && matched.has(earlier)) duplicated++;
    else if (earlier > next) {
      matched.add(earlier);
      next = earlier + 1;
    } else if (earlier >= 0 && earlier < next && !late.has(earlier)) {
      late.add(earlier);
      unexpected++;
    } else if (earlier >= 0 && late.has(earlier)) duplicated++;
    else unexpected++;
  }
  return {
    matched: matched.size,
    lost: expected.length - matched.size - late.size,
    duplicated,
    unexpected,
  };
}
