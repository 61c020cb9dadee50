import { connect } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { HttpHost } from '../../src/http/host.js';

let host: HttpHost | undefined;
afterEach(async () => {
  await host?.stop(100);
  host = undefined;
});

async function started(setup: (h: HttpHost) => void = () => {}) {
  host = new HttpHost(0, undefined, '127.0.0.1');
  setup(host);
  await host.start();
  return `http://127.0.0.1:${host.boundPort()}`;
}

describe('the one HTTP host', () => {
  it('routes by method and path: 404 for an unknown path, 405 for a known path with another method', async () => {
    const base = await started((h) =>
      h.route('POST', '/telegram/webhook', (_req, res) => {
        res.writeHead(200).end('ok');
      }),
    );
    expect((await fetch(`${base}/telegram/webhook?x=1`, { method: 'POST', body: '{}' })).status).toBe(200);
    expect((await fetch(`${base}/telegram/webhook`)).status).toBe(405);
    expect((await fetch(`${base}/nothing`)).status).toBe(404);
  });

  it('answers a handler that throws with 500, and keeps serving', async () => {
    const base = await started((h) =>
      h.route('GET', '/boom', () => {
        throw new Error('boom');
      }),
    );
    expect((await fetch(`${base}/boom`)).status).toBe(500);
    expect((await fetch(`${base}/healthz`)).status).toBe(200);
  });

  it('tells the truth on /healthz: 503 naming the failing check, and a hung check counts as failed', async () => {
    let databaseUp = true;
    const base = await started((h) => {
      h.health('database', () => (databaseUp ? { ok: true } : { ok: false, detail: 'writes are failing' }));
      h.health('telegram', () => ({ ok: true }));
    });
    const first = await fetch(`${base}/healthz`);
    expect(first.status).toBe(200);
    expect(await first.json()).toEqual({
      ok: true,
      checks: { database: { ok: true }, telegram: { ok: true } },
    });
    databaseUp = false;
    const down = await fetch(`${base}/healthz`);
    expect(down.status).toBe(503);
    expect(await down.json()).toMatchObject({
      ok: false,
      checks: { database: { ok: false, detail: 'writes are failing' } },
    });
    host?.health('whatsapp', () => new Promise(() => {})); // never answers
    const hung = await fetch(`${base}/healthz`);
    expect(hung.status).toBe(503);
    expect(await hung.json()).toMatchObject({
      checks: { whatsapp: { ok: false, detail: 'no answer within 2000 ms' } },
    });
  }, 10_000);

  it('stops within its grace time even while a client holds a request open', async () => {
    const base = await started();
    const url = new URL(base);
    // A slow client: sends half a request and waits.
    const socket = connect(Number(url.port), url.hostname);
    await new Promise<void>((resolve) => socket.once('connect', () => resolve()));
    socket.write('POST /healthz HTTP/1.1\r\nHost: x\r\nContent-Length: 100\r\n\r\n{');
    socket.resume(); // read what the server sends, so the socket sees the server close it
    const closed = new Promise<void>((resolve) => socket.once('close', () => resolve()));
    const t0 = performance.now();
    await host?.stop(300);
    host = undefined;
    expect(performance.now() - t0).toBeLessThan(3_000);
    await closed;
  });
});
