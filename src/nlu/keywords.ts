/**
 * Keyword phrases per key (an intent, an FAQ topic), matched on normalised tokens. The key with
 * the most phrase hits wins, longer phrases weighing more; a tie decides nothing.
 */
export class KeywordMatcher<K> {
  private readonly phrases: { key: K; phrase: string; weight: number }[];

  constructor(lists: Iterable<readonly [K, readonly string[]]>, tokenize: (p: string) => string[]) {
    this.phrases = [...lists].flatMap(([key, list]) =>
      list
        .map((p) => tokenize(p))
        .filter((t) => t.length > 0)
        .map((t) => ({ key, phrase: ` ${t.join(' ')} `, weight: t.length })),
    );
  }

  match(tokens: readonly string[]): K | undefined {
    const text = ` ${tokens.join(' ')} `;
    const scores = new Map<K, number>();
    for (const p of this.phrases) {
      if (text.includes(p.phrase)) scores.set(p.key, (scores.get(p.key) ?? 0) + p.weight);
    }
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
