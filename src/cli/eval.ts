/**
 * `npm run eval` — how the bot answers the held-out corpus in test/eval/ (written the way people write,
 * by authors who never saw the training file): intent, what the reply says, whole conversations and
 * emergencies, per language and per tag; then the old intent-only corpus (test/nlu/corpus) as a
 * second line. `--errors` lists what failed; `--blind` adds the blind sets (test/eval/blind*.*).
 */
import { existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createApp, loadBrain } from '../app.js';
import {
  type EvalConversation,
  type EvalMessage,
  readConversations,
  readMessages,
  sameText,
  trainingTexts,
} from '../evaluation/corpus.js';
import {
  type ConversationResult,
  emergencyRates,
  type MessageResult,
  type Rate,
  rates,
  runConversations,
  runMessages,
} from '../evaluation/run.js';
import { readJsonLinesFile } from '../knowledge/read-data.js';
import { evaluate } from '../nlu/evaluate.js';
import { TrainingExample } from '../nlu/lexicon.js';

const dataDir = process.env.DATA_DIR ?? 'data';
const evalDir = join('test', 'eval');
const args = process.argv.slice(2);

const pct = (x: number, n: number) => (n ? `${((100 * x) / n).toFixed(1)}%` : '—');
const readIf = <T>(file: string, read: (f: string) => T[]): T[] => (existsSync(file) ? read(file) : []);

function table(title: string, rows: Map<string, Rate>): void {
  console.log(`\n${title.padEnd(22)}    n   intent   content`);
  for (const [key, r] of [...rows].sort((a, b) => b[1].n - a[1].n)) {
    console.log(
      `${key.padEnd(22)} ${String(r.n).padStart(4)}   ${pct(r.intent, r.n).padStart(6)}   ${pct(r.content, r.n).padStart(7)}`,
    );
  }
}

function report(name: string, messages: MessageResult[], conversations: ConversationResult[]): void {
  const all = rates(messages, () => ['all']).get('all') ?? { n: 0, intent: 0, content: 0 };
  console.log(`\n=== ${name}: ${messages.length} messages, ${conversations.length} conversations ===`);
  table(
    'language',
    rates(messages, (r) => [r.item.lang]),
  );
  table(
    'tag',
    rates(messages, (r) => r.item.tags),
  );
  console.log('\nconversations           n   whole');
  const byGroup = new Map<string, { n: number; ok: number }>();
  for (const c of conversations) {
    for (const key of ['all', c.item.lang, ...c.item.tags]) {
      const g = byGroup.get(key) ?? { n: 0, ok: 0 };
      g.n++;
      if (c.passed) g.ok++;
      byGroup.set(key, g);
    }
  }
  for (const [key, g] of [...byGroup].sort((a, b) => b[1].n - a[1].n))
    console.log(`${key.padEnd(22)} ${String(g.n).padStart(4)}   ${pct(g.ok, g.n).padStart(6)}`);
  const em = emergencyRates(messages, conversations);
  const whole = conversations.filter((c) => c.passed).length;
  console.log(
    `\n${name}: intent ${pct(all.intent, all.n)} · content ${pct(all.content, all.n)} · conversations ${pct(whole, conversations.length)} (${whole}/${conversations.length}) · emergency recall ${pct(em.caught, em.expected)} (${em.caught}/${em.expected}) · false alarms ${em.falseAlarms}/${em.others}`,
  );
  if (args.includes('--errors')) {
    console.log('\nerrors:');
    for (const r of messages.filter((m) => !m.intentOk || !m.contentOk))
      console.log(
        `  ${r.item.id} [${r.expected.join('|')} → ${r.got}] ${r.why.join('; ')} :: ${r.item.text}`,
      );
    for (const c of conversations.filter((x) => !x.passed)) {
      console.log(`  ${c.item.id}:`);
      for (const t of c.turns) {
        const said = t.turn.text ?? (t.turn.tap ? `[tap ${t.turn.tap}]` : '[location]');
        console.log(
          `     ${t.intentOk && t.contentOk ? 'ok ' : 'BAD'} [${t.expected.join('|')} → ${t.got}] ${t.why.join('; ')} :: ${said}`,
        );
      }
    }
  }
}

const dir = mkdtempSync(join(tmpdir(), 'vacunabot-eval-'));
try {
  const brain = loadBrain(dataDir);
  const app = createApp(
    {
      DB_PATH: join(dir, 'eval.db'),
      HASH_SALT: 'eval-salt-0123456789abcdef',
      DATA_DIR: dataDir,
      LOCALES_DIR: 'locales',
      DEFAULT_LANG: 'es',
    },
    undefined,
    brain,
  );
  const messages: EvalMessage[] = ['es', 'en'].flatMap((l) =>
    readIf(join(evalDir, `messages.${l}.jsonl`), readMessages),
  );
  const conversations: EvalConversation[] = readIf(join(evalDir, 'conversations.jsonl'), readConversations);
  report(
    'new corpus',
    await runMessages(app.runner, messages),
    await runConversations(app.runner, conversations),
  );
  if (args.includes('--blind')) {
    // Each blind set (blind, blind2…) on its own: they were written at different times (see test/eval/README.md).
    const sets = [...new Set(readdirSync(evalDir).flatMap((f) => /^(blind\d*)\./.exec(f)?.[1] ?? []))].sort();
    // A blind message that happens to equal a training line ("english please") measures nothing: left out.
    const training = trainingTexts(join(dataDir, 'nlu', 'training.jsonl'));
    for (const set of sets) {
      const all = ['es', 'en'].flatMap((l) =>
        readIf(join(evalDir, `${set}.messages.${l}.jsonl`), readMessages),
      );
      const blind = all.filter((m) => !training.has(sameText(m.text)));
      const talks = readIf(join(evalDir, `${set}.conversations.jsonl`), readConversations);
      if (blind.length < all.length)
        console.log(`\n(${set}: ${all.length - blind.length} messages equal to a training line left out)`);
      report(`${set} set`, await runMessages(app.runner, blind), await runConversations(app.runner, talks));
    }
  }
  const old = ['es.jsonl', 'en.jsonl'].flatMap((f) =>
    readJsonLinesFile(join('test', 'nlu', 'corpus', f), TrainingExample),
  );
  const r = evaluate(brain.nlu, old);
  console.log(
    `old corpus (${r.total} short messages, intent only): intent ${(100 * r.intentAccuracy).toFixed(1)}% · language ${(100 * r.languageAccuracy).toFixed(1)}%`,
  );
  await app.close();
} finally {
  rmSync(dir, { recursive: true, force: true });
}
