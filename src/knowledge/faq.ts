import { PhraseIndex } from '../nlu/phrases.js';
import type { FaqFile } from './schemas.js';

type Topic = FaqFile['topics'][number];

/** Every FAQ keyword in both languages: people mix them. */
export const faqKeywords = (faq: FaqFile): string[] =>
  faq.topics.flatMap((t) => [...t.keywords.es, ...t.keywords.en]);

/** Every word of every FAQ keyword, so the NLU's spelling corrector knows them. */
export const faqVocabulary = (faq: FaqFile): string[] => faqKeywords(faq).flatMap((k) => k.split(/\s+/));

/** A word's stem for matching: inflections share their first letters ("hinchado", "hinchazón"). */
const STEM = 5;
const stem = (t: string) => (t.length > STEM ? t.slice(0, STEM) : t);

/** How much a keyword phrase, a title word and an answer word count. */
const WEIGHT = { keyword: 3, title: 1.5, answer: 0.5 };
/** A topic needs at least this score to be the answer. */
const MIN_SCORE = 2;
/** A second topic in the same message ("¿es gratis y necesito cita?") is answered too when this sure. */
const SECOND_MIN_SCORE = 5;

export interface TopicMatch {
  topic: Topic;
  score: number;
  /** The keyword phrases it matched (positions): two topics answer two questions only when these differ. */
  at: Set<number>;
  /** The longest keyword phrase it matched, in words. */
  longest: number;
}

/**
 * Picks the FAQ topics a question is about. Keyword phrases weigh most; the words of a topic's title
 * and answer count too, so a long message in other words still finds its topic ("me duele el brazo y
 * tengo un poco de fiebre desde ayer" → side effects). Words that many topics share weigh little.
 */
export class FaqMatcher {
  private readonly phrases = new PhraseIndex<number>();
  /** Per word stem, the topics that have it and how much it counts for each (weight × rarity). */
  private readonly postings = new Map<string, { topic: number; score: number }[]>();

  constructor(
    private readonly faq: FaqFile,
    tokenize: (text: string) => string[],
    stopwords: readonly string[] = [],
  ) {
    const stop = new Set(stopwords.flatMap(tokenize).map(stem));
    const perTopic = faq.topics.map((t, i) => {
      const words = new Map<string, number>();
      const add = (text: string, weight: number) => {
        for (const w of tokenize(text)) {
          const s = stem(w);
          if (stop.has(s) || /^\d+$/.test(w)) continue;
          words.set(s, Math.max(words.get(s) ?? 0, weight));
        }
      };
      for (const k of [...t.keywords.es, ...t.keywords.en]) {
        const tokens = tokenize(k);
        if (tokens.length) this.phrases.add(tokens, i);
        add(k, WEIGHT.keyword);
      }
      add(`${t.title.es} ${t.title.en}`, WEIGHT.title);
      add(`${t.answer.es} ${t.answer.en}`, WEIGHT.answer);
      return words;
    });
    const df = new Map<string, number>();
    for (const words of perTopic) for (const w of words.keys()) df.set(w, (df.get(w) ?? 0) + 1);
    const n = perTopic.length;
    perTopic.forEach((words, topic) => {
      for (const [w, weight] of words) {
        const idf = Math.log((n + 1) / (df.get(w) ?? 1));
        const list = this.postings.get(w) ?? [];
        list.push({ topic, score: weight * idf });
        this.postings.set(w, list);
      }
    });
  }

  /** Topics by score, best first (only those above the minimum). */
  rank(tokens: readonly string[]): TopicMatch[] {
    // Scores in one array per message: this runs on most messages (a second question is looked for).
    const scores = new Float64Array(this.faq.topics.length);
    // Single words, each once, weighted by how few topics share it.
    const seen = new Set<string>();
    for (const t of tokens) {
      const s = stem(t);
      if (seen.has(s)) continue;
      seen.add(s);
      const postings = this.postings.get(s);
      if (postings) for (const p of postings) scores[p.topic] = (scores[p.topic] as number) + p.score;
    }
    // Whole keyword phrases: longer ones weigh more.
    const phrases = new Map<number, { at: Set<number>; longest: number }>();
    for (const [i, length, pos] of this.phrases.matches(tokens)) {
      scores[i] = (scores[i] as number) + WEIGHT.keyword * length;
      const m = phrases.get(i) ?? { at: new Set<number>(), longest: 0 };
      m.longest = Math.max(m.longest, length);
      for (let k = 0; k < length; k++) m.at.add(pos + k);
      phrases.set(i, m);
    }
    const out: TopicMatch[] = [];
    scores.forEach((score, i) => {
      if (score < MIN_SCORE) return;
      const m = phrases.get(i);
      out.push({
        topic: this.faq.topics[i] as Topic,
        score,
        at: m?.at ?? new Set(),
        longest: m?.longest ?? 0,
      });
    });
    return out.sort((a, b) => b.score - a.score);
  }

  match(tokens: readonly string[]): Topic | undefined {
    return this.rank(tokens)[0]?.topic;
  }

  /** Topics the message names by their keywords, clearly: what a message about something else also asks. */
  named(tokens: readonly string[]): Topic[] {
    // Named means a keyword matched: without one (most messages) there is nothing to score.
    if (!this.phrases.matches(tokens).length) return [];
    // One single-word keyword ("meses", "nss") is too little for a message that is about something else:
    // a phrase of two words or more, or two keywords.
    return this.rank(tokens)
      .filter((m) => m.score >= SECOND_MIN_SCORE && (m.longest >= 2 || m.at.size >= 2))
      .map((m) => m.topic);
  }

  /** The best topic, and a second one when the message clearly asks two things. */
  matchTwo(tokens: readonly string[]): Topic[] {
    const [first, ...rest] = this.rank(tokens);
    if (!first) return [];
    const second = rest.find(
      (m) => m.score >= SECOND_MIN_SCORE && m.at.size > 0 && [...m.at].every((p) => !first.at.has(p)),
    );
    return second ? [first.topic, second.topic] : [first.topic];
  }
}
