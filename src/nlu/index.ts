import { IntentClassifier } from './classifier.js';
import { EmergencyRules } from './emergency.js';
import { type Entities, EntityExtractor } from './entities.js';
import { KeywordMatcher } from './keywords.js';
import { LanguageDetector } from './language.js';
import { INTENTS, type Intent, type Lang, type NluData } from './lexicon.js';
import { Normalizer } from './normalize.js';

export type { Entities } from './entities.js';
export { INTENTS, type Intent, LANGS, type Lang } from './lexicon.js';

/** Below this probability the classifier's best guess is not trusted: the message is out of scope. */
export const OUT_OF_SCOPE_THRESHOLD = 0.45;

/** The classifier alone may call an emergency only on a message at least this long. */
const EMERGENCY_MIN_TOKENS = 3;

/** Which kinds of entity a message has: features for the classifier. */
function entityMarks(e: Entities): string[] {
  const marks: string[] = [];
  if (e.ageMonths !== undefined) marks.push('age');
  if (e.pregnant || e.pregnancyWeeks !== undefined) marks.push('pregnancy');
  if (e.conditions) marks.push('condition');
  if (e.worker) marks.push('worker');
  if (e.vaccines) marks.push('vaccine');
  if (e.postalCode) marks.push('postal');
  if (e.targetLang) marks.push('lang');
  return marks;
}

export interface Understanding {
  /** The message's language, or undefined when it cannot be told ("ok", "menu", "👍"). */
  lang: Lang | undefined;
  intent: Intent;
  /** The classifier's probability for its best guess (1 when a rule decided). */
  confidence: number;
  entities: Entities;
  /** The id of the emergency rule that fired, if one did. */
  emergency: string | undefined;
  tokens: string[];
}

export interface Nlu {
  understand(text: string): Understanding;
  /** Normalised tokens, for other matchers (FAQ keywords) that must agree with the NLU. */
  tokens(text: string): string[];
}

export interface NluOptions {
  /** Words that other content (FAQ keywords) needs the spelling corrector to know. */
  vocabulary?: readonly string[];
  /** More keyword phrases per intent (FAQ keywords for "faq"), used when the classifier is unsure. */
  hints?: Partial<Record<Intent, readonly string[]>>;
}

/**
 * Builds the understanding pipeline from data: normalisation, emergency rules, language
 * detection, intent classification (trained here, from data/nlu/training.jsonl) and entities.
 */
export function createNlu(data: NluData, options: NluOptions = {}): Nlu {
  const { lexicon } = data;
  const extraVocabulary = options.vocabulary ?? [];
  const bootstrap = new Normalizer(lexicon, []);
  const lexiconWords = [
    ...lexicon.vocabulary,
    ...lexicon.stopwords.es,
    ...lexicon.stopwords.en,
    ...Object.values(lexicon.conditions).flat(),
    ...Object.values(lexicon.vaccines).flat(),
    ...lexicon.worker,
    ...lexicon.pregnancy,
    ...lexicon.languages.es,
    ...lexicon.languages.en,
    ...Object.values(lexicon.replace),
    ...extraVocabulary,
  ];
  const vocabulary = [...data.training.map((e) => e.text), ...lexiconWords].flatMap((t) =>
    bootstrap.tokens(t),
  );
  const normalizer = new Normalizer(lexicon, vocabulary);
  const entities = new EntityExtractor(lexicon, (p) => normalizer.tokens(p));
  const tokenized = data.training.map((e) => {
    const tokens = normalizer.tokens(e.text);
    return { ...e, tokens, marks: entityMarks(entities.extract(tokens)) };
  });

  const classifier = new IntentClassifier(tokenized, INTENTS);
  const language = new LanguageDetector(tokenized, lexicon, (t) => normalizer.tokens(t));
  const emergency = new EmergencyRules(data.emergency);
  const hints = new KeywordMatcher<Intent>(
    INTENTS.map(
      (intent) => [intent, [...(lexicon.hints[intent] ?? []), ...(options.hints?.[intent] ?? [])]] as const,
    ),
    (p) => normalizer.tokens(p),
  );

  /**
   * When the classifier is unsure: a postal code means "where", a profile (age, pregnancy,
   * condition, job) means "does it apply to me", else the keyword phrases decide, or nothing does.
   */
  const fallback = (tokens: string[], e: Entities): Intent => {
    if (e.postalCode) return 'facility';
    if (
      e.ageMonths !== undefined ||
      e.pregnant ||
      e.pregnancyWeeks !== undefined ||
      e.conditions ||
      e.worker
    ) {
      return 'eligibility';
    }
    return hints.match(tokens) ?? 'unknown';
  };

  return {
    tokens: (text) => normalizer.tokens(text),
    understand(text) {
      const tokens = normalizer.tokens(text);
      const normalised = tokens.join(' ');
      const found = entities.extract(tokens);
      const lang = language.detect(tokens);
      const fired = emergency.match(normalised);
      if (fired) {
        return {
          lang,
          intent: 'emergency',
          confidence: 1,
          entities: found,
          emergency: fired,
          tokens,
        };
      }
      const p = classifier.predict(tokens, entityMarks(found));
      // Rules decide emergencies first; the classifier is a second net (a false alarm costs less than a
      // miss), trusted only on a real sentence: two words like "no se" are not an emergency.
      const trusted =
        p.known > 0 &&
        p.confidence >= OUT_OF_SCOPE_THRESHOLD &&
        (p.intent !== 'emergency' || tokens.length >= EMERGENCY_MIN_TOKENS);
      return {
        lang,
        intent: trusted ? p.intent : fallback(tokens, found),
        confidence: p.confidence,
        entities: found,
        emergency: undefined,
        tokens,
      };
    },
  };
}
