import { describe, expect, it } from 'vitest';
import { Outbound, STUCK_MS } from '../../src/outbound/send.js';

const limits = {
  perChatPerSecond: 1000,
  perChatBurst: 1000,
  globalPerSecond: 1000,
  maxAttempts: 3,
  backoffMs: 5,
  maxWaitMs: 100,
  maxBacklog: 100,
};

describe('the send port', () => {
  it('renders with the channel, sends in order, and says the outbox is stuck only while replies wait with none sent', async () => {
    let now = 1_000_000;
    const outbound = new Outbound(undefined, () => now);
    const sent: string[] = [];
    let release: () => void = () => {};
    let hold = true;
    outbound.register<string>({
      channel: 'fake',
      limits,
      render: (replies, lang) => replies.map((r) => `${lang}:${r.text}`),
      deliver: async (_chat, op) => {
        if (hold) await new Promise<void>((resolve) => (release = resolve));
        sent.push(op);
      },
      classify: () => ({ kind: 'transient' }),
    });
    expect(outbound.health()).toEqual({ ok: true });
    outbound.send('fake', 'c1', [{ text: 'a' }, { text: 'b' }], { lang: 'es' });
    await new Promise((r) => setTimeout(r, 20));
    now += STUCK_MS - 1;
    expect(outbound.health().ok).toBe(true); // waiting, but not for long
    now += 2;
    expect(outbound.health()).toMatchObject({
      ok: false,
      detail: expect.stringMatching(/^fake: 2 replies waiting/),
    });
    hold = false;
    release();
    expect(await outbound.drain(1_000)).toBe(true);
    expect(sent).toEqual(['es:a', 'es:b']);
    expect(outbound.health()).toEqual({ ok: true });
    expect(() => outbound.send('nowhere', 'c1', [{ text: 'x' }], { lang: 'es' })).toThrow(
      /no channel "nowhere"/,
    );
    outbound.close();
  });
});
