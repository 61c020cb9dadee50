import { createHmac, timingSafeEqual } from 'node:crypto';
import type { ServerResponse } from 'node:http';
import { BodyTooLarge, readRawBody } from '../../http/body.js';
import type { Handler } from '../../http/host.js';
import { sameSecret } from '../../http/secret.js';
import { withTimeout } from '../../timers.js';
import { WebhookPayload } from './inbound.js';
import { ACK_WITHIN_MS } from './limits.js';

/** Meta signs each POST with the app secret: `sha256=<hex HMAC-SHA256 of the raw body>`. */
const SIGNATURE_HEADER = 'x-hub-signature-256';

export interface CloudWebhookOptions {
  appSecret: string;
  /** Decides the payload's messages; resolves once their replies and sessions are stored. */
  handle(payload: WebhookPayload): Promise<void>;
  log: { warn(obj: object, msg: string): void; error(obj: object, msg: string): void };
  /** False while stopping: 503, so Meta redelivers the payload to the next start. */
  accepting(): boolean;
  /** How long the 200 may wait for handle() (tests shorten it). */
  ackWithinMs?: number;
}

/** Whether the header is the HMAC of these exact bytes, compared in constant time. */
export function validSignature(header: string | string[] | undefined, raw: Buffer, secret: string): boolean {
  if (typeof header !== 'string' || !header.startsWith('sha256=')) return false;
  const sent = Buffer.from(header.slice('sha256='.length), 'hex');
  const expected = createHmac('sha256', secret).update(raw).digest();
  return sent.length === expected.length && timingSafeEqual(sent, expected);
}

/**
 * GET: Meta's subscription check (the verify token compared in constant time, the challenge
 * echoed). https://developers.facebook.com/docs/graph-api/webhooks/getting-started#verification-requests
 */
export function cloudVerify(verifyToken: string): Handler {
  return (req, res) => {
    const query = new URL(req.url ?? '/', 'http://localhost').searchParams;
    const challenge = query.get('hub.challenge') ?? '';
    const ok =
      query.get('hub.mode') === 'subscribe' &&
      sameSecret(query.get('hub.verify_token') ?? undefined, verifyToken) &&
      /^[\w.-]{1,256}$/.test(challenge);
    if (!ok) return void res.writeHead(403).end();
    res.writeHead(200, { 'content-type': 'text/plain' }).end(challenge);
  };
}

/**
 * POST: only a body signed with the app secret is read (401 otherwise, nothing processed); the
 * body is bounded (413) and validated (400). A valid payload is answered 200 once its messages are
 * decided and stored, or after ACK_WITHIN_MS at most: Meta retries anything else for days, and
 * a redelivery is answered once (the runner de-duplicates by message id). Refusals are logged
 * once per kind, without the body.
 */
export function cloudWebhook(options: CloudWebhookOptions): Handler {
  const { appSecret, handle, log } = options;
  const ackWithin = options.ackWithinMs ?? ACK_WITHIN_MS;
  const seen = new Set<string>();
  const once = (kind: string, fields: object, msg: string) => {
    if (seen.has(kind)) return;
    seen.add(kind);
    log.warn({ ...fields, kind }, msg);
  };
  const reject = (res: ServerResponse, status: number, kind: string) => {
    once(kind, { status }, 'WhatsApp webhook: request refused');
    res.writeHead(status, status === 413 ? { connection: 'close' } : {}).end();
  };
  return async (req, res) => {
    // Checked before reading: a request without a signature is never read.
    if (typeof req.headers[SIGNATURE_HEADER] !== 'string') return reject(res, 401, 'unsigned');
    let raw: Buffer;
    try {
      raw = await readRawBody(req);
    } catch (err) {
      if (err instanceof BodyTooLarge) return reject(res, 413, 'body too large');
      throw err;
    }
    if (!validSignature(req.headers[SIGNATURE_HEADER], raw, appSecret))
      return reject(res, 401, 'wrong signature');
    let json: unknown;
    try {
      json = JSON.parse(raw.toString('utf8'));
    } catch {
      return reject(res, 400, 'not JSON');
    }
    const parsed = WebhookPayload.safeParse(json);
    if (!parsed.success) return reject(res, 400, 'not a WhatsApp webhook payload');
    if (!options.accepting()) return void res.writeHead(503).end();
    const handled = handle(parsed.data).catch((err: unknown) => {
      log.error({ err: err instanceof Error ? err.name : String(err) }, 'WhatsApp webhook: payload failed');
    });
    try {
      await withTimeout(handled, ackWithin, () => new Error('late'));
    } catch {
      once(
        'late',
        { ms: ackWithin },
        'WhatsApp webhook: answered before its messages were stored (slow store)',
      );
    }
    res.writeHead(200).end();
  };
}
