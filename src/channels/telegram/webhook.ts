import type { ServerResponse } from 'node:http';
import type { Update } from 'telegraf/types';
import { z } from 'zod';
import { BodyTooLarge, readBody } from '../../http/body.js';
import type { Handler } from '../../http/host.js';
import { sameSecret } from '../../http/secret.js';

/** The header Telegram sends with the secret_token given to setWebhook (Bot API, setWebhook). */
const SECRET_HEADER = 'x-telegram-bot-api-secret-token';

/** What we require of an update before telegraf sees it; telegraf reads the rest by update kind. */
const UpdateSchema = z.looseObject({ update_id: z.number().int() });

export interface WebhookOptions {
  /** When set, a request without this exact secret is refused (403) and never read. */
  secret?: string;
  /** Processes one valid update (telegraf's handleUpdate); the answer waits for it. */
  handle(update: Update): Promise<void>;
  log: { warn(obj: object, msg: string): void; error(obj: object, msg: string): void };
}

/**
 * Our own webhook route instead of telegraf's webhookCallback: the secret compared in constant
 * time, the body bounded, the update validated (a JSON `null` used to crash the process on
 * `update_id`). A valid update is answered 200 even when handling it failed: Telegram redelivers
 * on any other status, forever, and a poison update would hold back everyone's messages behind it.
 */
export function telegramWebhook(options: WebhookOptions): Handler {
  const { secret, handle, log } = options;
  // Rejected bodies are logged once per kind (without the body): a flood must not flood the log.
  const seen = new Set<string>();
  const reject = (res: ServerResponse, status: number, kind: string) => {
    if (!seen.has(kind)) {
      seen.add(kind);
      log.warn({ status, kind }, 'Telegram webhook: request refused');
    }
    res.writeHead(status, status === 413 ? { connection: 'close' } : {}).end();
  };
  return async (req, res) => {
    if (secret !== undefined && !sameSecret(req.headers[SECRET_HEADER], secret))
      return reject(res, 403, 'wrong or missing secret');
    let raw: string;
    try {
      raw = await readBody(req);
    } catch (err) {
      if (err instanceof BodyTooLarge) return reject(res, 413, 'body too large');
      throw err;
    }
    let json: unknown;
    try {
      json = JSON.parse(raw);
    } catch {
      return reject(res, 400, 'not JSON');
    }
    const parsed = UpdateSchema.safeParse(json);
    if (!parsed.success) return reject(res, 400, `not an update (${describe(json)})`);
    try {
      await handle(parsed.data as unknown as Update);
    } catch (err) {
      log.error({ err: err instanceof Error ? err.name : String(err) }, 'Telegram webhook: update failed');
    }
    res.writeHead(200).end();
  };
}

/** The shape of a rejected body, for the log: never its content. */
function describe(json: unknown): string {
  if (json === null) return 'null';
  if (Array.isArray(json)) return 'array';
  if (typeof json === 'object') return 'object without an integer update_id';
  return typeof json;
}
