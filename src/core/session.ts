import { z } from 'zod';
import { Profile } from '../knowledge/eligibility.js';
import { INTENTS, LANGS } from '../nlu/index.js';

const Dialog = z.discriminatedUnion('kind', [
  z.object({
    kind: z.literal('eligibility'),
    /** The one optional question the last answer offered: the age, or a chronic condition. */
    step: z.enum(['age', 'conditions']),
    /** Whose answer it refines (a key of context.people). */
    who: z.string().max(32),
    retries: z.number().int().nonnegative(),
  }),
  z.object({
    kind: z.literal('facility'),
    step: z.literal('location'),
    retries: z.number().int().nonnegative(),
  }),
]);

const DayRef = z.union([
  z.object({ kind: z.literal('weekday'), weekday: z.number().int().min(1).max(7) }),
  z.object({ kind: z.enum(['today', 'tomorrow', 'weekend']) }),
]);

/** Up to this many people per chat (me, my mother, my father-in-law…): older ones are forgotten first. */
export const MAX_PEOPLE = 4;

/**
 * What the last turns were about, so short follow-ups ("¿y el sábado?", "¿y la de covid?", "tiene
 * diabetes") can be understood. Forgotten after a silence (the runner's rule).
 */
const Context = z.object({
  intent: z.enum(INTENTS).optional(),
  vaccines: z.array(z.string().max(32)).max(8).optional(),
  day: DayRef.optional(),
  /** The person the conversation is about now. */
  who: z.string().max(32).optional(),
  /** What is known of each person, by who they are to the writer ("self", "mother"…), newest last. */
  people: z.record(z.string().max(32), Profile).optional(),
});

/** Per-user state kept between messages (and restarts). Nothing here identifies the person. */
export const Session = z.object({
  lang: z.enum(LANGS),
  /** Set when the person chose a language explicitly: then detection no longer overrides it lightly. */
  langPinned: z.boolean(),
  // A dialog or context stored by an older version reads as none, rather than costing the whole session.
  dialog: Dialog.optional().catch(undefined),
  context: Context.optional().catch(undefined),
  promoterCode: z.string().optional(),
});
export type Session = z.infer<typeof Session>;
export type Dialog = z.infer<typeof Dialog>;
export type EligibilityDialog = Extract<Dialog, { kind: 'eligibility' }>;
export type Context = z.infer<typeof Context>;
