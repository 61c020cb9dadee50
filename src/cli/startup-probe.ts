/**
 * Where a start's time goes, for `npm run bench -- startup`: the steps of main() and loadBrain() one
 * by one, in a fresh process run from dist/ (`node dist/cli/startup-probe.js`), ending with the answer
 * to one console line. Prints one JSON object of milliseconds on stdout. Not a way to run the bot.
 */
import { dirname } from 'node:path';

/** Node's own start, until this module's first line: performance.now() counts from the process's start. */
const boot = performance.now();
let last = boot;
const lap = () => {
  const now = performance.now();
  const ms = now - last;
  last = now;
  return ms;
};

// What main.ts loads before it starts (the channels' libraries included, as main.ts imports them).
const [{ createApp }, { loadConfig }, { createLogger }, { answerLine }] = await Promise.all([
  import('../app.js'),
  import('../config.js'),
  import('../log.js'),
  import('../channels/console/jsonl.js'),
  import('../channels/index.js'),
  import('../channels/console/interactive.js'),
  import('../http/host.js'),
]);
const { loadKnowledge } = await import('../knowledge/load.js');
const { faqKeywords, faqVocabulary } = await import('../knowledge/faq.js');
const { loadNluData } = await import('../nlu/lexicon.js');
const { loadNlu } = await import('../nlu/model-cache.js');
const { Gazetteer } = await import('../places/gazetteer.js');
const { statesFileIn } = await import('../places/states.js');
const modules = lap();

// loadBrain(), step by step, as main() calls it.
const config = loadConfig();
const log = createLogger(config.LOG_LEVEL);
const knowledge = loadKnowledge(config.DATA_DIR);
const data = loadNluData(config.DATA_DIR);
const options = { vocabulary: faqVocabulary(knowledge.faq), hints: { faq: faqKeywords(knowledge.faq) } };
const content = lap();
const { nlu, load } = loadNlu(data, options, dirname(config.DB_PATH), log);
const nluMs = lap();
const gazetteer = Gazetteer.load(statesFileIn(config.DATA_DIR));
const gazetteerMs = lap();

// The rest of createApp(): translations, the database (opened, migrated), the engine and runner.
const app = createApp(config, log, { knowledge, nlu, gazetteer });
const appMs = lap();
const line = JSON.stringify({ user: 'probe', text: 'a que hora abren', now: '2025-01-15T10:00:00-06:00' });
await answerLine(app.runner, line);
const answer = lap();
await app.close();

console.log(
  JSON.stringify({
    node: boot,
    modules,
    content,
    nlu: nluMs,
    nluSource: load.source,
    gazetteer: gazetteerMs,
    app: appMs,
    answer,
    total: last,
  }),
);
