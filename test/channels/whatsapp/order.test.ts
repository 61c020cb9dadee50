import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { text } from './fixtures.js';
import { translate, World } from './world.js';

/** WhatsApp's real pacing (1 a second per chat, burst 3, 5 a second overall) and a page that answers at random speeds. */
let world: World;
beforeAll(async () => {
  world = new World({ limits: {}, latency: () => Math.random() * 15 });
  await world.start();
});
afterAll(() => world.close());

describe('WhatsApp outbound order and pacing', () => {
  it("keeps each chat's replies in its message order under an interleaved burst, paced per chat and overall", async () => {
    const t = translate('es');
    const script = [
      ['hola', t('greeting.text')],
      ['a que hora abren', '🕗'],
      ['como evito enfermarme', 'Para prevenir'],
      ['gracias', t('thanks.text')],
    ] as const;
    const chats = Array.from({ length: 5 }, (_, i) => `52155555503${i}@c.us`);
    const start = performance.now();
    // Interleaved: message 1 of every chat, then message 2 of every chat…
    for (const [body] of script) for (const chat of chats) world.receive(text(chat, body));
    await world.settle();

    for (const chat of chats) {
      const sent = world.web.sentTo(chat);
      expect(sent).toHaveLength(script.length);
      sent.forEach((s, i) => {
        expect(s.content.startsWith(script[i]?.[1] ?? '?')).toBe(true);
      });
      // Burst of 3, then about one a second.
      expect((sent[3]?.at ?? 0) - (sent[0]?.at ?? 0)).toBeGreaterThan(900);
    }
    // 20 sends at 5 a second after a burst of 5: at least 3 seconds, and never more than 10 in any second.
    const times = world.web.sent.map((s) => s.at).sort((a, b) => a - b);
    expect((times.at(-1) ?? 0) - start).toBeGreaterThan(2_800);
    for (const t0 of times)
      expect(times.filter((x) => x >= t0 && x < t0 + 1_000).length).toBeLessThanOrEqual(10);
  });
});
