import type { Profile } from '../knowledge/eligibility.js';
import type { Intent, Understanding } from '../nlu/index.js';
import { type Context, MAX_PEOPLE, type Session } from './session.js';

/**
 * Forgets the open question and the last topic (the runner calls this after a silence), so a bare
 * "sí" or "45" hours later is not taken as an answer to an old question.
 */
export function forgetTopic(session: Session): Session {
  const { dialog: _, context: __, ...rest } = session;
  return rest;
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
