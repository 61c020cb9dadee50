import { join } from 'node:path';
import { z } from 'zod';
import { readJsonFile, readJsonLinesFile } from '../knowledge/read-data.js';

export const LANGS = ['es', 'en'] as const;
export type Lang = (typeof LANGS)[number];

export const INTENTS = [
  'greeting',
  'help',
  'eligibility',
  'facility',
  'hours',
  'prevention',
  'faq',
  'language',
  'emergency',
  'thanks',
  'unknown',
] as const;
export type Intent = (typeof INTENTS)[number];

const Words = z.array(z.string().min(1));
const Wrapper = z.object({ before: Words.min(1), after: Words.min(1) }).strict();

/** Word lists that content editors can extend without touching code. */
export const LexiconFile = z
  .object({
    replace: z.record(z.string(), z.string()),
    neutral: Words,
    emoji: z.record(z.string(), z.string()),
    stopwords: z.object({ es: Words, en: Words }).strict(),
    yes: Words,
    no: Words,
    none: Words,
    /** "I don't know": answers a dialog question by skipping it. */
    unsure: Words,
    conditions: z.record(z.string(), Words),
    /** Health professions: a fact about someone only when asserted ("soy enfermera", "she is a nurse"). */
    worker: Words,
    /** Phrases that say by themselves that someone works in health ("trabajo en un hospital"). */
    workerPhrases: Words,
    pregnancy: Words,
    /** Words for the people a question can be about, by relation ("mi mamá", "my son"). */
    relations: z.record(z.string(), Words),
    /** Groups named in general questions ("las embarazadas", "health workers"). */
    groups: z.record(z.string(), Words),
    /** Being ill now, a symptom, a treatment: a question about it is about contraindications, not eligibility. */
    illness: Words,
    /** Things outside the bot's domain: animals, other vaccines, other services, other places, other topics. */
    offTopic: z
      .object({
        animals: Words,
        otherVaccines: Words,
        services: Words,
        places: Words,
        topics: Words,
        /** Translation requests: out of scope even when they name a vaccine ("¿cómo se dice vacuna en inglés?"). */
        translation: Words,
      })
      .strict(),
    vaccines: z.record(z.string(), Words),
    languages: z.object({ es: Words, en: Words }).strict(),
    vocabulary: Words,
    /**
     * Greetings and thanks that wrap real questions: training examples are also learned wrapped in
     * them, so that "buenos días, ¿dónde me vacuno? gracias" is a question, not a greeting.
     */
    wrappers: z.object({ es: Wrapper, en: Wrapper }).strict(),
    /** Keyword phrases per intent, consulted only when the classifier is unsure. */
    hints: z.partialRecord(z.enum(INTENTS), Words),
  })
  .strict();
export type Lexicon = z.infer<typeof LexiconFile>;

const compiles = (pattern: string) => {
  try {
    new RegExp(pattern);
    return true;
  } catch {
    return false;
  }
};

/** Emergency rules: every pattern of a rule must match (on normalised text) for the rule to fire. */
export const EmergencyFile = z
  .object({
    rules: z.array(
      z
        .object({
          id: z.string().min(1),
          patterns: z.array(z.string().refine(compiles, 'not a valid regular expression')).min(1),
          /** The rule does not fire when one of these matches ("¿cómo sé si es una emergencia?"). */
          unless: z.array(z.string().refine(compiles, 'not a valid regular expression')).optional(),
        })
        .strict(),
    ),
    /** Fever by age: a baby's temperature is a red flag from a lower reading than a child's. */
    fever: z
      .object({
        /** Words that say a number is a temperature ("fiebre de 39", "temperatura 38.5"). */
        words: z.string().refine(compiles, 'not a valid regular expression'),
        rules: z.array(
          z
            .object({
              id: z.string().min(1),
              /** Up to this age in months (inclusive). */
              maxAgeMonths: z.number().int().nonnegative(),
              minCelsius: z.number().min(35).max(43),
              /** Fever named without a number is enough at this age. */
              anyFever: z.boolean().optional(),
            })
            .strict(),
        ),
      })
      .strict(),
  })
  .strict();
export type EmergencyFile = z.infer<typeof EmergencyFile>;

export const TrainingExample = z
  .object({ text: z.string().min(1), lang: z.enum(LANGS), intent: z.enum(INTENTS) })
  .strict();
export type TrainingExample = z.infer<typeof TrainingExample>;

/** Every third example (but greetings and thanks) again, wrapped in a greeting and a thanks, as people write. */
export function withWrappers(training: readonly TrainingExample[], lexicon: Lexicon): TrainingExample[] {
  const out: TrainingExample[] = [];
  training.forEach((e, i) => {
    out.push(e);
    if (i % 3 !== 0 || e.intent === 'greeting' || e.intent === 'thanks') return;
    const w = lexicon.wrappers[e.lang];
    const k = i / 3;
    out.push({ ...e, text: `${w.before[k % w.before.length]} ${e.text} ${w.after[k % w.after.length]}` });
  });
  return out;
}

export interface NluData {
  lexicon: Lexicon;
  emergency: EmergencyFile;
  training: TrainingExample[];
}

export function loadNluData(dataDir: string): NluData {
  return {
    lexicon: readJsonFile(join(dataDir, 'nlu', 'lexicon.json'), LexiconFile),
    emergency: readJsonFile(join(dataDir, 'nlu', 'emergency.json'), EmergencyFile),
    training: readJsonLinesFile(join(dataDir, 'nlu', 'training.jsonl'), TrainingExample),
  };
}
