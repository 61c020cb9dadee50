import { redact } from '../whatsapp/privacy.js';
import { GraphApiError } from './errors.js';
import { REQUEST_TIMEOUT_MS } from './limits.js';
import type { CloudMessage } from './render.js';

/** Meta's error body: `{ error: { code, message, error_data: { details } } }`. */
interface GraphErrorBody {
  error?: { code?: number; message?: string };
}

/**
 * The few Graph API calls the channel makes, with Node's fetch (no SDK: three endpoints), each
 * bounded in time. Failures become a GraphApiError (status and Meta's code) or fetch's own
 * network/timeout error, for classifyCloudError.
 * https://developers.facebook.com/docs/whatsapp/cloud-api/reference/messages
 */
export class GraphApi {
  private readonly messages: string;

  constructor(
    private readonly root: string,
    private readonly phoneNumberId: string,
    private readonly token: string,
    private readonly timeoutMs = REQUEST_TIMEOUT_MS,
  ) {
    this.messages = `${root.replace(/\/+$/, '')}/${phoneNumberId}/messages`;
  }

  /** Sends one message to a WhatsApp user id (`wa_id`). */
  send(to: string, message: CloudMessage): Promise<unknown> {
    return this.post(this.messages, {
      messaging_product: 'whatsapp',
      recipient_type: 'individual',
      to,
      ...message,
    });
  }

  /** Marks an incoming message read (blue ticks): the person sees their question was taken. */
  markRead(messageId: string): Promise<unknown> {
    return this.post(this.messages, { messaging_product: 'whatsapp', status: 'read', message_id: messageId });
  }

  /** The phone number's own record: a start-up check that the token and the id are right. */
  async whoAmI(): Promise<unknown> {
    const url = `${this.root.replace(/\/+$/, '')}/${this.phoneNumberId}?fields=id,quality_rating`;
    const res = await fetch(url, {
      headers: { authorization: `Bearer ${this.token}` },
      signal: AbortSignal.timeout(this.timeoutMs),
    });
    return this.read(res);
  }

  private async post(url: string, body: object): Promise<unknown> {
    const res = await fetch(url, {
      method: 'POST',
      headers: { authorization: `Bearer ${this.token}`, 'content-type': 'application/json' },
      body: JSON.stringify(body),
      signal: AbortSignal.timeout(this.timeoutMs),
    });
    return this.read(res);
  }

  private async read(res: Response): Promise<unknown> {
    const text = await res.text();
    let json: unknown;
    try {
      json = text ? JSON.parse(text) : undefined;
    } catch {
      json = undefined;
    }
    if (res.ok) return json;
    const error = (json as GraphErrorBody | undefined)?.error;
    const code = typeof error?.code === 'number' ? error.code : undefined;
    // Meta's message names the problem, not the recipient; redacted anyway, in case it quotes a number.
    throw new GraphApiError(res.status, code, redact(error?.message ?? res.statusText));
  }
}
