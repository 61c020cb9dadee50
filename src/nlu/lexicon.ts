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
    worker: Words,
    pregnancy: Words,
    vaccines: z.record(z.string(), Words),
    languages: z.object({ es: Words, en: Words }).strict(),
    vocabulary: Words,
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
        })
        .strict(),
    ),
  })
  .strict();
export type EmergencyFile = z.infer<typeof EmergencyFile>;

export const TrainingExample = z
  .object({ text: z.string().min(1), lang: z.enum(LANGS), intent: z.enum(INTENTS) })
  .strict();
export type TrainingExample = z.infer<typeof TrainingExample>;

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
