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

describe('held-out NLU corpus', () => {
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

  it('is classified with at least 95% accuracy overall', () => {
    const report = evaluate(sharedBrain().nlu, corpus);
    expect(report.intentAccuracy).toBeGreaterThanOrEqual(0.95);
    // and no intent is left far behind
    for (const [intent, r] of Object.entries(report.perIntent))
      expect(r.correct / r.n, intent).toBeGreaterThanOrEqual(0.85);
    // every emergency in the corpus is caught
    expect(report.perIntent.emergency.correct).toBe(report.perIntent.emergency.n);
  });
});
