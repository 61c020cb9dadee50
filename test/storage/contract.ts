import { describe, expect, it } from 'vitest';
import {
  type ChatRecord,
  type SessionStorage,
  type StatsStorage,
  UNCHANGED,
} from '../../src/storage/ports.js';

/**
 * The storage adapter contract, written once: every implementation (memory, SQLite, and a
 * Postgres or Redis one later) runs it. `make` gives a fresh, empty store; `end` closes it.
 */
export function sessionStorageContract(name: string, make: () => { store: SessionStorage; end(): void }) {
  const record = (over: Partial<ChatRecord> = {}): ChatRecord => ({
    session: { lang: 'es', langPinned: false },
    updatedAt: Date.parse('2026-12-04T16:00:00Z'),
    version: 1,
    ...over,
  });

  /** An unconditional read: a record or nothing. */
  const get = async (store: SessionStorage, key: string) => (await store.read(key)) as ChatRecord | undefined;

  describe(`session storage contract: ${name}`, () => {
    it('reads nothing for a key never written', async () => {
      const { store, end } = make();
      expect(await get(store, 'nobody')).toBeUndefined();
      end();
    });

    it('gives back what was written, with its version, the runner’s parts included', async () => {
      const { store, end } = make();
      const full = record({
        session: {
          lang: 'en',
          langPinned: true,
          promoterCode: 'PROMO-1',
          dialog: { kind: 'facility', step: 'location', retries: 1 },
        },
        offered: [{ id: 'menu', label: 'Menú' }],
        seen: [['abc123def456', 1_700_000_000_000]],
      });
      expect((await store.writeMany([{ key: 'k', record: full, expected: undefined }])).refused).toEqual([]);
      expect(await get(store, 'k')).toEqual(full);
      end();
    });

    it('answers a conditional read with UNCHANGED while the version is the one the caller holds', async () => {
      const { store, end } = make();
      await store.writeMany([{ key: 'k', record: record(), expected: undefined }]);
      expect(await store.read('k', 1)).toBe(UNCHANGED);
      await store.writeMany([{ key: 'k', record: record({ version: 2 }), expected: 1 }]);
      expect(await store.read('k', 1)).toMatchObject({ version: 2 });
      expect(await store.read('nobody', 1)).toBeUndefined();
      end();
    });

    it('never hands out the stored state itself: changing what was read changes nothing stored', async () => {
      const { store, end } = make();
      await store.writeMany([{ key: 'k', record: record(), expected: undefined }]);
      const read = (await get(store, 'k')) as ChatRecord;
      read.session.lang = 'en';
      expect((await get(store, 'k'))?.session.lang).toBe('es');
      end();
    });

    it('writes only over the version the writer read; refuses the others and keeps what is stored', async () => {
      const { store, end } = make();
      await store.writeMany([{ key: 'k', record: record(), expected: undefined }]);
      const v2 = record({ version: 2, session: { lang: 'en', langPinned: false } });
      expect((await store.writeMany([{ key: 'k', record: v2, expected: 1 }])).refused).toEqual([]);
      // a second writer that read version 1 too, and one that thought the chat was new
      const stale = record({ version: 2, session: { lang: 'es', langPinned: true } });
      expect((await store.writeMany([{ key: 'k', record: stale, expected: 1 }])).refused).toEqual(['k']);
      expect((await store.writeMany([{ key: 'k', record: record(), expected: undefined }])).refused).toEqual([
        'k',
      ]);
      expect(await get(store, 'k')).toEqual(v2);
      end();
    });

    it('writes a batch of many chats, refusing only the stale ones', async () => {
      const { store, end } = make();
      await store.writeMany([{ key: 'a', record: record(), expected: undefined }]);
      const { refused } = await store.writeMany([
        { key: 'a', record: record({ version: 2 }), expected: 7 },
        ...Array.from({ length: 100 }, (_, i) => ({ key: `u${i}`, record: record(), expected: undefined })),
      ]);
      expect(refused).toEqual(['a']);
      expect((await get(store, 'u99'))?.version).toBe(1);
      expect((await get(store, 'a'))?.version).toBe(1);
      end();
    });
  });
}

export function outboxStorageContract(name: string, make: () => { store: SessionStorage; end(): void }) {
  const row = (n: number, at = 1_000 + n) => ({
    channel: 'telegram',
    chat: `sealed-${n}`,
    body: `{"n":${n}}`,
    at,
  });
  const record: ChatRecord = { session: { lang: 'es', langPinned: false }, updatedAt: 1, version: 1 };

  describe(`outbox storage contract: ${name}`, () => {
    it('gives rows ids in the order written, keeps them until removed, and gives them back in that order', async () => {
      const { store, end } = make();
      const first = await store.writeMany([{ key: 'k', record, expected: undefined }], {
        add: [row(1), row(2)],
        remove: [],
      });
      expect(first.refused).toEqual([]);
      expect(first.added).toHaveLength(2);
      const [a = 0, b = 0] = first.added;
      expect(b).toBeGreaterThan(a);
      const second = await store.writeMany([], { add: [row(3)], remove: [a] });
      expect(second.added[0]).toBeGreaterThan(b);
      const { rows, dropped } = await store.outbox(0);
      expect(dropped).toBe(0);
      expect(rows).toEqual([
        { ...row(2), id: b },
        { ...row(3), id: second.added[0] },
      ]);
      end();
    });

    it('writes the rows of a batch even when its record is refused (the reply was owed all the same)', async () => {
      const { store, end } = make();
      await store.writeMany([{ key: 'k', record, expected: undefined }]);
      const result = await store.writeMany([{ key: 'k', record, expected: undefined }], {
        add: [row(1)],
        remove: [],
      });
      expect(result.refused).toEqual(['k']);
      expect((await store.outbox(0)).rows).toHaveLength(1);
      end();
    });

    it('drops rows decided before the cut-off instead of giving them back', async () => {
      const { store, end } = make();
      await store.writeMany([], { add: [row(1, 10), row(2, 20), row(3, 30)], remove: [] });
      const { rows, dropped } = await store.outbox(25);
      expect(dropped).toBe(2);
      expect(rows.map((r) => r.chat)).toEqual(['sealed-3']);
      expect((await store.outbox(0)).rows).toHaveLength(1);
      end();
    });

    it('remembers blocked chats, forgets one unblocked, and keeps only the newest `max`', async () => {
      const { store, end } = make();
      for (const hash of ['h1', 'h2', 'h3']) {
        await store.setBlocked('telegram', hash, true, 2);
        await new Promise((resolve) => setTimeout(resolve, 2)); // distinct times: the oldest is well defined
      }
      expect((await store.blockedChats()).sort()).toEqual([
        ['telegram', 'h2'],
        ['telegram', 'h3'],
      ]);
      await store.setBlocked('telegram', 'h2', false, 2);
      await store.setBlocked('whatsapp', 'h2', true, 2);
      expect((await store.blockedChats()).sort()).toEqual([
        ['telegram', 'h3'],
        ['whatsapp', 'h2'],
      ]);
      end();
    });
  });
}

export function statsStorageContract(name: string, make: () => { store: StatsStorage; end(): void }) {
  describe(`statistics storage contract: ${name}`, () => {
    it('adds counts up, counts a referral once per person and code, ranks missed questions', async () => {
      const { store, end } = make();
      await store.add({
        messages: [
          ['2025-01-15', 'telegram', 'es', 'greeting', 2],
          ['2025-01-16', 'telegram', 'es', 'greeting', 1],
        ],
        missed: [
          ['2025-01-15', 'es', 'quien gano', 1],
          ['2025-01-16', 'es', 'quien gano', 2],
          ['2025-01-15', 'en', 'who won', 1],
        ],
        referrals: [
          ['h1', 'PROMO-1', 'telegram', '2025-01-15'],
          ['h2', 'PROMO-1', 'telegram', '2025-01-15'],
        ],
      });
      await store.add({
        messages: [['2025-01-15', 'telegram', 'es', 'greeting', 3]],
        missed: [],
        referrals: [
          ['h1', 'PROMO-1', 'telegram', '2025-01-16'], // the same person and code again
          ['h1', 'OTRO-2', 'whatsapp', '2025-01-16'],
        ],
      });
      const all = await store.report({});
      expect(all.messages).toEqual([
        { day: '2025-01-15', channel: 'telegram', lang: 'es', intent: 'greeting', messages: 5 },
        { day: '2025-01-16', channel: 'telegram', lang: 'es', intent: 'greeting', messages: 1 },
      ]);
      expect(all.referrals).toEqual([
        { day: '2025-01-15', code: 'PROMO-1', channel: 'telegram', people: 2 },
        { day: '2025-01-16', code: 'OTRO-2', channel: 'whatsapp', people: 1 },
      ]);
      expect(all.missed).toEqual([
        { text: 'quien gano', lang: 'es', count: 3 },
        { text: 'who won', lang: 'en', count: 1 },
      ]);
      const day = await store.report({ from: '2025-01-16', to: '2025-01-16' }, { missed: 1 });
      expect(day.messages.map((r) => r.messages)).toEqual([1]);
      expect(day.missed).toEqual([{ text: 'quien gano', lang: 'es', count: 2 }]);
      expect(day.range).toEqual({ from: '2025-01-16', to: '2025-01-16' });
      end();
    });
  });
}
