import { z } from 'zod';
import { Profile, QUESTIONS } from '../knowledge/eligibility.js';
import { LANGS } from '../nlu/index.js';

const Dialog = z.discriminatedUnion('kind', [
  z.object({
    kind: z.literal('eligibility'),
    step: z.enum(QUESTIONS),
    profile: Profile,
    /** Questions the person could not answer: not asked again. */
    skipped: z.array(z.enum(QUESTIONS)),
    retries: z.number().int().nonnegative(),
  }),
  z.object({
    kind: z.literal('facility'),
    step: z.literal('location'),
    retries: z.number().int().nonnegative(),
  }),
]);

/** Per-user state kept between messages (and restarts). Nothing here identifies the person. */
export const Session = z.object({
  lang: z.enum(LANGS),
  /** Set when the person chose a language explicitly: then detection no longer overrides it. */
  langPinned: z.boolean(),
  dialog: Dialog.optional(),
  promoterCode: z.string().optional(),
});
export type Session = z.infer<typeof Session>;
export type Dialog = z.infer<typeof Dialog>;
export type EligibilityDialog = Extract<Dialog, { kind: 'eligibility' }>;

/** Storage port: the engine does not know where sessions live. */
export interface SessionStore {
  load(channel: string, userId: string): Session | undefined;
  save(channel: string, userId: string, session: Session): void;
}
