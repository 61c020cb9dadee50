import { z } from 'zod';
import { readJsonLinesFile } from '../knowledge/read-data.js';
import { INTENTS, LANGS } from '../nlu/index.js';
import { TrainingExample } from '../nlu/lexicon.js';

/** The evaluation corpus format (test/eval/README.md): what a reply must and must not say. */
const Pattern = z.string().refine((p) => {
  try {
    new RegExp(p, 'i');
    return true;
  } catch {
    return false;
  }
}, 'not a valid regular expression');
const Intents = z.union([z.enum(INTENTS), z.array(z.enum(INTENTS)).min(1)]);
const Now = z.iso.datetime({ offset: true });

const Checks = {
  intent: Intents.optional(),
  lang: z.enum(LANGS).optional(),
  must: z.array(Pattern).optional(),
  must_not: z.array(Pattern).optional(),
  facilities: z.boolean().optional(),
  now: Now.optional(),
};

export const EvalMessage = z
  .object({
    id: z.string().min(1),
    lang: z.enum(LANGS),
    text: z.string().min(1),
    intent: Intents,
    tags: z.array(z.string()).default([]),
    must: Checks.must,
    must_not: Checks.must_not,
    facilities: Checks.facilities,
    now: Checks.now,
  })
  .strict();
export type EvalMessage = z.infer<typeof EvalMessage>;

export const EvalTurn = z
  .object({
    text: z.string().min(1).optional(),
    tap: Pattern.optional(),
    location: z.object({ lat: z.number(), lon: z.number() }).strict().optional(),
    ...Checks,
  })
  .strict()
  .refine((t) => [t.text, t.tap, t.location].filter((x) => x !== undefined).length === 1, {
    message: 'exactly one of text, tap, location',
  });
export type EvalTurn = z.infer<typeof EvalTurn>;

export const EvalConversation = z
  .object({
    id: z.string().min(1),
    lang: z.enum(LANGS),
    tags: z.array(z.string()).default([]),
    turns: z.array(EvalTurn).min(1),
  })
  .strict();
export type EvalConversation = z.infer<typeof EvalConversation>;

export const readMessages = (file: string) => readJsonLinesFile(file, EvalMessage);
export const readConversations = (file: string) => readJsonLinesFile(file, EvalConversation);

/** How texts are compared with the training file: an eval message equal to a training line measures nothing. */
export const sameText = (text: string) => text.toLowerCase().trim();

/** The training file's texts, as sameText() gives them. */
export const trainingTexts = (file: string): Set<string> =>
  new Set(readJsonLinesFile(file, TrainingExample).map((e) => sameText(e.text)));
