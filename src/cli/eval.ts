/**
 * `npm run eval` — accuracy of the NLU on the held-out labelled corpus in test/nlu/corpus/,
 * per intent and per language. Add `--errors` to list the misclassified messages.
 */
import { join } from 'node:path';
import { loadBrain } from '../app.js';
import { readJsonLinesFile } from '../knowledge/read-data.js';
import { evaluate } from '../nlu/evaluate.js';
import { TrainingExample } from '../nlu/lexicon.js';

const dataDir = process.env.DATA_DIR ?? 'data';
const corpusDir = join('test', 'nlu', 'corpus');
const corpus = ['es.jsonl', 'en.jsonl'].flatMap((f) =>
  readJsonLinesFile(join(corpusDir, f), TrainingExample),
);
const { nlu } = loadBrain(dataDir);
const report = evaluate(nlu, corpus);

const pct = (x: number) => `${(100 * x).toFixed(1)}%`;
console.log(`NLU evaluation on ${report.total} held-out messages (${corpusDir})\n`);
console.log('intent        n   accuracy');
for (const [intent, r] of Object.entries(report.perIntent)) {
  console.log(`${intent.padEnd(12)} ${String(r.n).padStart(4)}   ${pct(r.correct / r.n)}`);
}
console.log('\nlanguage      n   intent accuracy   language detected');
for (const [lang, r] of Object.entries(report.perLang)) {
  console.log(
    `${lang.padEnd(12)} ${String(r.n).padStart(4)}   ${pct(r.correct / r.n).padEnd(17)} ${pct(r.langCorrect / r.n)}`,
  );
}
console.log(`\noverall intent accuracy: ${pct(report.intentAccuracy)}`);
console.log(`overall language detection: ${pct(report.languageAccuracy)}`);
if (process.argv.includes('--errors')) {
  console.log('\nerrors:');
  for (const e of report.errors)
    console.log(`  [${e.expected} → ${e.got} ${e.confidence.toFixed(2)}] ${e.text}`);
}
