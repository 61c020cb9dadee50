import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readJsonLinesFile } from '../../src/knowledge/read-data.js';
import { evaluate } from '../../src/nlu/evaluate.js';
import { INTENTS, LANGS } from '../../src/nlu/index.js';
import { TrainingExample } from '../../src/nlu/lexicon.js';
import { sharedBrain } from '../harness.js';

const corpus = LANGS.flatMap((l) =>
  readJsonLinesFile(join('test', 'nlu', 'corpus', `${l}.jsonl`), TrainingExample),
);
const training = readJsonLinesFile(join('data', 'nlu', 'training.jsonl'), TrainingExample);

/**
 * The first held-out corpus: short, clean messages, labelled with the intent only. It is now the second
 * line of `npm run eval` (test/eval/ is the one that tells the truth); kept so that short messages do not
 * regress. Its labels predate issue #13: questions about a cold or an allergy are "eligibility" here and
 * "faq" now, which costs about a point, hence 93% rather than 95%.
 */
describe('held-out NLU corpus (short messages, intent only)', () => {
  it('has at least 40 messages per intent per language, none copied from the training file', () => {
    for (const lang of LANGS) {
      for (const intent of INTENTS) {
        expect(
          corpus.filter((e) => e.lang === lang && e.intent === intent).length,
          `${lang}/${intent}`,
        ).toBeGreaterThanOrEqual(40);
      }
    }
    const seen = new Set(training.map((e) => e.text.toLowerCase().trim()));
    expect(corpus.filter((e) => seen.has(e.text.toLowerCase().trim()))).toEqual([]);
  });

  it('is classified with at least 93% accuracy overall', () => {
    const report = evaluate(sharedBrain().nlu, corpus);
    expect(report.intentAccuracy).toBeGreaterThanOrEqual(0.93);
    // and no intent is left far behind
    for (const [intent, r] of Object.entries(report.perIntent))
      expect(r.correct / r.n, intent).toBeGreaterThanOrEqual(0.85);
    // every emergency in the corpus is caught
    expect(report.perIntent.emergency.correct).toBe(report.perIntent.emergency.n);
  });
});
