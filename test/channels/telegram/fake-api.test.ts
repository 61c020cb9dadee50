import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { FakeBotApi } from '../../../src/devtools/fake-telegram-bot-api.js';

let api: FakeBotApi;
let server: Server | undefined;
afterEach(async () => {
  await api.stop();
  server?.closeAllConnections();
  await new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve()));
  server = undefined;
});

const call = async (root: string, method: string, body: object = {}) => {
  const res = await fetch(`${root}/bot${api.token}/${method}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  return (await res.json()) as { ok: boolean; result: { update_id: number }[]; error_code?: number };
};

describe('the fake Bot API keeps updates until they are confirmed, as Telegram does', () => {
  it('getUpdates: returns unconfirmed updates again, at most 100, until an offset passes them', async () => {
    api = new FakeBotApi();
    const root = await api.start();
    for (let i = 0; i < 150; i++) api.text(1 + (i % 3), `m${i}`);
    const first = await call(root, 'getUpdates');
    expect(first.result).toHaveLength(100);
    expect((await call(root, 'getUpdates')).result[0]?.update_id).toBe(1); // not confirmed yet
    const next = await call(root, 'getUpdates', { offset: 101 });
    expect(next.result.map((u) => u.update_id)).toEqual(Array.from({ length: 50 }, (_, i) => 101 + i));
    expect(api.pending()).toBe(50);
  });

  it('webhook: posts with the secret, redelivers until a 2xx, one update per chat at a time, in order', async () => {
    api = new FakeBotApi(undefined, { webhookRetryMs: 20 });
    const root = await api.start();
    const seen: { id: number; chat: number; secret: unknown }[] = [];
    const busy = new Set<number>();
    let overlapped = false;
    server = createServer((req, res) => {
      let raw = '';
      req.on('data', (d) => {
        raw += d;
      });
      req.on('end', () => {
        const update = JSON.parse(raw) as { update_id: number; message: { chat: { id: number } } };
        const chat = update.message.chat.id;
        if (busy.has(chat)) overlapped = true;
        busy.add(chat);
        seen.push({ id: update.update_id, chat, secret: req.headers['x-telegram-bot-api-secret-token'] });
        // the first attempt at every update fails: each one must come again
        const status = seen.filter((s) => s.id === update.update_id).length === 1 ? 500 : 200;
        setTimeout(() => {
          busy.delete(chat);
          res.writeHead(status).end();
        }, 5);
      });
    });
    const s = server;
    await new Promise<void>((resolve) => s.listen(0, '127.0.0.1', resolve));
    for (let i = 0; i < 12; i++) api.text(1 + (i % 3), `m${i}`);
    await call(root, 'setWebhook', {
      url: `http://127.0.0.1:${(s.address() as AddressInfo).port}/hook`,
      secret_token: 'a-secret-of-16-chars',
    });
    expect((await call(root, 'getUpdates')).error_code).toBe(409);
    await api.until(() => api.pending() === 0);
    expect(overlapped).toBe(false);
    expect(seen).toHaveLength(24);
    expect(seen.every((x) => x.secret === 'a-secret-of-16-chars')).toBe(true);
    for (const chat of [1, 2, 3]) {
      const ids = seen.filter((x) => x.chat === chat).map((x) => x.id);
      expect(ids).toEqual([...ids].sort((a, b) => a - b)); // never a later update before an earlier one is done
    }
    expect(api.deliveries.filter((d) => d.status === 200)).toHaveLength(12);
  });

  it('webhook: keeps redelivering while nothing listens, and stop() ends it', async () => {
    api = new FakeBotApi(undefined, { webhookRetryMs: 20 });
    const root = await api.start();
    api.text(1, 'hola');
    const port = await new Promise<number>((resolve) => {
      const probe = createServer().listen(0, '127.0.0.1', () => {
        const { port } = probe.address() as AddressInfo;
        probe.close(() => resolve(port));
      });
    });
    await call(root, 'setWebhook', { url: `http://127.0.0.1:${port}/hook` });
    await api.until(() => api.deliveries.length >= 3);
    expect(api.deliveries.every((d) => d.status === 'error')).toBe(true);
    expect(api.pending()).toBe(1);
    await api.stop();
    const after = api.deliveries.length;
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(api.deliveries.length).toBe(after);
  });
});
