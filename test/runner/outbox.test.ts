import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import type { App } from '../../src/app.js';
import type { IncomingMessage } from '../../src/core/messages.js';
import type { SendFailure } from '../../src/outbound/scheduler.js';
import { ChatSeal } from '../../src/storage/keys.js';
import { until } from '../../src/timers.js';
import { buildApp, tempDir } from '../harness.js';

const FAST = {
  perChatPerSecond: 1000,
  perChatBurst: 1000,
  globalPerSecond: 1000,
  maxAttempts: 3,
  backoffMs: 5,
  maxWaitMs: 100,
  maxBacklog: 1000,
};
/** A WhatsApp-style chat id: a phone number, which must never be readable in the database file. */
const PHONE_CHAT = '5215555550123@c.us';

/** A channel whose sends the test controls: held, refused as blocked, or recorded. */
function channel(app: App, mode: { hold?: boolean; blocked?: Set<string> } = {}) {
  const sent: { chat: string; text: string }[] = [];
  const held: (() => void)[] = [];
  app.outbound.register<string>({
    channel: 'test',
    limits: FAST,
    render: (replies) => replies.map((r) => r.text),
    deliver: async (chat, text) => {
      if (mode.blocked?.has(chat)) throw Object.assign(new Error('blocked'), { blocked: true });
      if (mode.hold) await new Promise<void>((resolve) => held.push(resolve));
      sent.push({ chat, text });
    },
    classify: (err): SendFailure =>
      (err as { blocked?: boolean }).blocked ? { kind: 'blocked' } : { kind: 'transient' },
  });
  app.runner.channel('test', {});
  const release = () => {
    for (const resume of held.splice(0)) resume();
  };
  return { sent, release };
}

const message = (user: string, text: string, id: string): IncomingMessage => ({
  kind: 'text',
  text,
  channel: 'test',
  userId: user,
  receivedAt: new Date('2025-01-15T10:00:00-06:00'),
  messageId: id,
});

const rows = (app: App) => app.db.prepare('SELECT channel, chat FROM outbox').all() as { chat: string }[];
/** Loaded CI machines are slow: generous, and bounded. */
const WAIT_MS = 10_000;

/** What kill -9 leaves: nothing more is written, nothing more is sent. */
function crash(app: App): void {
  app.outbound.close();
  app.db.close();
}

const cleanups: (() => void)[] = [];
afterEach(() => {
  for (const cleanup of cleanups.splice(0)) cleanup();
});
function dbPath(): string {
  const tmp = tempDir();
  cleanups.push(tmp.cleanup);
  return join(tmp.dir, 'bot.db');
}

describe('the durable outbox', () => {
  it('stores a reply with the session change that produced it, and deletes it once sent', async () => {
    const app = buildApp(dbPath());
    const test = channel(app, { hold: true });
    await app.runner.receive(message(PHONE_CHAT, 'hola', 'm1'), PHONE_CHAT);
    await app.runner.saved();
    // Stored before it was sent: the session (with the message id's digest) and the reply row together.
    expect(rows(app)).toHaveLength(1);
    const [{ state = '' } = {}] = app.db.prepare('SELECT state FROM sessions').all() as { state: string }[];
    expect(JSON.parse(state).seen).toHaveLength(1);
    test.release();
    await until('a reply sent', () => test.sent.length > 0, WAIT_MS);
    await app.sessions.flush();
    expect(rows(app)).toEqual([]);
    expect(test.sent[0]?.text).toMatch(/Hola/);
    await app.close();
  });

  it('sends after a crash what was stored and not sent, in order, and nothing twice', async () => {
    const path = dbPath();
    const first = buildApp(path);
    channel(first, { hold: true });
    for (const [i, text] of ['hola', 'me toca la vacuna de la influenza si tengo 70 años?'].entries())
      await first.runner.receive(message(PHONE_CHAT, text, `m${i}`), PHONE_CHAT);
    await first.runner.saved();
    const owed = rows(first).length;
    expect(owed).toBe(2);
    crash(first);

    const second = buildApp(path);
    const test = channel(second);
    expect(await second.outbox.resume()).toEqual({ resent: 2, dropped: 0, kept: 0 });
    await second.outbound.drain(2_000);
    expect(test.sent.map((s) => s.chat)).toEqual(Array(test.sent.length).fill(PHONE_CHAT));
    expect(test.sent[0]?.text).toMatch(/Hola/);
    expect(test.sent.at(-1)?.text).toMatch(/influenza|vacuna/i);
    // The updates come again (never acknowledged? here they were): answered once, from the stored digests.
    expect(await second.runner.receive(message(PHONE_CHAT, 'hola', 'm0'), PHONE_CHAT)).toBeUndefined();
    await second.sessions.flush();
    expect(rows(second)).toEqual([]);
    await second.close();
  });

  it('keeps a reply owed to a channel not running now for a start that runs it, and drops day-old ones', async () => {
    const path = dbPath();
    const first = buildApp(path);
    channel(first, { hold: true });
    await first.runner.receive(message('u1', 'hola', 'm1'), 'u1');
    await first.runner.saved();
    crash(first);
    const second = buildApp(path); // no 'test' channel registered
    expect(await second.outbox.resume()).toEqual({ resent: 0, dropped: 0, kept: 1 });
    second.db.prepare('UPDATE outbox SET created_at = created_at - 25 * 3600 * 1000').run();
    crash(second);
    const third = buildApp(path);
    channel(third);
    expect(await third.outbox.resume()).toEqual({ resent: 0, dropped: 1, kept: 0 });
    await third.close();
  });

  it('never writes the chat id readable: no phone number in the database or its WAL', async () => {
    const path = dbPath();
    const app = buildApp(path);
    channel(app, { hold: true });
    await app.runner.receive(message(PHONE_CHAT, 'hola', 'm1'), PHONE_CHAT);
    await app.runner.saved();
    expect(rows(app)[0]?.chat).not.toContain('5215555550123');
    for (const file of [path, `${path}-wal`])
      expect(readFileSync(file).includes(Buffer.from('5215555550123'))).toBe(false);
    crash(app);
  });

  it('holds the acknowledgement while the database is locked, but not the answer', async () => {
    const path = dbPath();
    const app = buildApp(path);
    const test = channel(app);
    const other = new Database(path);
    other.exec('BEGIN IMMEDIATE');
    await app.runner.receive(message('u1', 'hola', 'm1'), 'u1');
    let saved = false;
    const saving = app.runner.saved().then(() => {
      saved = true;
    });
    await until('a reply sent', () => test.sent.length > 0, WAIT_MS);
    await new Promise((resolve) => setTimeout(resolve, 400));
    expect(saved).toBe(false);
    other.exec('COMMIT');
    other.close();
    await saving;
    expect(saved).toBe(true);
    await app.close();
  });

  it('remembers across a restart who blocked the bot, until they write again', async () => {
    const path = dbPath();
    const first = buildApp(path);
    const blocked = new Set(['u1']);
    channel(first, { blocked });
    await first.runner.receive(message('u1', 'hola', 'm1'), 'u1');
    await first.outbound.drain(2_000);
    await until(
      'the block stored',
      () => (first.db.prepare('SELECT count(*) AS n FROM blocked_chats').get() as { n: number }).n === 1,
      WAIT_MS,
    );
    await first.close();

    const second = buildApp(path);
    const test = channel(second);
    await second.outbox.resume();
    // A reminder (not an answer) to a chat that blocked the bot is not even queued.
    second.outbox.send('test', 'u1', [{ text: 'recordatorio' }], { lang: 'es' });
    second.outbox.send('test', 'u2', [{ text: 'recordatorio' }], { lang: 'es' });
    await second.outbound.drain(2_000);
    expect(test.sent.map((s) => s.chat)).toEqual(['u2']);
    // They write again: answered, and no longer blocked (in the store either).
    await second.runner.receive(message('u1', 'hola', 'm2'), 'u1');
    await second.outbound.drain(2_000);
    expect(test.sent.map((s) => s.chat)).toEqual(['u2', 'u1']);
    expect(second.db.prepare('SELECT count(*) AS n FROM blocked_chats').get()).toEqual({ n: 0 });
    await second.close();
  });
});

describe('sealed chat ids', () => {
  it('never seal the same id twice alike, open back under the same salt only', () => {
    const seal = new ChatSeal('salt-one-0123456789abcdef');
    const a = seal.seal(PHONE_CHAT);
    const b = seal.seal(PHONE_CHAT);
    expect(a).not.toBe(b);
    expect(seal.open(a)).toBe(PHONE_CHAT);
    expect(seal.open(b)).toBe(PHONE_CHAT);
    expect(() => new ChatSeal('salt-two-0123456789abcdef').open(a)).toThrow();
    const altered = `${a.slice(0, -2)}${a.endsWith('A') ? 'B' : 'A'}${a.at(-1)}`;
    expect(() => seal.open(altered)).toThrow();
  });
});
