import { seededRandom } from '../random.js';
import type { Intent } from './lexicon.js';

/** The features one word contributes alone: itself and its character trigrams (robust to typos and inflection). */
function wordFeatures(t: string): string[] {
  const out = [`w:${t}`];
  if (t.length >= 4) {
    const p = `<${t}>`;
    for (let j = 0; j + 3 <= p.length; j++) out.push(`c:${p.slice(j, j + 3)}`);
  }
  return out;
}

/**
 * Features that depend on the whole message: word pairs, one-word messages, kinds of entity found.
 * (predict() looks them up by these same names without building them: see collect().)
 */
function messageFeatures(tokens: readonly string[], marks: readonly string[]): string[] {
  const out = marks.map((m) => `e:${m}`);
  for (let i = 0; i + 1 < tokens.length; i++) out.push(`b:${tokens[i]}_${tokens[i + 1]}`);
  if (tokens.length === 1) out.push('len:1');
  return out;
}

/** All features of a message. */
function features(tokens: readonly string[], marks: readonly string[] = []): string[] {
  return [...tokens.flatMap(wordFeatures), ...messageFeatures(tokens, marks)];
}

export interface Prediction {
  intent: Intent;
  confidence: number;
  /** The runner-up, for when the best guess is ruled out (an emergency the rules did not confirm). */
  second: Intent;
  /** How many of the message's features the model has seen: 0 means "nothing I know". */
  known: number;
}

/** A trained classifier, as the model cache saves it (model-cache.ts): restoring it gives the same predictions. */
export interface ClassifierState {
  /** Feature names, by id. */
  features: string[];
  /** Word-pair features as [first word, second word, id] (a word may contain "_": the name alone is ambiguous). */
  bigrams: [string, string, number][];
  /** features.length × labels.length weights, a feature's side by side. */
  weights: Float64Array;
  bias: Float64Array;
}

type Example = { tokens: readonly string[]; marks: readonly string[]; intent: Intent };

const EPOCHS = 40;
const WORD_CACHE = 50_000;
const RATE = 0.3;
const L2 = 1e-5;

/**
 * Multinomial logistic regression trained at start-up by SGD on the example phrases (a few
 * thousand lines train in well under a second). Sparse binary features, L2-normalised per message.
 */
export class IntentClassifier {
  private readonly index = new Map<string, number>();
  /** Word-pair features by their two words, so predict() finds them without building the feature's name. */
  private readonly bigrams = new Map<string, Map<string, number>>();
  /** Feature by feature, one weight per class (a feature's weights side by side). */
  private readonly weights: Float64Array;
  private readonly bias: Float64Array;
  /** Feature ids per word, computed once: most messages reuse the same few hundred words. */
  private readonly wordIds = new Map<string, number[]>();
  /**
   * Per feature, the message that last counted it (a small counter that wraps), so each feature
   * counts once without building a set per message; and the ids of the message being predicted.
   * Prediction runs on every message: it allocates nothing but its result.
   */
  private readonly stamps: Uint8Array;
  private stamp = 0;
  private readonly ids: number[] = [];
  /** Scratch space for one prediction's class scores. */
  private readonly probs: Float64Array;

  /** Trains on `examples`, or restores a state saved from a classifier trained with the same labels. */
  constructor(
    source: readonly Example[] | ClassifierState,
    private readonly labels: readonly Intent[],
  ) {
    const k = labels.length;
    if (!Array.isArray(source)) {
      const state = source as ClassifierState;
      if (state.weights.length !== state.features.length * k || state.bias.length !== k)
        throw new Error('classifier state does not fit its labels');
      for (const f of state.features) this.index.set(f, this.index.size);
      for (const [a, b, id] of state.bigrams) {
        let next = this.bigrams.get(a);
        if (!next) {
          next = new Map();
          this.bigrams.set(a, next);
        }
        next.set(b, id);
      }
      this.weights = state.weights;
      this.bias = state.bias;
      this.stamps = new Uint8Array(this.index.size);
      this.probs = new Float64Array(k);
      return;
    }
    const examples = source as readonly Example[];
    const encoded = examples.map((e) => ({
      x: this.learn(e.tokens, e.marks),
      y: labels.indexOf(e.intent),
    }));
    const weights = new Float64Array(this.index.size * k);
    this.bias = new Float64Array(k);
    const random = seededRandom(42);
    const order = encoded.map((_, i) => i);
    const probs = new Float64Array(k);
    for (let epoch = 0; epoch < EPOCHS; epoch++) {
      // Fisher–Yates shuffle
      for (let i = order.length - 1; i > 0; i--) {
        const j = Math.floor(random() * (i + 1));
        [order[i], order[j]] = [order[j] as number, order[i] as number];
      }
      const rate = RATE / (1 + epoch * 0.1);
      for (const n of order) {
        const { x, y } = encoded[n] as { x: number[]; y: number };
        const scale = 1 / Math.sqrt(x.length || 1);
        for (let c = 0; c < k; c++) {
          let s = this.bias[c] as number;
          for (const f of x) s += (weights[f * k + c] as number) * scale;
          probs[c] = s;
        }
        softmax(probs);
        for (let c = 0; c < k; c++) {
          const grad = (probs[c] as number) - (c === y ? 1 : 0);
          this.bias[c] = (this.bias[c] as number) - rate * grad;
          for (const f of x) {
            const w = f * k + c;
            weights[w] = (weights[w] as number) * (1 - rate * L2) - rate * grad * scale;
          }
        }
      }
    }
    this.weights = weights;
    this.stamps = new Uint8Array(this.index.size);
    this.probs = new Float64Array(k);
  }

  /** What the model cache saves. */
  state(): ClassifierState {
    const bigrams: [string, string, number][] = [];
    for (const [a, next] of this.bigrams) for (const [b, id] of next) bigrams.push([a, b, id]);
    return { features: [...this.index.keys()], bigrams, weights: this.weights, bias: this.bias };
  }

  /** A training example's feature ids, adding its new features to the index. */
  private learn(tokens: readonly string[], marks: readonly string[]): number[] {
    const ids = new Set<number>();
    for (const f of features(tokens, marks)) {
      let id = this.index.get(f);
      if (id === undefined) {
        id = this.index.size;
        this.index.set(f, id);
      }
      ids.add(id);
    }
    for (let i = 0; i + 1 < tokens.length; i++) {
      const [a, b] = [tokens[i] as string, tokens[i + 1] as string];
      let next = this.bigrams.get(a);
      if (!next) {
        next = new Map();
        this.bigrams.set(a, next);
      }
      next.set(b, this.index.get(`b:${a}_${b}`) as number);
    }
    return [...ids];
  }

  private encodeWord(t: string): number[] {
    let ids = this.wordIds.get(t);
    if (!ids) {
      ids = wordFeatures(t)
        .map((f) => this.index.get(f))
        .filter((id): id is number => id !== undefined);
      if (this.wordIds.size >= WORD_CACHE) this.wordIds.clear();
      this.wordIds.set(t, ids);
    }
    return ids;
  }

  /** The message's known feature ids, repeats included, in this.ids; returns how many. */
  private collect(tokens: readonly string[], marks: readonly string[]): number {
    const ids = this.ids;
    let n = 0;
    for (const t of tokens) for (const id of this.encodeWord(t)) ids[n++] = id;
    for (const m of marks) ids[n++] = this.index.get(`e:${m}`) ?? -1;
    for (let i = 0; i + 1 < tokens.length; i++)
      ids[n++] = this.bigrams.get(tokens[i] as string)?.get(tokens[i + 1] as string) ?? -1;
    if (tokens.length === 1) ids[n++] = this.index.get('len:1') ?? -1;
    return n;
  }

  predict(tokens: readonly string[], marks: readonly string[] = []): Prediction {
    const k = this.labels.length;
    const { weights, stamps, ids } = this;
    if (++this.stamp > 255) {
      stamps.fill(0);
      this.stamp = 1;
    }
    const stamp = this.stamp;
    const n = this.collect(tokens, marks);
    // Each class's weights summed over the distinct known features, one feature's row at a time.
    const probs = this.probs.fill(0);
    let known = 0;
    for (let j = 0; j < n; j++) {
      const id = ids[j] as number;
      if (id < 0 || stamps[id] === stamp) continue;
      stamps[id] = stamp;
      known++;
      const row = id * k;
      for (let c = 0; c < k; c++) probs[c] = (probs[c] as number) + (weights[row + c] as number);
    }
    const scale = 1 / Math.sqrt(known || 1);
    for (let c = 0; c < k; c++) probs[c] = (this.bias[c] as number) + (probs[c] as number) * scale;
    softmax(probs);
    let best = 0;
    for (let c = 1; c < k; c++) if ((probs[c] as number) > (probs[best] as number)) best = c;
    let second = best === 0 ? 1 : 0;
    for (let c = 0; c < k; c++)
      if (c !== best && (probs[c] as number) > (probs[second] as number)) second = c;
    return {
      intent: this.labels[best] as Intent,
      confidence: probs[best] as number,
      second: this.labels[second] as Intent,
      known,
    };
  }
}

function softmax(v: Float64Array) {
  let max = -Infinity;
  for (const x of v) max = Math.max(max, x);
  let sum = 0;
  for (let i = 0; i < v.length; i++) {
    v[i] = Math.exp((v[i] as number) - max);
    sum += v[i] as number;
  }
  for (let i = 0; i < v.length; i++) v[i] = (v[i] as number) / sum;
}
