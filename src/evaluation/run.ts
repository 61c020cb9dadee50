import { answerLine } from '../channels/console/jsonl.js';
import type { Intent, Lang } from '../nlu/index.js';
import type { ConversationRunner } from '../runner/runner.js';
import type { EvalConversation, EvalMessage, EvalTurn } from './corpus.js';

/** The corpus's default clock: a Friday morning in Mexico City, past the end of every known season. */
export const DEFAULT_NOW = '2026-12-04T10:30:00-06:00';
const MINUTE = 60_000;

interface Output {
  lang: Lang;
  intent: Intent;
  replies: { text: string; options?: { id: string; label: string }[]; facilities?: unknown[] }[];
  error?: string;
}

/** Lowercase, accents off: patterns are written that way (test/eval/README.md). */
const normalise = (s: string) => s.toLowerCase().normalize('NFD').replace(/\p{M}/gu, '');

/** Every reply's text and every button label, normalised, as the patterns see them. */
const replyText = (out: Output) =>
  normalise(out.replies.flatMap((r) => [r.text, ...(r.options ?? []).map((o) => o.label)]).join('\n'));

export interface Checked {
  intentOk: boolean;
  contentOk: boolean;
  expected: Intent[];
  got: Intent;
  /** What failed, for the error listing. */
  why: string[];
}

type Expectation = Pick<EvalTurn, 'intent' | 'lang' | 'must' | 'must_not' | 'facilities'>;

/** Checks one answer against its expectations: intent, then language and content. */
function check(out: Output, want: Expectation, lang: Lang | undefined): Checked {
  const expected = want.intent === undefined ? [] : Array.isArray(want.intent) ? want.intent : [want.intent];
  const why: string[] = [];
  if (out.error) return { intentOk: false, contentOk: false, expected, got: 'unknown', why: [out.error] };
  const intentOk = !expected.length || expected.includes(out.intent);
  if (!intentOk) why.push(`intent ${out.intent}`);
  const text = replyText(out);
  let contentOk = true;
  // A language request is answered in the language asked for: its patterns say which.
  if (lang && !expected.includes('language') && out.lang !== lang) {
    contentOk = false;
    why.push(`answered in ${out.lang}`);
  }
  for (const p of want.must ?? []) {
    if (!new RegExp(p, 'i').test(text)) {
      contentOk = false;
      why.push(`missing /${p}/`);
    }
  }
  for (const p of want.must_not ?? []) {
    if (new RegExp(p, 'i').test(text)) {
      contentOk = false;
      why.push(`has /${p}/`);
    }
  }
  if (want.facilities !== undefined) {
    const listed = out.replies.some((r) => (r.facilities?.length ?? 0) > 0);
    if (listed !== want.facilities) {
      contentOk = false;
      why.push(want.facilities ? 'no units listed' : 'units listed');
    }
  }
  return { intentOk, contentOk, expected, got: out.intent, why };
}

let users = 0;
const send = async (runner: ConversationRunner, line: Record<string, unknown>): Promise<Output> =>
  JSON.parse(await answerLine(runner, JSON.stringify(line))) as Output;

export interface MessageResult extends Checked {
  item: EvalMessage;
}

/** Each message from a new person, as the JSONL contract carries it. */
export async function runMessages(
  runner: ConversationRunner,
  messages: readonly EvalMessage[],
): Promise<MessageResult[]> {
  const results: MessageResult[] = [];
  for (const item of messages) {
    const out = await send(runner, {
      user: `eval-m${++users}`,
      text: item.text,
      now: item.now ?? DEFAULT_NOW,
    });
    results.push({ item, ...check(out, item, item.lang) });
  }
  return results;
}

export interface ConversationResult {
  item: EvalConversation;
  turns: (Checked & { turn: EvalTurn })[];
  passed: boolean;
}

/** A whole conversation by one person; a tap presses the offered button whose label matches. */
export async function runConversations(
  runner: ConversationRunner,
  conversations: readonly EvalConversation[],
): Promise<ConversationResult[]> {
  const results: ConversationResult[] = [];
  for (const item of conversations) {
    const user = `eval-c${++users}`;
    let now = Date.parse(DEFAULT_NOW);
    let last: Output | undefined;
    const turns: ConversationResult['turns'] = [];
    for (const turn of item.turns) {
      now = turn.now ? Date.parse(turn.now) : last ? now + MINUTE : now;
      const at = new Date(now).toISOString();
      let out: Output;
      if (turn.tap !== undefined) {
        const re = new RegExp(turn.tap, 'i');
        const option = (last?.replies ?? [])
          .flatMap((r) => r.options ?? [])
          .find((o) => re.test(normalise(o.label)));
        out = option
          ? await send(runner, { user, option: option.id, now: at })
          : { lang: 'es', intent: 'unknown', replies: [], error: `no button /${turn.tap}/` };
      } else if (turn.location) {
        out = await send(runner, { user, location: turn.location, now: at });
      } else out = await send(runner, { user, text: turn.text, now: at });
      last = out;
      // The conversation's language, unless it is about switching language (then turns say theirs).
      const lang = turn.lang ?? (item.tags.includes('language-switch') ? undefined : item.lang);
      turns.push({ turn, ...check(out, turn, lang) });
    }
    results.push({ item, turns, passed: turns.every((t) => t.intentOk && t.contentOk) });
  }
  return results;
}

export interface Rate {
  n: number;
  intent: number;
  content: number;
}

/** Pass rates per group (language, tag…) of single messages. */
export function rates(
  results: readonly MessageResult[],
  group: (r: MessageResult) => string[],
): Map<string, Rate> {
  const out = new Map<string, Rate>();
  for (const r of results) {
    for (const g of group(r)) {
      const rate = out.get(g) ?? { n: 0, intent: 0, content: 0 };
      rate.n++;
      if (r.intentOk) rate.intent++;
      if (r.contentOk) rate.content++;
      out.set(g, rate);
    }
  }
  return out;
}

export interface EmergencyRates {
  /** Messages and turns expected to be emergencies. */
  expected: number;
  caught: number;
  /** Messages and turns not expected to be emergencies. */
  others: number;
  falseAlarms: number;
}

/** Emergency recall and false alarms over messages and conversation turns. */
export function emergencyRates(
  messages: readonly MessageResult[],
  conversations: readonly ConversationResult[],
): EmergencyRates {
  const all: Checked[] = [...messages, ...conversations.flatMap((c) => c.turns)];
  const rates: EmergencyRates = { expected: 0, caught: 0, others: 0, falseAlarms: 0 };
  for (const r of all) {
    if (!r.expected.length) continue;
    if (r.expected.includes('emergency')) {
      rates.expected++;
      if (r.got === 'emergency') rates.caught++;
    } else {
      rates.others++;
      if (r.got === 'emergency') rates.falseAlarms++;
    }
  }
  return rates;
}
