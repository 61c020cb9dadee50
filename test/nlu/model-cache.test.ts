import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { faqKeywords, faqVocabulary } from '../../src/knowledge/faq.js';
import { loadKnowledge } from '../../src/knowledge/load.js';
import { readJsonLinesFile } from '../../src/knowledge/read-data.js';
import { createNlu, LANGS, type Nlu } from '../../src/nlu/index.js';
import { loadNluData, type NluData, TrainingExample } from '../../src/nlu/lexicon.js';
import { loadNlu, type ModelLog, modelFile, modelKey } from '../../src/nlu/model-cache.js';
import { tempDir } from '../harness.js';

const data = loadNluData('data');
const faq = loadKnowledge('data').faq;
const options = { vocabulary: faqVocabulary(faq), hints: { faq: faqKeywords(faq) } };
/** Messages the model never saw, of every intent, and a few that need the spelling corrector. */
const messages = [
  ...LANGS.flatMap((l) =>
    readJsonLinesFile(join('test', 'nlu', 'corpus', `${l}.jsonl`), TrainingExample),
  ).map((e) => e.text),
  'tengo 67 y soy diabetico',
  'a q hora abren el sabado',
  'mi bebe no puede respirar',
  'vacnua de la influensa',
];

/** Everything the NLU says about each message: intent, confidence, language, margin, entities, tokens. */
const answers = (nlu: Nlu) => messages.map((m) => JSON.stringify(nlu.understand(m)));

function recorder(): ModelLog & { lines: string[] } {
  const lines: string[] = [];
  return { lines, info: (_, msg) => lines.push(`info ${msg}`), warn: (_, msg) => lines.push(`warn ${msg}`) };
}

const temp = tempDir();
afterAll(() => temp.cleanup());

describe('the NLU model cache', () => {
  const fresh = answers(createNlu(data, options));
  const dir = join(temp.dir, 'var');
  const file = modelFile(dir, modelKey(data, options));

  it('trains and saves on the first start, then loads the same model: identical understanding', () => {
    const log = recorder();
    const first = loadNlu(data, options, dir, log);
    expect(first.load.source).toBe('trained');
    expect(existsSync(file)).toBe(true);
    expect(log.lines).toEqual(['info NLU trained and saved for the next starts']);
    const second = loadNlu(data, options, dir, log);
    expect(second.load.source).toBe('cache');
    expect(second.load.file).toBe(file);
    expect(answers(first.nlu)).toEqual(fresh);
    expect(answers(second.nlu)).toEqual(fresh);
    // written whole: no temporary file left behind
    expect(readdirSync(dir).filter((f) => f.endsWith('.tmp'))).toEqual([]);
  });

  it('misses after the training file changes, retrains once, and keeps only the newest models', () => {
    const edited: NluData = {
      ...data,
      training: [...data.training, { text: 'quiero saber si ya llegó la vacuna', lang: 'es', intent: 'faq' }],
    };
    expect(modelKey(edited, options)).not.toBe(modelKey(data, options));
    expect(loadNlu(edited, options, dir).load.source).toBe('trained');
    expect(loadNlu(edited, options, dir).load.source).toBe('cache');
    // The FAQ's words feed training too.
    const more = { ...options, vocabulary: [...options.vocabulary, 'zanahoria'] };
    expect(modelKey(data, more)).not.toBe(modelKey(data, options));
    // The emergency rules are not learned: editing them does not retrain.
    const rules: NluData = { ...data, emergency: { ...data.emergency, rules: [] } };
    expect(modelKey(rules, options)).toBe(modelKey(data, options));
  });

  it('ignores and rewrites a corrupt or mismatched file', () => {
    const valid = readFileSync(file, 'utf8');
    const saved = JSON.parse(valid);
    const broken = [
      valid.slice(0, valid.length / 2),
      JSON.stringify({ ...saved, key: 'another' }),
      JSON.stringify({ ...saved, classifier: { ...saved.classifier, weights: 'AAAA' } }),
      JSON.stringify({ ...saved, classifier: { ...saved.classifier, bigrams: [['a', 'b', 1e9]] } }),
    ];
    for (const text of broken) {
      writeFileSync(file, text);
      const log = recorder();
      const loaded = loadNlu(data, options, dir, log);
      expect(loaded.load.source).toBe('trained');
      expect(answers(loaded.nlu)).toEqual(fresh);
      expect(log.lines.at(-1)).toBe('info NLU trained and saved for the next starts');
      expect(loadNlu(data, options, dir).load.source).toBe('cache');
    }
  });

  it('trains when the folder cannot be written, saying so in one line', () => {
    const notADir = join(temp.dir, 'a-file');
    writeFileSync(notADir, '');
    const log = recorder();
    const loaded = loadNlu(data, options, join(notADir, 'var'), log);
    expect(loaded.load.source).toBe('trained');
    expect(log.lines).toEqual([
      'warn NLU trained, but the model could not be saved: the next start trains too',
    ]);
  });
});
