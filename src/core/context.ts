import type { Profile } from '../knowledge/eligibility.js';
import type { Intent, Understanding } from '../nlu/index.js';
import { type Context, MAX_PEOPLE, type Session } from './session.js';

/** After this much silence (judged on the messages' own times) the last topic and any open question are forgotten. */
export const CONTEXT_TTL_MS = 30 * 60 * 1000;
const MINUTE = 60_000;

/**
 * Forgets the open question and the last topic after a silence, so a bare "sí" or "45" hours
 * later is not taken as an answer to an old question. Records this message's time.
 */
export function expire(session: Session, now: Date): void {
  const last = session.seenAt ? Date.parse(session.seenAt) : Number.NaN;
  if (!Number.isNaN(last) && now.getTime() - last > CONTEXT_TTL_MS) {
    session.dialog = undefined;
    session.context = undefined;
  }
  // A message older than the last one (a late delivery) does not move the clock back. Kept to the
  // minute: messages in the same minute then leave the stored session unchanged (no write).
  if (Number.isNaN(last) || now.getTime() - last >= MINUTE)
    session.seenAt = `${now.toISOString().slice(0, 16)}Z`;
}

/** Intents whose answer is a topic a follow-up can lean on. */
const TOPICS: ReadonlySet<Intent> = new Set(['eligibility', 'facility', 'hours', 'prevention', 'faq']);

/** Remembers what this turn was about, for the next ones. */
export function remember(session: Session, intent: Intent, u: Understanding | undefined): void {
  if (!TOPICS.has(intent)) return;
  const ctx: Context = session.context ?? {};
  ctx.intent = intent;
  const e = u?.entities;
  if (e?.vaccines) ctx.vaccines = e.vaccines;
  else if (intent !== 'eligibility') delete ctx.vaccines;
  if (e?.day) ctx.day = e.day;
  session.context = ctx;
}

/** The stored profile of one person of this chat. */
export function profileOf(session: Session, who: string): Profile | undefined {
  return session.context?.people?.[who];
}

/** Stores a person's profile as the one the conversation is about now (at most MAX_PEOPLE kept). */
export function keepProfile(session: Session, who: string, profile: Profile): void {
  const ctx: Context = session.context ?? {};
  const people = { ...(ctx.people ?? {}) };
  delete people[who];
  people[who] = profile;
  const keys = Object.keys(people);
  for (const old of keys.slice(0, Math.max(0, keys.length - MAX_PEOPLE))) delete people[old];
  ctx.people = people;
  ctx.who = who;
  session.context = ctx;
}
