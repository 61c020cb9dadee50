import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { message, payload, sign, textFrom, VERIFY_TOKEN, World } from './world.js';

let world: World;
beforeEach(async () => {
  world = await new World().start({ ackWithinMs: 300 });
});
afterEach(async () => {
  await world.stop();
});

const verify = (query: Record<string, string>) =>
  fetch(`${world.base}/whatsapp/webhook?${new URLSearchParams(query)}`);
/** Log lines as objects, for fields. */
const logged = () => world.logLines.map((l) => JSON.parse(l) as Record<string, unknown>);
const refusals = () => logged().filter((l) => l.msg === 'WhatsApp webhook: request refused');

describe('the WhatsApp Cloud webhook: verification', () => {
  it('echoes the challenge for the right verify token', async () => {
    const res = await verify({
      'hub.mode': 'subscribe',
      'hub.verify_token': VERIFY_TOKEN,
      'hub.challenge': '1158201444',
    });
    expect(res.status).toBe(200);
    expect(await res.text()).toBe('1158201444');
  });

  it.each([
    [
      'a wrong token',
      { 'hub.mode': 'subscribe', 'hub.verify_token': 'not-the-token', 'hub.challenge': '42' },
    ],
    ['no token', { 'hub.mode': 'subscribe', 'hub.challenge': '42' }],
    ['another mode', { 'hub.mode': 'unsubscribe', 'hub.verify_token': VERIFY_TOKEN, 'hub.challenge': '42' }],
  ])('refuses %s with 403', async (_what, query) => {
    const res = await verify(query);
    expect(res.status).toBe(403);
    expect(await res.text()).toBe('');
  });
});

describe('the WhatsApp Cloud webhook: posts', () => {
  it('refuses unsigned and wrongly signed posts with 401 and processes nothing', async () => {
    const from = '5215510000001';
    const hello = textFrom(from, 'hola', 'wamid.refused-then-signed');
    const body = JSON.stringify(payload([hello]));
    expect((await world.post(body, null)).status).toBe(401);
    expect((await world.post(body, sign(body, 'another-app-secret-0123456789'))).status).toBe(401);
    expect((await world.post(body, 'sha256=zz')).status).toBe(401);
    expect((await world.post(`${body} `, sign(body))).status).toBe(401);
    await world.sentAll();
    expect(world.api.to(from)).toEqual([]);
    expect(world.api.reads).toEqual([]);
    // Had any of them been processed, this same message id would now be a repeat, not answered.
    expect((await world.post(body)).status).toBe(200);
    await world.sentAll();
    expect(world.api.texts(from).join('\n')).toMatch(/Soy VacunaBot/);
    expect(refusals().map((l) => l.kind)).toEqual(['unsigned', 'wrong signature']);
  });

  it('answers a body over 1 MB with 413 and processes nothing', async () => {
    const from = '5215510000002';
    const big = payload([textFrom(from, 'x'.repeat(1024 * 1024 + 10))]);
    expect((await world.post(big)).status).toBe(413);
    expect(world.api.to(from)).toEqual([]);
  });

  it.each([
    ['text that is not JSON', 'hub=1'],
    ['null', 'null'],
    ['an object without entries', '{"object":"whatsapp_business_account"}'],
    [
      'a message without a sender',
      JSON.stringify(payload([{ id: 'wamid.1', type: 'text', text: { body: 'hola' } }])),
    ],
  ])('answers %s with 400, logged once per kind without the body', async (_what, body) => {
    expect((await world.post(body)).status).toBe(400);
    expect((await world.post(body)).status).toBe(400);
    expect(await world.send(textFrom('5215510000003', 'hola'))).toBe(200);
    const refused = refusals();
    expect(refused).toHaveLength(1);
    expect(Object.keys(refused[0] ?? {}).sort()).toEqual([
      'channel',
      'kind',
      'level',
      'msg',
      'status',
      'time',
    ]);
  });

  it('answers 200 only once the replies are stored, and then marks the message read', async () => {
    const from = '5215510000004';
    const hello = textFrom(from, 'a que hora abren');
    expect(await world.send(hello)).toBe(200);
    // stored before the 200: the reply is already queued or sent, and its outbox row written
    await world.sentAll();
    expect(world.api.texts(from).join('\n')).toMatch(/8:00 a 20:00/);
    await world.api.until(() => world.api.reads.includes(hello.id));
  });

  it('answers 200 after the time limit when the store is slow, logged once, and marks read only once stored', async () => {
    let release: () => void = () => {};
    const stored = new Promise<void>((resolve) => {
      release = resolve;
    });
    const saved = world.app.runner.saved.bind(world.app.runner);
    vi.spyOn(world.app.runner, 'saved').mockImplementation(() => stored.then(saved));
    const hello = textFrom('5215510000005', 'hola');
    expect(await world.send(hello)).toBe(200);
    expect(await world.send(textFrom('5215510000006', 'hola'))).toBe(200);
    expect(logged().filter((l) => l.kind === 'late')).toHaveLength(1);
    expect(world.api.reads).toEqual([]);
    release();
    await world.api.until(() => world.api.reads.includes(hello.id));
  });

  it('answers 503 while stopping, so that Meta redelivers', async () => {
    await world.channel.stop();
    expect(await world.send(textFrom('5215510000007', 'hola'))).toBe(503);
    expect(world.api.to('5215510000007')).toEqual([]);
  });

  it('logs a failed delivery status with its error code and the chat tag, never the number', async () => {
    const status = {
      id: 'wamid.out.77',
      status: 'failed',
      timestamp: '1733300000',
      recipient_id: '5215510000008',
      errors: [{ code: 131026, title: 'Message undeliverable' }],
    };
    const delivered = { ...status, id: 'wamid.out.78', status: 'delivered', errors: undefined };
    expect((await world.post(payload([], [status, delivered]))).status).toBe(200);
    const failures = logged().filter((l) => l.msg === 'WhatsApp reported a message not delivered');
    expect(failures).toHaveLength(1);
    expect(failures[0]).toMatchObject({ code: 131026, title: 'Message undeliverable' });
    expect(String(failures[0]?.chat)).toMatch(/^[\w-]{10}$/);
    expect(world.logLines.join('\n')).not.toContain('5215510000008');
    expect(world.channel.counters.failedStatuses).toBe(1);
  });

  it('ignores messages addressed to another phone number of the same app', async () => {
    const other = payload(
      [message('5215510000009', { type: 'text', text: { body: 'hola' } })],
      [],
      '999999999',
    );
    expect((await world.post(other)).status).toBe(200);
    await world.sentAll();
    expect(world.api.to('5215510000009')).toEqual([]);
  });
});
