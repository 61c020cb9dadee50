import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import {
  type ChannelLimits,
  OutboundScheduler,
  type SchedulerEvents,
  type SendFailure,
} from '../../src/outbound/scheduler.js';

// Fake timers and a clock read from the faked Date: every time below is exact, not "about".
const clock = () => Date.now();
beforeEach(() => {
  vi.useFakeTimers({ now: 0 });
});
afterEach(() => {
  vi.useRealTimers();
  vi.restoreAllMocks();
});

const limits = (over: Partial<ChannelLimits> = {}): ChannelLimits => ({
  perChatPerSecond: 1000,
  perChatBurst: 1000,
  globalPerSecond: 100_000,
  maxAttempts: 4,
  backoffMs: 5,
  maxWaitMs: 2000,
  maxBacklog: 1_000_000,
  ...over,
});
class Failure extends Error {
  constructor(readonly failure: SendFailure) {
    super(failure.kind);
  }
}
const classify = (err: unknown): SendFailure =>
  err instanceof Failure ? err.failure : { kind: 'transient' };

type Deliver<Op> = (chat: string, op: Op) => Promise<unknown>;
const scheduler = <Op>(
  deliver: Deliver<Op>,
  over: Partial<ChannelLimits> = {},
  events: SchedulerEvents = {},
) => new OutboundScheduler<Op>(limits(over), deliver, classify, events, clock);

/** Runs every timer until the scheduler is idle; resolves to drain()'s answer. */
async function settle<Op>(s: OutboundScheduler<Op>): Promise<boolean> {
  const drained = s.drain();
  await vi.runAllTimersAsync();
  return drained;
}

describe('outbound scheduler (the outbound queue’s behaviour)', () => {
  it('keeps each chat in order while chats run side by side', async () => {
    const log: string[] = [];
    const s = scheduler<{ name: string; ms: number }>(
      (_, op) => new Promise<void>((resolve) => setTimeout(() => resolve(void log.push(op.name)), op.ms)),
    );
    for (let i = 0; i < 4; i++) {
      s.enqueue('a', [{ name: `a${i}`, ms: 20 - i * 5 }]);
      s.enqueue('b', [{ name: `b${i}`, ms: 1 }]);
    }
    expect(await settle(s)).toBe(true);
    expect(log.filter((x) => x.startsWith('a'))).toEqual(['a0', 'a1', 'a2', 'a3']);
    expect(log.filter((x) => x.startsWith('b'))).toEqual(['b0', 'b1', 'b2', 'b3']);
    expect(log.indexOf('b3')).toBeLessThan(log.indexOf('a1')); // b did not wait for a
  });

  it('paces one chat: a burst, then the sustained rate', async () => {
    const at: number[] = [];
    const s = scheduler<number>(async () => void at.push(clock()), { perChatPerSecond: 20, perChatBurst: 3 });
    s.enqueue('a', [0, 1, 2, 3, 4, 5, 6]);
    await settle(s);
    // the burst goes at once, the other 4 at 20/s
    expect(at).toEqual([0, 0, 0, 50, 100, 150, 200]);
  });

  it('caps all chats together', async () => {
    const at: number[] = [];
    const s = scheduler<number>(async () => void at.push(clock()), { globalPerSecond: 50 });
    for (let i = 0; i < 75; i++) s.enqueue(`chat${i}`, [i]);
    await settle(s);
    // 50 saved up at start, 25 more at 50/s
    expect(at.filter((t) => t === 0)).toHaveLength(50);
    expect(at.slice(50)).toEqual(Array.from({ length: 25 }, (_, i) => (i + 1) * 20));
  });

  it('waits exactly as long as a rate limit says, then sends', async () => {
    const at: number[] = [];
    const s = scheduler<string>(async () => {
      at.push(clock());
      if (at.length === 1) throw new Failure({ kind: 'retry-after', seconds: 0.3 });
    });
    s.enqueue('a', ['hi']);
    await settle(s);
    expect(at).toEqual([0, 300]);
    expect(s.stats()).toMatchObject({ sent: 1, dropped: 0, queued: 0, inFlight: 0 });
  });

  it('retries transient failures with backoff, and gives up after the attempts', async () => {
    const dropped: string[] = [];
    const at: number[] = [];
    const s = scheduler<string>(
      async (chat) => {
        if (chat === 'a') {
          at.push(clock());
          throw new Error('ECONNRESET');
        }
        throw new Failure({ kind: 'fatal' });
      },
      { maxAttempts: 3 },
      { onDropped: (chat, kind) => dropped.push(`${chat}:${kind}`) },
    );
    s.enqueue('a', ['x']);
    await settle(s);
    expect(at).toEqual([0, 5, 15]); // backoff 5 ms, then doubled
    expect(dropped).toEqual(['a:transient']);
    s.enqueue('b', ['y']);
    await settle(s);
    expect(dropped).toEqual(['a:transient', 'b:fatal']); // a fatal error is not retried
    expect(s.stats()).toMatchObject({ sent: 0, dropped: 2 });
  });

  it('stops sending to a chat that blocked the bot', async () => {
    const blocked: string[] = [];
    let sends = 0;
    const s = scheduler<number>(
      async () => {
        sends++;
        throw new Failure({ kind: 'blocked' });
      },
      {},
      { onBlocked: (chat) => blocked.push(chat) },
    );
    s.enqueue('a', [1, 2, 3]);
    await settle(s);
    expect(sends).toBe(1);
    expect(blocked).toEqual(['a']);
    expect(s.isBlocked('a')).toBe(true);
    expect(s.isBlocked('b')).toBe(false);
  });
});

describe('outbound scheduler', () => {
  it('sheds the oldest non-urgent queued sends when the backlog is full, never urgent ones', async () => {
    const sent: string[] = [];
    const shed: [string, number][] = [];
    const s = scheduler<string>(
      async (_, op) => void sent.push(op),
      { maxBacklog: 3 },
      { onShed: (chat, count) => shed.push([chat, count]) },
    );
    // Nothing starts before the next microtask, so all of these are queued, none in flight.
    s.enqueue('a', ['a1', 'a2']);
    s.enqueue('b', ['b1'], { urgent: true });
    s.enqueue('c', ['c1', 'c2']); // 5 queued: a1 and a2 go
    s.enqueue('a', ['a3']); // 4 queued: c1 goes
    expect(shed).toEqual([
      ['a', 2],
      ['c', 1],
    ]);
    expect(s.stats()).toMatchObject({ queued: 3, shed: 3 });
    await settle(s);
    expect(sent.sort()).toEqual(['a3', 'b1', 'c2']);

    // Urgent ones stay even when that leaves the backlog above the max.
    sent.length = 0;
    s.enqueue('x', ['x1', 'x2', 'x3', 'x4'], { urgent: true });
    s.enqueue('y', ['y1']);
    expect(s.stats().queued).toBe(4);
    await settle(s);
    expect(sent).toEqual(['x1', 'x2', 'x3', 'x4']);
  });

  it('never sheds a send already in flight', async () => {
    const sent: string[] = [];
    const releases: (() => void)[] = [];
    const s = scheduler<string>(
      (_, op) =>
        new Promise<void>((resolve) =>
          releases.push(() => {
            sent.push(op);
            resolve();
          }),
        ),
      { maxBacklog: 1 },
    );
    s.enqueue('a', ['a1']);
    await vi.advanceTimersByTimeAsync(0); // a1 starts
    expect(s.stats()).toMatchObject({ queued: 0, inFlight: 1 });
    s.enqueue('a', ['a2', 'a3']); // a2 shed, a3 kept; a1 untouched
    expect(s.stats()).toMatchObject({ queued: 1, inFlight: 1, shed: 1 });
    for (let i = 0; i < 2; i++) {
      releases.shift()?.();
      await vi.advanceTimersByTimeAsync(0);
    }
    expect(sent).toEqual(['a1', 'a3']);
    expect(await s.drain()).toBe(true);
  });

  it('drops what is queued for a chat that blocks the bot, ignores it, and sends again after unblock', async () => {
    const sent: string[] = [];
    let refuse = true;
    const s = scheduler<string>(async (chat, op) => {
      if (chat === 'a' && refuse) throw new Failure({ kind: 'blocked' });
      sent.push(op);
    });
    s.enqueue('a', ['a1', 'a2', 'a3']);
    s.enqueue('b', ['b1']);
    await settle(s);
    expect(sent).toEqual(['b1']);
    expect(s.stats()).toMatchObject({ queued: 0, inFlight: 0, dropped: 2, blockedChats: 1 });
    refuse = false;
    s.enqueue('a', ['a4']); // still blocked: ignored
    expect(s.stats().queued).toBe(0);
    await settle(s);
    s.unblock('a');
    expect(s.isBlocked('a')).toBe(false);
    s.enqueue('a', ['a5']);
    await settle(s);
    expect(sent).toEqual(['b1', 'a5']);
  });

  it('holds only the rate-limited chat for a retry-after, not the others', async () => {
    const at: Record<string, number[]> = { a: [], b: [] };
    let limited = true;
    const s = scheduler<number>(
      async (chat) => {
        at[chat]?.push(clock());
        if (chat === 'a' && limited) {
          limited = false;
          throw new Failure({ kind: 'retry-after', seconds: 10 });
        }
      },
      { perChatPerSecond: 10, perChatBurst: 1, maxWaitMs: 60_000 },
    );
    s.enqueue('a', [1, 2]);
    s.enqueue('b', [1, 2, 3]);
    await settle(s);
    expect(at.b).toEqual([0, 100, 200]);
    expect(at.a).toEqual([0, 10_000, 10_100]);
  });

  it('caps a retry-after at maxWaitMs', async () => {
    const at: number[] = [];
    const s = scheduler<number>(
      async () => {
        at.push(clock());
        if (at.length === 1) throw new Failure({ kind: 'retry-after', seconds: 3600 });
      },
      { maxWaitMs: 2000 },
    );
    s.enqueue('a', [1]);
    await settle(s);
    expect(at).toEqual([0, 2000]);
  });

  it('uses one timer however many chats wait, and none when idle', async () => {
    const spy = vi.spyOn(globalThis, 'setTimeout');
    let sends = 0;
    const s = scheduler<number>(
      async () => {
        sends++;
      },
      { perChatPerSecond: 1, perChatBurst: 2, globalPerSecond: 30 },
    );
    for (let chat = 0; chat < 300; chat++) s.enqueue(`chat${chat}`, [1, 2, 3, 4, 5]);
    const drained = s.drain();
    let most = 0;
    // 1500 sends at 30/s: 50 s. Look every 10 ms.
    for (let t = 0; t < 60_000 && sends < 1500; t += 10) {
      await vi.advanceTimersByTimeAsync(10);
      most = Math.max(most, vi.getTimerCount());
    }
    expect(await drained).toBe(true);
    expect(sends).toBe(1500);
    expect(most).toBe(1);
    expect(vi.getTimerCount()).toBe(0);
    // About one wake-up per global token (one every 33 ms), not one per waiting send.
    expect(spy.mock.calls.length).toBeLessThanOrEqual(1600);
  });

  it('drain gives up after its timeout and says so', async () => {
    let release = () => {};
    const s = scheduler<number>(() => new Promise<void>((resolve) => (release = resolve)));
    s.enqueue('a', [1]);
    const late = s.drain(100);
    await vi.advanceTimersByTimeAsync(100);
    expect(await late).toBe(false);
    release();
    expect(await s.drain(100)).toBe(true);
    expect(vi.getTimerCount()).toBe(0); // the drain timer did not outlive the drain
  });

  it('survives a throwing deliver, classify and listeners, and no rejection escapes', async () => {
    const unhandled: unknown[] = [];
    const onUnhandled = (err: unknown) => unhandled.push(err);
    process.on('unhandledRejection', onUnhandled);
    try {
      const sent: string[] = [];
      const s = new OutboundScheduler<string>(
        limits({ maxAttempts: 2, maxBacklog: 5 }),
        (chat, op) => {
          if (op === 'sync-throw') throw new Error('sync');
          if (op === 'reject') return Promise.reject(new Error('async'));
          if (op === 'odd') return Promise.reject(new Failure({ kind: 'fatal' }));
          sent.push(`${chat}:${op}`);
          return Promise.resolve();
        },
        (err) => {
          if (err instanceof Failure) throw new Error('classify broke');
          return { kind: 'transient' };
        },
        {
          onDropped: () => {
            throw new Error('listener broke');
          },
          onShed: () => {
            throw new Error('listener broke');
          },
        },
        clock,
      );
      s.enqueue('b', ['ok2'], { urgent: true });
      s.enqueue('a', ['shed-me', 'sync-throw', 'reject', 'odd', 'ok1']); // 'shed-me' shed
      expect(await settle(s)).toBe(true);
      expect(sent).toEqual(['b:ok2', 'a:ok1']);
      expect(s.stats()).toMatchObject({ sent: 2, dropped: 3, shed: 1 });
      await vi.advanceTimersByTimeAsync(10);
    } finally {
      process.off('unhandledRejection', onUnhandled);
    }
    expect(unhandled).toEqual([]);
  });

  it('close stops the timer and starts nothing; what was queued stays', async () => {
    let sends = 0;
    const s = scheduler<number>(
      async () => {
        sends++;
      },
      { perChatPerSecond: 1, perChatBurst: 1 },
    );
    s.enqueue('a', [1, 2, 3]);
    await vi.advanceTimersByTimeAsync(0);
    expect(sends).toBe(1);
    expect(vi.getTimerCount()).toBe(1);
    const pending = s.drain();
    s.close();
    expect(await pending).toBe(false);
    expect(vi.getTimerCount()).toBe(0);
    await vi.advanceTimersByTimeAsync(5000);
    expect(sends).toBe(1);
    expect(s.stats()).toMatchObject({ queued: 2, sent: 1 });
  });

  it('keeps a chat’s pace across an idle moment, so a burst is not refilled for free', async () => {
    const at: number[] = [];
    const s = scheduler<number>(async () => void at.push(clock()), { perChatPerSecond: 1, perChatBurst: 2 });
    s.enqueue('a', [1, 2]);
    await settle(s);
    s.enqueue('a', [3]);
    await settle(s);
    expect(at).toEqual([0, 0, 1000]);
  });

  it('accounts for every op under a random mix of chats, failures and shedding', async () => {
    let seed = 42;
    const random = () => {
      seed = (seed * 1103515245 + 12345) % 2 ** 31;
      return seed / 2 ** 31;
    };
    const sent = new Map<string, number[]>();
    const s = scheduler<{ chat: string; n: number; fail: number }>(
      async (chat, op) => {
        if (op.fail > 0) {
          op.fail--;
          throw random() < 0.5
            ? new Error('ECONNRESET')
            : new Failure({ kind: 'retry-after', seconds: 0.05 });
        }
        sent.set(chat, [...(sent.get(chat) ?? []), op.n]);
      },
      { perChatPerSecond: 5, perChatBurst: 2, globalPerSecond: 40, maxBacklog: 150, maxAttempts: 3 },
    );
    let enqueued = 0;
    for (let round = 0; round < 20; round++) {
      for (let i = 0; i < 20; i++) {
        const chat = `c${Math.floor(random() * 30)}`;
        const ops = Array.from({ length: 1 + Math.floor(random() * 3) }, () => ({
          chat,
          n: enqueued++,
          fail: random() < 0.2 ? 1 + Math.floor(random() * 3) : 0,
        }));
        s.enqueue(chat, ops, { urgent: random() < 0.05 });
      }
      await vi.advanceTimersByTimeAsync(200);
    }
    expect(await settle(s)).toBe(true);
    const stats = s.stats();
    expect(stats.sent + stats.shed + stats.dropped).toBe(enqueued);
    expect(stats.shed).toBeGreaterThan(0);
    expect(stats.dropped).toBeGreaterThan(0);
    for (const ns of sent.values()) expect(ns).toEqual([...ns].sort((x, y) => x - y)); // per-chat order
    expect(vi.getTimerCount()).toBe(0);
  });
});
