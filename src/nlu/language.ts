import type { Lang, Lexicon } from './lexicon.js';

/** Below this log-likelihood margin a message is undecidable ("ok", "menu", "no") and the session keeps its language. */
const DECIDE_MARGIN = 1.5;
const TOKEN_CAP = 4;
const OOV_WEIGHT = 0.5;
const OOV_CAP = 2;
/** Hand-picked function words weigh as much as this many training occurrences. */
const STOPWORD_BOOST = 20;
const TOKEN_CACHE = 50_000;

type Counts = { es: Map<string, number>; en: Map<string, number>; total: { es: number; en: number } };

/** A trained detector's counts, as the model cache saves them (model-cache.ts). */
export interface LanguageState {
  words: CountsState;
  chars: CountsState;
}
type CountsState = { es: [string, number][]; en: [string, number][] };

const saved = (c: Counts): CountsState => ({ es: [...c.es], en: [...c.en] });
function restored(s: CountsState): Counts {
  const c = counter();
  for (const lang of ['es', 'en'] as const) for (const [key, n] of s[lang]) add(c, lang, key, n);
  return c;
}

function counter(): Counts {
  return { es: new Map(), en: new Map(), total: { es: 0, en: 0 } };
}
function add(c: Counts, lang: Lang, key: string, n = 1) {
  c[lang].set(key, (c[lang].get(key) ?? 0) + n);
  c.total[lang] += n;
}
function llr(c: Counts, key: string, vocab: number): number {
  const es = ((c.es.get(key) ?? 0) + 0.5) / (c.total.es + 0.5 * vocab);
  const en = ((c.en.get(key) ?? 0) + 0.5) / (c.total.en + 0.5 * vocab);
  return Math.log(es / en);
}
const trigrams = (w: string) => {
  const p = `^${w}$`;
  return Array.from({ length: Math.max(0, p.length - 2) }, (_, i) => p.slice(i, i + 3));
};
const clip = (x: number, cap: number) => Math.max(-cap, Math.min(cap, x));

/**
 * Word-level naive Bayes between Spanish and English, learned from the training phrases plus the
 * lexicon's function words, with a character-trigram fallback for unseen words. Works on 1–3 word
 * messages and on Spanglish (the majority of evidence wins); returns undefined when undecidable.
 */
export class LanguageDetector {
  private readonly words: Counts;
  private readonly chars: Counts;
  private readonly neutral: Set<string>;
  private readonly wordVocab: number;
  private readonly charVocab: number;
  /** Each token's evidence: the same words come back all day, so it is worked out once per word (bounded). */
  private readonly tokenScores = new Map<string, number>();

  /** Learns from `examples`, or restores counts saved from a detector learned on the same lexicon. */
  constructor(
    source: readonly { tokens: readonly string[]; lang: Lang }[] | LanguageState,
    lexicon: Lexicon,
    tokenize: (text: string) => string[],
  ) {
    // normalised like messages are ("mmm" arrives as "mm")
    this.neutral = new Set(lexicon.neutral.flatMap(tokenize));
    if (!Array.isArray(source)) {
      const state = source as LanguageState;
      this.words = restored(state.words);
      this.chars = restored(state.chars);
    } else {
      this.words = counter();
      this.chars = counter();
      this.learn(source, lexicon);
    }
    this.wordVocab = new Set([...this.words.es.keys(), ...this.words.en.keys()]).size;
    this.charVocab = new Set([...this.chars.es.keys(), ...this.chars.en.keys()]).size;
  }

  /** What the model cache saves. */
  state(): LanguageState {
    return { words: saved(this.words), chars: saved(this.chars) };
  }

  private learn(examples: readonly { tokens: readonly string[]; lang: Lang }[], lexicon: Lexicon) {
    for (const { tokens, lang } of examples) {
      for (const t of tokens) {
        if (this.skip(t)) continue;
        add(this.words, lang, t);
        for (const g of trigrams(t)) add(this.chars, lang, g);
      }
    }
    for (const lang of ['es', 'en'] as const) {
      for (const w of lexicon.stopwords[lang]) add(this.words, lang, w, STOPWORD_BOOST);
    }
  }

  private skip(t: string) {
    return this.neutral.has(t) || /^[\d_]+$/.test(t) || t.startsWith('emoji_');
  }

  /** Positive favours Spanish, negative English. */
  score(tokens: readonly string[]): number {
    let score = 0;
    for (const t of tokens) {
      let s = this.tokenScores.get(t);
      if (s === undefined) {
        s = this.tokenScore(t);
        if (this.tokenScores.size >= TOKEN_CACHE) this.tokenScores.clear();
        this.tokenScores.set(t, s);
      }
      score += s;
    }
    return score;
  }

  private tokenScore(t: string): number {
    if (this.skip(t)) return 0;
    if (this.words.es.has(t) || this.words.en.has(t))
      return clip(llr(this.words, t, this.wordVocab), TOKEN_CAP);
    if (t.length <= 2) return 0;
    const grams = trigrams(t);
    const sum = grams.reduce((s, g) => s + llr(this.chars, g, this.charVocab), 0);
    return OOV_WEIGHT * clip(sum / Math.max(1, grams.length), OOV_CAP);
  }

  detect(tokens: readonly string[]): Lang | undefined {
    return this.decide(this.score(tokens));
  }

  /** The language a score points to, or undefined when it is too close to call. */
  decide(s: number): Lang | undefined {
    if (s >= DECIDE_MARGIN) return 'es';
    if (s <= -DECIDE_MARGIN) return 'en';
    return undefined;
  }
}
