import { IntentClassifier } from './classifier.js';
import { EmergencyRules } from './emergency.js';
import { type Entities, EntityExtractor } from './entities.js';
import { LanguageDetector } from './language.js';
import { INTENTS, type Intent, type Lang, type NluData } from './lexicon.js';
import { Normalizer } from './normalize.js';

export type { Entities } from './entities.js';
export { INTENTS, type Intent, type Lang, LANGS } from './lexicon.js';

/** Below this probability the classifier's best guess is not trusted: the message is out of scope. */
export const OUT_OF_SCOPE_THRESHOLD = 0.45;

export interface Understanding {
  /** The message's language, or undefined when it cannot be told ("ok", "menu", "👍"). */
  lang: Lang | undefined;
  intent: Intent;
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

/**
 * Builds the understanding pipeline from data: normalisation, emergency rules, language
 * detection, intent classification (trained here, from data/nlu/training.jsonl) and entities.
 * extraVocabulary: words that other content (FAQ keywords) needs the spelling corrector to know.
 */
export function createNlu(data: NluData, extraVocabulary: readonly string[] = []): Nlu {
  const { lexicon } = data;
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
  const vocabulary = [...data.training.map((e) => e.text), ...lexiconWords].flatMap((t) => bootstrap.tokens(t));
  const normalizer = new Normalizer(lexicon, vocabulary);
  const tokenized = data.training.map((e) => ({ ...e, tokens: normalizer.tokens(e.text) }));

  const classifier = new IntentClassifier(tokenized, INTENTS);
  const language = new LanguageDetector(tokenized, lexicon);
  const emergency = new EmergencyRules(data.emergency);
  const entities = new EntityExtractor(lexicon, (p) => normalizer.base(p).join(' '));

  return {
    tokens: (text) => normalizer.tokens(text),
    understand(text) {
      const tokens = normalizer.tokens(text);
      const normalised = tokens.join(' ');
      const found = entities.extract(tokens);
      const lang = language.detect(tokens);
      const fired = emergency.match(normalised);
      if (fired) return { lang, intent: 'emergency', confidence: 1, entities: found, emergency: fired, tokens };
      if (tokens.length === 1 && found.postalCode) {
        return { lang, intent: 'facility', confidence: 1, entities: found, emergency: undefined, tokens };
      }
      const p = classifier.predict(tokens);
      // Rules decide emergencies first; the classifier is a second net (a false alarm costs less than a miss).
      const trusted = p.known > 0 && p.confidence >= OUT_OF_SCOPE_THRESHOLD;
      return {
        lang,
        intent: trusted ? p.intent : 'unknown',
        confidence: p.confidence,
        entities: found,
        emergency: undefined,
        tokens,
      };
    },
  };
}
