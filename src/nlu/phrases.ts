/**
 * Finds known phrases (sequences of normalised tokens) in a message in one pass over its tokens:
 * phrases are indexed by their first token, so the cost does not grow with the size of the lists.
 */
export class PhraseIndex<V> {
  private readonly byFirst = new Map<string, { rest: string[]; value: V; length: number }[]>();

  add(tokens: readonly string[], value: V): void {
    const [first, ...rest] = tokens;
    if (first === undefined) return;
    const list = this.byFirst.get(first);
    const entry = { rest, value, length: tokens.length };
    if (list) list.push(entry);
    else this.byFirst.set(first, [entry]);
  }

  /** Every occurrence, as [value, phrase length, position]. (An array, not a generator: this runs on every message.) */
  matches(tokens: readonly string[]): [V, number, number][] {
    const found: [V, number, number][] = [];
    for (let i = 0; i < tokens.length; i++) {
      const candidates = this.byFirst.get(tokens[i] as string);
      if (!candidates) continue;
      for (const c of candidates) {
        let ok = true;
        for (let j = 0; j < c.rest.length; j++) {
          if (tokens[i + 1 + j] !== c.rest[j]) {
            ok = false;
            break;
          }
        }
        if (ok) found.push([c.value, c.length, i]);
      }
    }
    return found;
  }
}
