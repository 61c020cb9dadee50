import { INTENTS, type Intent, LANGS, type Lang, type Nlu } from './index.js';
import type { TrainingExample } from './lexicon.js';

export interface EvalReport {
  total: number;
  intentAccuracy: number;
  languageAccuracy: number;
  perIntent: Record<Intent, { n: number; correct: number }>;
  perLang: Record<Lang, { n: number; correct: number; langCorrect: number }>;
  errors: { text: string; expected: Intent; got: Intent; confidence: number }[];
}

/**
 * Runs the NLU over a labelled corpus. Language is judged with no session language to fall back
 * on, so an undecidable message counts as a miss: the honest number.
 */
export function evaluate(nlu: Nlu, corpus: readonly TrainingExample[]): EvalReport {
  const perIntent = Object.fromEntries(
    INTENTS.map((i) => [i, { n: 0, correct: 0 }]),
  ) as EvalReport['perIntent'];
  const perLang = Object.fromEntries(
    LANGS.map((l) => [l, { n: 0, correct: 0, langCorrect: 0 }]),
  ) as EvalReport['perLang'];
  const errors: EvalReport['errors'] = [];
  let correct = 0;
  let langCorrect = 0;
  for (const ex of corpus) {
    const u = nlu.understand(ex.text);
    const ok = u.intent === ex.intent;
    perIntent[ex.intent].n++;
    perLang[ex.lang].n++;
    if (ok) {
      correct++;
      perIntent[ex.intent].correct++;
      perLang[ex.lang].correct++;
    } else errors.push({ text: ex.text, expected: ex.intent, got: u.intent, confidence: u.confidence });
    if (u.lang === ex.lang) {
      langCorrect++;
      perLang[ex.lang].langCorrect++;
    }
  }
  const total = corpus.length;
  return {
    total,
    intentAccuracy: correct / total,
    languageAccuracy: langCorrect / total,
    perIntent,
    perLang,
    errors,
  };
}
