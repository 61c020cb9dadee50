import { deletions, withinOneEdit } from './edits.js';
import type { Lexicon } from './lexicon.js';
import { numberWordsToDigits } from './numbers.js';

/** Longest text we read: enough for any real question, and it bounds the work per message. */
export const MAX_TEXT = 500;

const FIX_CACHE = 50_000;
/**
 * Only words this long are corrected: shorter ones are too often another real word one letter away
 * ("corre" is not "corte", "dolio" is not "polio").
 */
const MIN_CORRECTED = 6;

const EMOJI_RE = /\p{Extended_Pictographic}\uFE0F?/gu;
const ASCII = /^[\x20-\x7e]*$/;

/**
 * First pass, needing no vocabulary: lowercase, accents and control characters off, known emoji
 * to words, everything that is not a letter or digit to spaces.
 */
export function baseTokens(text: string, emoji: Readonly<Record<string, string>>): string[] {
  const short = text.slice(0, MAX_TEXT).toLowerCase();
  // Most messages are plain ASCII: they need no emoji or accent handling.
  if (ASCII.test(short)) {
    // "can't" → "cant"; the replace costs as much as the split, so only where there is an apostrophe
    const joined =
      short.includes("'") || short.includes('`') ? short.replace(/([a-z])['`]([a-z])/g, '$1$2') : short;
    return joined.split(/[^a-z0-9_]+/).filter(Boolean);
  }
  const withEmoji = short.replace(EMOJI_RE, (e) => ` ${emoji[e] ?? emoji[e.replace('\uFE0F', '')] ?? ''} `);
  return (
    withEmoji
      // "can't" → "cant", "I'm" → "im": the lexicon expands those forms
      .replace(/(\p{L})['’`´](\p{L})/gu, '$1$2')
      .normalize('NFD')
      .replace(/\p{M}/gu, '')
      .toLowerCase()
      .split(/[^\p{L}\p{N}_]+/u)
      .filter(Boolean)
  );
}

/**
 * Turns informal text into tokens the classifier knows: abbreviations expanded ("xq" → "porque"),
 * stretched letters squeezed ("holaaa" → "hola"), one-letter typos corrected against the known
 * vocabulary (symmetric-delete lookup, so it stays fast), number words as digits.
 */
export class Normalizer {
  private readonly freq = new Map<string, number>();
  private readonly deleteIndex = new Map<string, string[]>();
  private readonly replace: Map<string, string[]>;
  /** Each distinct raw word is fixed once (bounded): the same words come back all day. */
  private readonly fixed = new Map<string, string[]>();

  /** Words read as they are, never a correction's target ("polio" must not swallow "dolió"). */
  private readonly exact: ReadonlySet<string>;

  constructor(
    private readonly lexicon: Lexicon,
    vocabulary: Iterable<string>,
    exact: Iterable<string> = [],
  ) {
    this.exact = new Set(exact);
    this.replace = new Map(
      Object.entries(lexicon.replace)
        .filter(([k]) => !k.includes(' '))
        .map(([k, v]) => [k, v.split(' ')]),
    );
    for (const w of vocabulary) this.freq.set(w, (this.freq.get(w) ?? 0) + 1);
    for (const w of this.freq.keys()) {
      if (w.length < 4 || /\d/.test(w)) continue;
      for (const d of deletions(w)) {
        const list = this.deleteIndex.get(d);
        if (list) list.push(w);
        else this.deleteIndex.set(d, [w]);
      }
    }
  }

  base(text: string): string[] {
    return baseTokens(text, this.lexicon.emoji);
  }

  tokens(text: string): string[] {
    const out: string[] = [];
    for (const raw of this.base(text)) {
      let fixed = this.fixed.get(raw);
      if (!fixed) {
        fixed = this.fix(raw);
        if (this.fixed.size >= FIX_CACHE) this.fixed.clear();
        this.fixed.set(raw, fixed);
      }
      for (const t of fixed) out.push(t);
    }
    return numberWordsToDigits(out);
  }

  private known(t: string) {
    return this.freq.has(t) || this.exact.has(t);
  }

  private fix(raw: string): string[] {
    // Most tokens are known words or listed abbreviations: answer those with one lookup.
    const listed = this.replace.get(raw);
    if (listed) return listed;
    if (this.known(raw) || /^\d+$/.test(raw)) return [raw];
    // A letter typed three or more times is stretching ("holaaa"): try the word with it once first.
    if (/(\p{L})\1{2,}/u.test(raw)) {
      const once = raw.replace(/(\p{L})\1{2,}/gu, '$1');
      if (this.known(once)) return [once];
    }
    const t = raw.replace(/(\p{L})\1{2,}/gu, '$1$1');
    const direct = this.replace.get(t);
    if (direct) return direct;
    if (this.known(t)) return [t];
    const squeezed = t.replace(/(\p{L})\1+/gu, '$1');
    const squeezedReplace = this.replace.get(squeezed);
    if (squeezedReplace) return squeezedReplace;
    if (this.known(squeezed)) return [squeezed];
    if (t.length >= MIN_CORRECTED) {
      const corrected = this.correct(t);
      if (corrected) return [corrected];
    }
    return [t];
  }

  /** The most frequent known word one edit away, if any. */
  private correct(t: string): string | undefined {
    let best: string | undefined;
    let bestFreq = 0;
    for (const key of [t, ...deletions(t)]) {
      for (const w of this.deleteIndex.get(key) ?? []) {
        const f = this.freq.get(w) ?? 0;
        if (f > bestFreq && withinOneEdit(t, w)) {
          best = w;
          bestFreq = f;
        }
      }
    }
    // also words that are one character shorter than t (t has an extra letter)
    for (const d of deletions(t)) {
      const f = this.freq.get(d) ?? 0;
      if (d.length >= 4 && f > bestFreq) {
        best = d;
        bestFreq = f;
      }
    }
    return best;
  }
}
