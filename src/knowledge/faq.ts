import type { FaqFile } from './schemas.js';

type Topic = FaqFile['topics'][number];

/** Every word of every FAQ keyword, so the NLU's spelling corrector knows them. */
export function faqVocabulary(faq: FaqFile): string[] {
  return faq.topics.flatMap((t) => [...t.keywords.es, ...t.keywords.en]).flatMap((k) => k.split(/\s+/));
}

/**
 * Picks the FAQ topic a question is about, by its keywords (in either language: people mix).
 * Longer keyword phrases weigh more; a tie or no hit means "ask which topic".
 */
export class FaqMatcher {
  private readonly keywords: { topic: Topic; phrase: string; weight: number }[];

  constructor(
    faq: FaqFile,
    tokenize: (text: string) => string[],
  ) {
    this.keywords = faq.topics.flatMap((topic) =>
      [...topic.keywords.es, ...topic.keywords.en].map((k) => {
        const tokens = tokenize(k);
        return { topic, phrase: ` ${tokens.join(' ')} `, weight: tokens.length };
      }),
    );
  }

  match(tokens: readonly string[]): Topic | undefined {
    const text = ` ${tokens.join(' ')} `;
    const scores = new Map<Topic, number>();
    for (const k of this.keywords) {
      if (k.phrase.length > 2 && text.includes(k.phrase)) scores.set(k.topic, (scores.get(k.topic) ?? 0) + k.weight);
    }
    let best: Topic | undefined;
    let bestScore = 0;
    let tie = false;
    for (const [topic, score] of scores) {
      if (score > bestScore) {
        best = topic;
        bestScore = score;
        tie = false;
      } else if (score === bestScore) tie = true;
    }
    return tie ? undefined : best;
  }
}
