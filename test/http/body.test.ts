import { request } from 'node:http';
import { afterEach, describe, expect, it } from 'vitest';
import { BodyTooLarge, readBody } from '../../src/http/body.js';
import { HttpHost } from '../../src/http/host.js';

let host: HttpHost | undefined;
afterEach(async () => {
  await host?.stop(100);
  host = undefined;
});

/** A host whose one route reads the body with a 1 KB limit and answers its length, or 413. */
async function started() {
  host = new HttpHost(0, undefined, '127.0.0.1');
  host.route('POST', '/in', async (req, res) => {
    try {
      const body = await readBody(req, 1024);
      res.writeHead(200).end(String(body.length));
    } catch (err) {
      if (!(err instanceof BodyTooLarge)) throw err;
      res.writeHead(413, { connection: 'close' }).end();
    }
  });
  await host.start();
  return host.boundPort() as number;
}

/** Posts with or without a Content-Length (chunked), so both ways of sending a body are checked. */
function post(port: number, body: string, chunked: boolean): Promise<{ status: number; text: string }> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, method: 'POST', path: '/in' }, (res) => {
      let text = '';
      res.on('data', (d) => {
        text += d;
      });
      res.on('end', () => resolve({ status: res.statusCode ?? 0, text }));
    });
    req.on('error', reject);
    if (!chunked) req.setHeader('content-length', Buffer.byteLength(body));
    req.end(body);
  });
}

describe('readBody', () => {
  it.each([false, true])('reads a body within the limit (chunked: %s)', async (chunked) => {
    const port = await started();
    expect(await post(port, 'x'.repeat(1024), chunked)).toEqual({ status: 200, text: '1024' });
  });

  it.each([false, true])('refuses a body over the limit with 413 (chunked: %s)', async (chunked) => {
    const port = await started();
    expect((await post(port, 'x'.repeat(64 * 1024), chunked)).status).toBe(413);
  });
});
