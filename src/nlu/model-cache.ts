import { createHash } from 'node:crypto';
import { mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildNlu, type Nlu, type NluModel, type NluOptions } from './index.js';
import { INTENTS, type NluData } from './lexicon.js';

/** Bumped when the file's layout changes (what it holds is covered by the key). */
const FORMAT = 1;
/** Model files kept in the folder: the newest few (`npm start` and `npm run chat` each have their own key). */
const KEEP = 3;
const PREFIX = 'nlu-model-';

/** What a start reports about the model: where it came from, and how long it took. */
export interface ModelLoad {
  source: 'cache' | 'trained';
  ms: number;
  file: string | undefined;
}

/** Optional one-line reports (the bot's pino logger fits). */
export interface ModelLog {
  info(obj: object, msg: string): void;
  warn(obj: object, msg: string): void;
}

/**
 * The code that turns the data into a model: every file of this folder (normalisation, entities,
 * features, training, language detection) and the seeded random numbers that shuffle training.
 * Hashed from the running files themselves (the .ts under tsx, the .js of dist/): a version constant
 * would have to be bumped by hand, and a forgotten bump would silently load weights for features the
 * code no longer computes. Any edit here retrains once, even one that changes nothing learned: cheap.
 */
function codeHash(): string {
  const here = dirname(fileURLToPath(import.meta.url));
  const ext = /\.[cm]?[jt]s$/;
  const files = [
    ...readdirSync(here)
      .filter((f) => ext.test(f))
      .sort()
      .map((f) => join(here, f)),
    ...readdirSync(dirname(here))
      .filter((f) => /^random\.[jt]s$/.test(f))
      .map((f) => join(dirname(here), f)),
  ];
  const hash = createHash('sha256');
  for (const file of files) hash.update(`${basename(file)}\n`).update(readFileSync(file));
  return hash.digest('hex');
}

/**
 * The cache key: the training data as parsed (lexicon and examples: reformatting a file does not
 * retrain; the emergency rules are not learned and stay out), the options that feed training (the
 * FAQ's words and hints) and the code.
 */
export function modelKey(data: NluData, options: NluOptions): string {
  const { model: _, ...feeding } = options;
  return createHash('sha256')
    .update(`${FORMAT}\n${codeHash()}\n`)
    .update(JSON.stringify(data.lexicon))
    .update(JSON.stringify(data.training))
    .update(JSON.stringify(feeding))
    .digest('hex')
    .slice(0, 16);
}

/** The model file of `key` in `dir`. */
export const modelFile = (dir: string, key: string) => join(dir, `${PREFIX}${key}.json`);

/** Float64 arrays as base64 of their bytes: exact, and parsed in a millisecond where JSON numbers take tens. */
const floats = (a: Float64Array) => Buffer.from(a.buffer, a.byteOffset, a.byteLength).toString('base64');
function unfloats(s: unknown): Float64Array {
  if (typeof s !== 'string') throw new Error('not base64');
  const bytes = Buffer.from(s, 'base64');
  if (bytes.byteLength % 8) throw new Error('truncated weights');
  // A copy: the decoded buffer may be a slice of a shared pool, not aligned for Float64Array.
  const out = new Float64Array(bytes.byteLength / 8);
  new Uint8Array(out.buffer).set(bytes);
  return out;
}

function serialize(key: string, model: NluModel): string {
  const { classifier, language, vocabulary } = model;
  return JSON.stringify({
    format: FORMAT,
    key,
    labels: INTENTS,
    vocabulary,
    language,
    classifier: { ...classifier, weights: floats(classifier.weights), bias: floats(classifier.bias) },
  });
}

/** The model saved under `key`, or undefined when the file is missing, unreadable or not that model. */
function read(file: string, key: string): NluModel | undefined {
  const raw = JSON.parse(readFileSync(file, 'utf8'));
  if (raw?.format !== FORMAT || raw.key !== key || JSON.stringify(raw.labels) !== JSON.stringify(INTENTS))
    return undefined;
  const { vocabulary, language, classifier } = raw;
  const strings = (a: unknown) => Array.isArray(a) && a.every((x) => typeof x === 'string');
  const counts = (c: unknown) =>
    Array.isArray(c) && c.every((e) => Array.isArray(e) && typeof e[0] === 'string' && Number.isFinite(e[1]));
  const features = classifier?.features;
  const bigrams = classifier?.bigrams;
  if (
    !strings(vocabulary) ||
    !strings(features) ||
    !Array.isArray(bigrams) ||
    !bigrams.every(
      (b: unknown) =>
        Array.isArray(b) &&
        typeof b[0] === 'string' &&
        typeof b[1] === 'string' &&
        Number.isInteger(b[2]) &&
        b[2] >= 0 &&
        b[2] < features.length,
    ) ||
    ![language?.words, language?.chars].every((c) => counts(c?.es) && counts(c?.en))
  )
    throw new Error('malformed model');
  // The classifier checks that the weights fit the features and labels.
  return {
    vocabulary,
    language,
    classifier: { features, bigrams, weights: unfloats(classifier.weights), bias: unfloats(classifier.bias) },
  };
}

/** Writes the model whole or not at all (a temporary file renamed), then removes all but the newest few. */
function write(dir: string, file: string, text: string): void {
  mkdirSync(dir, { recursive: true });
  const temp = `${file}.${process.pid}.tmp`;
  try {
    writeFileSync(temp, text);
    renameSync(temp, file);
  } catch (err) {
    rmSync(temp, { force: true });
    throw err;
  }
  const others = readdirSync(dir)
    .filter((f) => f.startsWith(PREFIX) && f.endsWith('.json') && join(dir, f) !== file)
    .map((f) => ({ path: join(dir, f), at: statSync(join(dir, f)).mtimeMs }))
    .sort((a, b) => b.at - a.at);
  for (const old of others.slice(KEEP - 1)) rmSync(old.path, { force: true });
}

/**
 * The NLU with its model loaded from `dir` when a model of the same data, options and code is there,
 * else trained and saved there for the next start. A file that cannot be read or is not that model is
 * ignored and rewritten; a folder that cannot be written only costs the next start a training.
 */
export function loadNlu(
  data: NluData,
  options: NluOptions,
  dir: string,
  log?: ModelLog,
): { nlu: Nlu; load: ModelLoad } {
  const started = performance.now();
  const key = modelKey(data, options);
  const file = modelFile(dir, key);
  let model: NluModel | undefined;
  try {
    model = read(file, key);
  } catch (err) {
    // No file (or no folder) yet: the first start, said by the line that reports the training.
    const code = (err as NodeJS.ErrnoException).code;
    if (code !== 'ENOENT' && code !== 'ENOTDIR')
      log?.warn({ file, err: String(err) }, 'NLU model file unreadable: training again');
  }
  if (model) {
    try {
      const { nlu } = buildNlu(data, { ...options, model });
      return { nlu, load: { source: 'cache', ms: performance.now() - started, file } };
    } catch (err) {
      log?.warn({ file, err: String(err) }, 'NLU model file does not fit: training again');
    }
  }
  const { nlu, model: trained } = buildNlu(data, options);
  const ms = performance.now() - started;
  try {
    write(dir, file, serialize(key, trained));
    log?.info({ file, ms: Math.round(ms) }, 'NLU trained and saved for the next starts');
  } catch (err) {
    log?.warn(
      { dir, err: String(err) },
      'NLU trained, but the model could not be saved: the next start trains too',
    );
  }
  return { nlu, load: { source: 'trained', ms, file: undefined } };
}
