import { join } from 'node:path';
import Database from 'better-sqlite3';
import pino from 'pino';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { App } from '../../src/app.js';
import type { IncomingMessage } from '../../src/core/messages.js';
import { ConversationRunner } from '../../src/runner/runner.js';
import { SessionBuffer } from '../../src/runner/session-buffer.js';
import { WRITE_BEHIND_DEFAULTS } from '../../src/runner/write-behind.js';
import { hashUser } from '../../src/storage/keys.js';
import { MemorySessionStorage } from '../../src/storage/memory.js';
import type { ChatRecord, OutboxChange, RecordWrite, SessionStorage } from '../../src/storage/ports.js';
import { buildApp, memoryApp, TEST_SALT, tempDir } from '../harness.js';

const T0 = Date.parse('2026-12-04T10:00:00-06:00');
const text = (userId: string, body: string, minutes = 0, messageId?: string): IncomingMessage => ({
  kind: 'text',
  text: body,
  channel: 'console',
  userId,
  receivedAt: new Date(T0 + minutes * 60_000),
  ...(messageId ? { messageId } : {}),
});
const says = (out: { replies: { text: string }[] } | undefined) =>
  out?.replies.map((r) => r.text).join('\n') ?? '';

describe('the runner: one message per person at a time, in arrival order, on any store', () => {
  /** A store that answers later, after a random delay: a network database. */
  class SlowStorage implements SessionStorage {
    readonly inner = new MemorySessionStorage();
    private wait = () => new Promise((r) => setTimeout(r, Math.floor(Math.random() * 4)));
    async read(key: string, known?: number) {
      await this.wait();
      return this.inner.read(key, known);
    }
    async writeMany(writes: readonly RecordWrite[], outbox?: OutboxChange) {
      await this.wait();
      return this.inner.writeMany(writes, outbox);
    }
    async outbox(dropBefore: number) {
      await this.wait();
      return this.inner.outbox(dropBefore);
    }
    blockedChats() {
      return this.inner.blockedChats();
    }
    setBlocked(channel: string, hash: string, blocked: boolean, max: number) {
      return this.inner.setBlocked(channel, hash, blocked, max);
    }
  }

  it('decides each person’s messages in order while people run side by side, and loses no change', async () => {
    const app = memoryApp();
    const storage = new SlowStorage();
    const sessions = new SessionBuffer(storage, {
      ...WRITE_BEHIND_DEFAULTS,
      onFailing() {},
      onRecovered() {},
    });
    const runner = new ConversationRunner({ engine: app.engine, sessions, salt: TEST_SALT });
    // Each person switches language back and forth: the last answer shows the order was kept.
    const people = Array.from({ length: 20 }, (_, i) => `p${i}`);
    const outs = people.flatMap((p) =>
      ['english please', 'en español por favor', 'english please', 'hola', 'gracias'].map((body, i) =>
        runner.handle(text(p, body, i)),
      ),
    );
    const results = await Promise.all(outs);
    expect(results.map((r) => r?.lang)).toEqual(people.flatMap(() => ['en', 'es', 'en', 'en', 'en']));
    await sessions.settle(Date.now() + 5_000);
    for (const p of people) {
      const stored = storage.inner.read(hashUser(TEST_SALT, 'console', p)) as ChatRecord;
      expect(stored).toMatchObject({ version: 5, session: { lang: 'en', langPinned: true } });
    }
    await app.close();
  });

  it('answers a redelivered message once, also after a restart', async () => {
    const tmp = tempDir();
    const path = join(tmp.dir, 'bot.db');
    const build = () => buildApp(path);
    let app = build();
    const first = text('5215555550123@c.us', 'hola', 0, 'false_5215555550123@c.us_3EB0AA');
    expect((await app.runner.handle(first))?.intent).toBe('greeting');
    expect(await app.runner.handle(first)).toBeUndefined();
    await app.close();
    app = build();
    expect(await app.runner.handle(first)).toBeUndefined();
    expect(
      (await app.runner.handle({ ...first, messageId: 'false_5215555550123@c.us_3EB0AB' }))?.intent,
    ).toBe('greeting');
    // the ids are kept as short digests: no phone number in the file
    const states = app.db.prepare('SELECT state FROM sessions').all() as { state: string }[];
    expect(JSON.stringify(states)).not.toContain('5215555550123');
    await app.close();
    tmp.cleanup();
  });

  it('forgets the open question after 30 minutes of silence, judged on the messages’ own times', async () => {
    const app = memoryApp();
    await app.runner.handle(text('x', 'me toca vacuna?', 0));
    expect((await app.runner.handle(text('x', '45', 29.9)))?.intent).toBe('eligibility');
    await app.runner.handle(text('x', 'me toca vacuna?', 40));
    // a late delivery with an older time does not move the clock back
    await app.runner.handle(text('x', 'ok', 39));
    expect((await app.runner.handle(text('x', '45', 70.1)))?.intent).not.toBe('eligibility');
    await app.close();
  });

  it('keeps the options offered in the session: "2" picks the second on a channel that numbers them', async () => {
    const app = memoryApp();
    app.runner.channel('numbered', { numbersOptions: true });
    const on = (channel: string, body: string) => app.runner.handle({ ...text('y', body), channel });
    const menu = await on('numbered', 'ayuda');
    expect(menu?.replies.flatMap((r) => r.options ?? []).map((o) => o.id)[1]).toBe('facility');
    expect((await on('numbered', '2'))?.intent).toBe('facility');
    // the same "2" on a channel with buttons is text
    await on('console', 'ayuda');
    expect((await on('console', '2'))?.intent).not.toBe('facility');
    await app.close();
  });

  it('answers /report only to an admin of that channel, without counting it', async () => {
    const app = memoryApp();
    const admin = new ConversationRunner({
      engine: app.engine,
      sessions: app.sessions,
      salt: TEST_SALT,
      stats: app.stats,
      report: new (await import('../../src/analytics/admin.js')).AdminReport(
        app.storage.stats,
        ['console:boss'],
        app.translate,
        () => app.stats.flush(),
      ),
    });
    await admin.handle(text('someone', 'hola'));
    expect(says(await admin.handle(text('boss', '/report')))).toMatch(/Mensajes respondidos: 1/);
    expect((await admin.handle(text('someone', '/report')))?.intent).toBe('unknown');
    await app.close();
  });
});

describe('a busy database never takes the bot down and never loses a session', () => {
  let tmp: ReturnType<typeof tempDir>;
  let app: App;
  let logs: { level: number; msg: string }[];
  beforeEach(() => {
    tmp = tempDir();
    logs = [];
    const log = pino({ level: 'info', base: undefined }, { write: (l: string) => logs.push(JSON.parse(l)) });
    app = buildApp(join(tmp.dir, 'bot.db'), [], { log });
  });
  afterEach(async () => {
    await app.close();
    tmp.cleanup();
  });

  it('keeps answering from memory while another connection holds the write lock past the busy timeout', async () => {
    const unhandled = vi.fn();
    process.on('unhandledRejection', unhandled);
    process.on('uncaughtException', unhandled);
    // Another process (an import) takes the write lock and keeps it.
    const other = new Database(join(tmp.dir, 'bot.db'));
    other.exec('BEGIN IMMEDIATE');
    const people = Array.from({ length: 10 }, (_, i) => `busy-${i}`);
    for (const p of people) expect((await app.runner.handle(text(p, 'english please')))?.lang).toBe('en');
    // Writes are failing now and kept: the next message of each person still sees their choice.
    await vi.waitFor(() => expect(app.sessions.failing).toBe(true), { timeout: 5_000 });
    for (const p of people) expect((await app.runner.handle(text(p, 'hola', 1)))?.lang).toBe('en');
    // Held past several retries (each attempt waits the 250 ms busy timeout).
    await new Promise((r) => setTimeout(r, 1_500));
    expect(logs.filter((l) => l.msg.startsWith('sessions not saved yet'))).toHaveLength(1); // once per episode
    other.exec('COMMIT');
    await vi.waitFor(() => expect(app.sessions.waiting).toBe(0), { timeout: 10_000, interval: 50 });
    expect(app.sessions.failing).toBe(false);
    expect(logs.some((l) => l.msg === 'sessions saved again')).toBe(true);
    const rows = other.prepare('SELECT state, version FROM sessions').all() as {
      state: string;
      version: number;
    }[];
    expect(rows).toHaveLength(people.length);
    expect(rows.every((r) => r.version === 2 && JSON.parse(r.state).session.lang === 'en')).toBe(true);
    // Statistics waited too, and lost nothing: 20 messages.
    await vi.waitFor(
      () => {
        const n = other.prepare('SELECT COALESCE(SUM(messages), 0) AS n FROM stats_messages').get() as {
          n: number;
        };
        expect(n.n).toBe(20);
      },
      { timeout: 10_000, interval: 50 },
    );
    other.close();
    process.off('unhandledRejection', unhandled);
    process.off('uncaughtException', unhandled);
    expect(unhandled).not.toHaveBeenCalled();
  }, 30_000);

  it('saves what is pending at close, once the lock is released within the close wait', async () => {
    const other = new Database(join(tmp.dir, 'bot.db'));
    other.exec('BEGIN IMMEDIATE');
    await app.runner.handle(text('late', 'english please'));
    setTimeout(() => other.exec('COMMIT'), 600);
    await app.close(5_000);
    const rows = other.prepare('SELECT version FROM sessions').all();
    expect(rows).toEqual([{ version: 1 }]);
    other.close();
    app = buildApp(join(tmp.dir, 'bot.db'));
  }, 20_000);
});
