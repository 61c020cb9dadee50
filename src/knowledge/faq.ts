import { KeywordMatcher } from '../nlu/keywords.js';
import type { FaqFile } from './schemas.js';

type Topic = FaqFile['topics'][number];

/** Every FAQ keyword in both languages: people mix them. */
export const faqKeywords = (faq: FaqFile): string[] =>
  faq.topics.flatMap((t) => [...t.keywords.es, ...t.keywords.en]);

/** Every word of every FAQ keyword, so the NLU's spelling corrector knows them. */
export const faqVocabulary = (faq: FaqFile): string[] => faqKeywords(faq).flatMap((k) => k.split(/\s+/));

/** Picks the FAQ topic a question is about by its keywords; no hit or a tie means "ask which topic". */
export class FaqMatcher {
  private readonly matcher: KeywordMatcher<Topic>;

  constructor(faq: FaqFile, tokenize: (text: string) => string[]) {
    this.matcher = new KeywordMatcher(
      faq.topics.map((t) => [t, [...t.keywords.es, ...t.keywords.en]] as const),
      tokenize,
    );
  }

  match(tokens: readonly string[]): Topic | undefined {
    return this.matcher.match(tokens);
  }
}
