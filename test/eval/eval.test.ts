import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { App } from '../../src/app.js';
import { readConversations, readMessages, sameText, trainingTexts } from '../../src/evaluation/corpus.js';
import {
  type ConversationResult,
  emergencyRates,
  type MessageResult,
  rates,
  runConversations,
  runMessages,
} from '../../src/evaluation/run.js';
import { buildApp, tempDir } from '../harness.js';

/**
 * The held-out corpus (test/eval/README.md), through the console channel's JSONL contract: intent,
 * what the reply says, whole conversations and emergencies. The thresholds are issue #13's.
 */
const dir = join('test', 'eval');
const messages = [
  ...readMessages(join(dir, 'messages.es.jsonl')),
  ...readMessages(join(dir, 'messages.en.jsonl')),
];
const conversations = readConversations(join(dir, 'conversations.jsonl'));

let tmp: ReturnType<typeof tempDir>;
let app: App;
let m: MessageResult[];
let c: ConversationResult[];

beforeAll(async () => {
  tmp = tempDir();
  app = buildApp(join(tmp.dir, 'eval.db'));
  m = await runMessages(app.runner, messages);
  c = await runConversations(app.runner, conversations);
});
afterAll(async () => {
  await app.close();
  tmp.cleanup();
});

describe('the evaluation corpus', () => {
  it('is written the way people write: long messages, near misses, red flags, whole conversations', () => {
    const words = (t: string) => t.trim().split(/\s+/).length;
    expect(messages.filter((x) => words(x.text) >= 10).length / messages.length).toBeGreaterThanOrEqual(
      1 / 3,
    );
    const tagged = (tag: string) => messages.filter((x) => x.tags.includes(tag)).length;
    expect(tagged('red-flag')).toBeGreaterThanOrEqual(60);
    expect(tagged('emergency-near-miss')).toBeGreaterThanOrEqual(60);
    const unknowns = messages.filter((x) => x.intent === 'unknown');
    expect(
      unknowns.filter((x) => x.tags.includes('near-miss')).length / unknowns.length,
    ).toBeGreaterThanOrEqual(0.25);
    expect(conversations.length).toBeGreaterThanOrEqual(60);
  });

  it('shares no message with the training file', () => {
    const training = trainingTexts(join('data', 'nlu', 'training.jsonl'));
    const texts = [
      ...messages.map((x) => x.text),
      ...conversations.flatMap((x) => x.turns.flatMap((t) => (t.text ? [t.text] : []))),
    ];
    expect(texts.filter((t) => training.has(sameText(t)))).toEqual([]);
  });

  it('gets the intent of at least 95% of the messages', () => {
    const all = rates(m, () => ['all']).get('all');
    expect((all?.intent ?? 0) / messages.length).toBeGreaterThanOrEqual(0.95);
  });

  it('says what it must (and nothing it must not) in at least 93% of the replies', () => {
    const all = rates(m, () => ['all']).get('all');
    expect((all?.content ?? 0) / messages.length).toBeGreaterThanOrEqual(0.93);
  });

  it('gets at least 90% of the conversations right in every turn', () => {
    expect(c.filter((x) => x.passed).length / c.length).toBeGreaterThanOrEqual(0.9);
  });

  it('answers every emergency with the emergency reply, and raises no false alarm', () => {
    const em = emergencyRates(m, c);
    expect(em.expected).toBeGreaterThanOrEqual(60);
    expect(em.caught).toBe(em.expected);
    expect(em.falseAlarms).toBe(0);
  });
});
