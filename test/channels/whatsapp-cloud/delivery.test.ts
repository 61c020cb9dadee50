import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { message, payload, said, textFrom, World } from './world.js';

let world: World;
beforeEach(async () => {
  world = await new World().start();
});
afterEach(async () => {
  // No phone number in any log line, whatever the test did (pino's own time field aside).
  for (const line of world.logLines) {
    const { time: _, ...fields } = JSON.parse(line);
    expect(JSON.stringify(fields)).not.toMatch(/5215520\d{6}/);
  }
  await world.stop();
});

/** Numbers of this file all look like 52155 20 xxxxxx, so the log check above finds any of them. */
const number = (i: number) => `5215520${String(100_000 + i)}`;

describe('WhatsApp Cloud delivery', () => {
  it('answers a redelivered webhook once, also after a restart on the same database', async () => {
    const from = number(1);
    const body = payload([textFrom(from, 'a que hora abren', 'wamid.redelivered-1')]);
    expect((await world.post(body)).status).toBe(200);
    await world.sentAll();
    const first = world.api.to(from).length;
    expect(first).toBeGreaterThan(0);
    expect((await world.post(body)).status).toBe(200);
    await world.sentAll();
    expect(world.api.to(from)).toHaveLength(first);

    await world.stopBot();
    await world.start();
    expect((await world.post(body)).status).toBe(200);
    await world.sentAll();
    expect(world.api.to(from)).toHaveLength(first);
    // the next new message is answered normally
    expect(said(await world.ask(from, 'gracias'))).toMatch(/Con gusto/);
  });

  it('retries after HTTP 500s and loses nothing, in order', async () => {
    const from = number(2);
    world.api.faults.push({ to: from, status: 500, times: 2 });
    const sent = await world.exchange(from, {
      type: 'location',
      location: { latitude: 19.35, longitude: -99.16 },
    });
    expect(world.api.refused).toHaveLength(2);
    expect(sent.map((s) => s.type)).toEqual([
      'text',
      'text',
      'location',
      'text',
      'location',
      'interactive',
      'location',
    ]);
    expect(said(sent)).toMatch(/^📍 Las unidades más cercanas/);
  });

  it.each([
    ['throughput', 130429],
    ['pair rate limit', 131056],
    ['account rate limit', 80007],
  ])('retries a %s error (%i)', async (_what, code) => {
    const from = number(3);
    world.api.faults.push({ to: from, status: 400, code, times: 1 });
    expect(said(await world.ask(from, 'a que hora abren'))).toMatch(/8:00 a 20:00/);
    expect(world.api.refused).toEqual([{ to: from, code }]);
  });

  it('does not retry a refusal for the 24-hour window (131047): logged with its code and counted', async () => {
    const from = number(4);
    world.api.faults.push({ to: from, status: 400, code: 131047, times: 1 });
    expect(await world.ask(from, 'hola')).toEqual([]);
    expect(world.api.refused).toHaveLength(1);
    expect(world.channel.counters.outsideWindow).toBe(1);
    const line = world.logLines.map((l) => JSON.parse(l)).find((l) => l.code === 131047);
    expect(line).toMatchObject({ failure: 'fatal', status: 400 });
    expect(line.chat).toMatch(/^[\w-]{10}$/);
  });

  it('does not retry other 4xx answers', async () => {
    const from = number(5);
    world.api.faults.push({ to: from, status: 400, code: 100, times: 5 });
    await world.ask(from, 'a que hora abren');
    expect(world.api.refused).toHaveLength(1);
  });

  it('sends nothing free-form when the person last wrote more than 24 hours ago', async () => {
    const from = number(6);
    // Meta redelivers for days: a message from 25 hours ago can no longer be answered without a template.
    const old = { ...textFrom(from, 'hola'), timestamp: String(Math.floor(Date.now() / 1000) - 25 * 3600) };
    expect(await world.send(old)).toBe(200);
    await world.sentAll();
    expect(world.api.to(from)).toEqual([]);
    expect(world.api.refused).toEqual([]);
    expect(world.channel.counters.outsideWindow).toBeGreaterThan(0);
    // once they write again, the window is open again
    expect(said(await world.ask(from, 'hola'))).toMatch(/Soy VacunaBot/);
  });

  it('answers a burst of 200 messages from 50 numbers, each number in order, each message marked read', async () => {
    const questions: [string, RegExp][] = [
      ['hola', /Soy VacunaBot/],
      ['a que hora abren', /8:00 a 20:00/],
      ['como evito enfermarme de gripa', /cubrebocas/],
      ['cuanto cuesta la vacuna', /gratuit/],
    ];
    const people = Array.from({ length: 50 }, (_, i) => number(100 + i));
    const ids: string[] = [];
    // Each person writes one message after another; the 50 of them at the same time.
    await Promise.all(
      people.map(async (from) => {
        for (const [text] of questions) {
          const m = message(from, { type: 'text', text: { body: text } });
          ids.push(m.id);
          expect(await world.send(m)).toBe(200);
        }
      }),
    );
    await world.sentAll();
    for (const from of people) {
      const texts = world.api.texts(from);
      expect(texts).toHaveLength(4);
      questions.forEach(([, expected], i) => {
        expect(texts[i], `${from} answer ${i}`).toMatch(expected);
      });
    }
    await world.api.until(() => ids.every((id) => world.api.reads.includes(id)));
  });

  it('answers several messages of one webhook in their order', async () => {
    const from = number(7);
    const messages = [textFrom(from, 'hola'), textFrom(from, 'a que hora abren'), textFrom(from, 'gracias')];
    expect((await world.post(payload(messages))).status).toBe(200);
    await world.sentAll();
    const texts = world.api.texts(from);
    expect(texts[0]).toMatch(/Soy VacunaBot/);
    expect(texts[1]).toMatch(/8:00 a 20:00/);
    expect(texts[2]).toMatch(/Con gusto/);
  });
});
