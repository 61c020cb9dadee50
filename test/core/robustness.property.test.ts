import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { App } from '../../src/app.js';
import type { IncomingMessage } from '../../src/core/messages.js';
import type { Session } from '../../src/core/session.js';
import { MAX_TEXT } from '../../src/nlu/normalize.js';
import { memoryApp } from '../harness.js';

let app: App;
beforeAll(() => {
  app = memoryApp();
});
afterAll(() => app.close());

/** The pure engine, each person's session carried from one message to the next. */
const sessions = new Map<string, Session>();
const decide = (message: IncomingMessage) => {
  const decision = app.engine.decide(sessions.get(message.userId), message);
  sessions.set(message.userId, decision.session);
  return decision.outcome;
};
const send = (text: string, user = 'fuzz') =>
  decide({
    kind: 'text',
    text,
    channel: 'console',
    userId: user,
    receivedAt: new Date('2025-01-15T16:00:00Z'),
  });

/** A phone screen's worth of text: every single reply fits in it. */
const PHONE_SCREEN = 700;

/** A polite reply: at least one non-empty, short text, no stack trace or internal error shown. */
function expectPolite(outcome: ReturnType<typeof send>) {
  expect(outcome.replies.length).toBeGreaterThan(0);
  for (const r of outcome.replies) {
    expect(r.text.trim().length).toBeGreaterThan(0);
    expect(r.text.length).toBeLessThanOrEqual(PHONE_SCREEN);
    expect(r.text).not.toMatch(/\bat \S+:\d+:\d+|Error:|undefined|\{\{/);
  }
}

describe('any text gets a polite reply and never throws', () => {
  it('random unicode', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'grapheme', maxLength: 300 }), (text) => expectPolite(send(text))),
      { numRuns: 300 },
    );
  });

  it('random full-range code points, including lone surrogates and control characters', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 200 }), (text) => expectPolite(send(text))),
      { numRuns: 300 },
    );
  });

  it('random words mixed from both languages, within any dialog state', () => {
    const words = fc.constantFrom(
      'hola',
      'tengo',
      '67',
      'embarazada',
      'no',
      'si',
      'where',
      'english',
      'ninguna',
      '😀',
      '\u0000',
      'semanas',
      '30',
    );
    fc.assert(
      fc.property(fc.array(fc.array(words, { maxLength: 6 }), { minLength: 1, maxLength: 8 }), (messages) => {
        for (const m of messages) expectPolite(send(m.join(' '), 'dialog-fuzz'));
      }),
      { numRuns: 100 },
    );
  });

  it('every menu answer and every FAQ topic fits on a phone screen, in both languages', () => {
    for (const lang of ['es', 'en']) {
      const user = `screen-${lang}`;
      send(lang === 'es' ? 'hola' : 'hello', user);
      const ids = [
        'menu',
        'elig',
        'facility',
        'hours',
        'prevention',
        'faq',
        ...app.knowledge.faq.topics.map((t) => `faq:${t.id}`),
      ];
      for (const option of ids) {
        expectPolite(
          decide({ kind: 'option', option, channel: 'console', userId: user, receivedAt: new Date() }),
        );
      }
    }
  });

  it.each([
    ['empty', ''],
    ['only spaces and newlines', ' \n\t  \r\n'],
    ['10,000 characters', 'vacuna '.repeat(1430)],
    ['10,000 random-ish characters', 'ñ😷a1'.repeat(2000)],
    ['emoji only', '😷🤒💉🙏👍'],
    ['control characters', '\u0000\u0001\u0007\u001b[31m\u007f'],
    ['right-to-left and zero-width', '\u202eolah\u200b\u200d'],
  ])('%s', (_, text) => {
    expectPolite(send(text));
  });

  it('reads only a bounded prefix of a very long message', () => {
    expect(app.nlu.tokens('donde '.repeat(5000)).length).toBeLessThanOrEqual(MAX_TEXT);
  });
});
