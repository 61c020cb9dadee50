import { describe, expect, it } from 'vitest';
import { OutboundQueue, type QueueLimits, type SendFailure } from '../../src/channels/outbound-queue.js';

const limits = (over: Partial<QueueLimits> = {}): QueueLimits => ({
  perChatPerSecond: 1000,
  perChatBurst: 1000,
  globalPerSecond: 100_000,
  maxAttempts: 4,
  backoffMs: 5,
  maxWaitMs: 2000,
  ...over,
});
class Failure extends Error {
  constructor(readonly failure: SendFailure) {
    super(failure.kind);
  }
}
const classify = (err: unknown): SendFailure =>
  err instanceof Failure ? err.failure : { kind: 'transient' };

describe('outbound queue', () => {
  it('keeps each chat in order while chats run side by side', async () => {
    const q = new OutboundQueue(limits(), classify);
    const log: string[] = [];
    const slow = (chat: string, i: number, ms: number) => () =>
      new Promise<void>((resolve) => setTimeout(() => resolve(void log.push(`${chat}${i}`)), ms));
    for (let i = 0; i < 4; i++) {
      void q.send('a', slow('a', i, 20 - i * 5));
      void q.send('b', slow('b', i, 1));
    }
    await q.drain();
    expect(log.filter((x) => x.startsWith('a'))).toEqual(['a0', 'a1', 'a2', 'a3']);
    expect(log.filter((x) => x.startsWith('b'))).toEqual(['b0', 'b1', 'b2', 'b3']);
    expect(log.indexOf('b3')).toBeLessThan(log.indexOf('a1')); // b did not wait for a
  });

  it('paces one chat: a burst, then the sustained rate', async () => {
    const q = new OutboundQueue(limits({ perChatPerSecond: 20, perChatBurst: 3 }), classify);
    const at: number[] = [];
    const t0 = performance.now();
    for (let i = 0; i < 7; i++) void q.send('a', async () => void at.push(performance.now() - t0));
    await q.drain();
    expect(at.slice(0, 3).every((t) => t < 150)).toBe(true); // the burst goes at once
    // the other 4 at 20/s: about 200 ms in all
    expect(at[6]).toBeGreaterThanOrEqual(180);
  });

  it('caps all chats together', async () => {
    const q = new OutboundQueue(limits({ globalPerSecond: 50 }), classify);
    const t0 = performance.now();
    for (let i = 0; i < 75; i++) void q.send(`chat${i}`, async () => {});
    await q.drain();
    // 50 saved up at start, 25 more at 50/s
    expect(performance.now() - t0).toBeGreaterThanOrEqual(450);
  });

  it('waits exactly as long as a rate limit says, then sends', async () => {
    const q = new OutboundQueue(limits(), classify);
    let calls = 0;
    const t0 = performance.now();
    await q.send('a', async () => {
      if (++calls === 1) throw new Failure({ kind: 'retry-after', seconds: 0.3 });
    });
    expect(calls).toBe(2);
    expect(performance.now() - t0).toBeGreaterThanOrEqual(290);
  });

  it('retries transient failures with backoff, and gives up after the attempts', async () => {
    const dropped: string[] = [];
    const q = new OutboundQueue(limits({ maxAttempts: 3 }), classify, {
      onDropped: (chat, kind) => dropped.push(`${chat}:${kind}`),
    });
    let calls = 0;
    await q.send('a', async () => {
      calls++;
      throw new Error('ECONNRESET');
    });
    expect(calls).toBe(3);
    expect(dropped).toEqual(['a:transient']);
    let fatal = 0;
    await q.send('b', async () => {
      fatal++;
      throw new Failure({ kind: 'fatal' });
    });
    expect(fatal).toBe(1);
  });

  it('stops sending to a chat that blocked the bot', async () => {
    const blocked: string[] = [];
    const q = new OutboundQueue(limits(), classify, { onBlocked: (chat) => blocked.push(chat) });
    let sends = 0;
    const task = async () => {
      sends++;
      throw new Failure({ kind: 'blocked' });
    };
    await Promise.all([q.send('a', task), q.send('a', task), q.send('a', task)]);
    expect(sends).toBe(1);
    expect(blocked).toEqual(['a']);
    expect(q.isBlocked('a')).toBe(true);
    expect(q.isBlocked('b')).toBe(false);
  });
});
