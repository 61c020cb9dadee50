import { PhraseIndex } from './phrases.js';

/**
 * Keyword phrases per key (an intent, an FAQ topic), matched on normalised tokens. The key with
 * the most phrase hits wins, longer phrases weighing more; a tie decides nothing.
 */
export class KeywordMatcher<K> {
  private readonly index = new PhraseIndex<K>();

  constructor(lists: Iterable<readonly [K, readonly string[]]>, tokenize: (p: string) => string[]) {
    for (const [key, list] of lists) {
      for (const phrase of new Set(list.map((p) => tokenize(p).join(' ')))) {
        if (phrase) this.index.add(phrase.split(' '), key);
      }
    }
  }

  match(tokens: readonly string[]): K | undefined {
    const scores = new Map<K, number>();
    for (const [key, weight] of this.index.matches(tokens)) scores.set(key, (scores.get(key) ?? 0) + weight);
    let best: K | undefined;
    let bestScore = 0;
    let tie = false;
    for (const [key, score] of scores) {
      if (score > bestScore) {
        best = key;
        bestScore = score;
        tie = false;
      } else if (score === bestScore) tie = true;
    }
    return tie ? undefined : best;
  }
}
