import type { SendFailure } from '../../outbound/scheduler.js';

/** No connected client to send with (reconnecting, pairing, given up) within the wait. */
export class NotReadyError extends Error {
  override readonly name = 'NotReadyError';
  constructor() {
    super('no connected WhatsApp client');
  }
}

/** A send that did not finish in time: it may be lost between us and the page. */
export class SendTimeoutError extends Error {
  override readonly name = 'SendTimeoutError';
  constructor(ms: number) {
    super(`send did not finish within ${ms} ms`);
  }
}

/** WhatsApp Web answered without a message: the chat is unknown to it (whatsapp-web.js returns undefined). */
export class NotDeliveredError extends Error {
  override readonly name = 'NotDeliveredError';
  constructor() {
    super('WhatsApp Web returned no message for this send');
  }
}

/** Puppeteer's errors when the browser, page or connection went away, or a call timed out. */
const TRANSIENT_NAMES = new Set([
  'ProtocolError',
  'TargetCloseError',
  'TimeoutError',
  'ConnectionClosedError',
]);
const TRANSIENT_MESSAGES =
  /Protocol error|Target closed|Session closed|Connection closed|Execution context was destroyed|Cannot find context|frame was detached|WebSocket is not open|net::ERR_/i;
const TRANSIENT_CODES = new Set([
  'ECONNRESET',
  'ECONNREFUSED',
  'ETIMEDOUT',
  'EPIPE',
  'EAI_AGAIN',
  'ENOTFOUND',
]);
/** The page reloaded and whatsapp-web.js has not re-injected its helpers yet: they come back. */
const NOT_INJECTED = /Evaluation failed:.*WWebJS/is;

/**
 * What a failed send means for the outbound queue. Network and protocol trouble (and our own
 * not-ready and timeout) may pass: retry with backoff. Anything else — an error raised inside
 * WhatsApp Web for this chat or content — will fail the same way again: drop it (logged, no
 * content). WhatsApp has no "blocked" or "retry after" answer for linked devices.
 */
export function classifySendError(err: unknown): SendFailure {
  if (err instanceof NotReadyError || err instanceof SendTimeoutError) return { kind: 'transient' };
  if (err instanceof NotDeliveredError) return { kind: 'fatal' };
  if (err instanceof Error) {
    const code = (err as NodeJS.ErrnoException).code;
    if (TRANSIENT_NAMES.has(err.name) || (code && TRANSIENT_CODES.has(code))) return { kind: 'transient' };
    if (TRANSIENT_MESSAGES.test(err.message) || NOT_INJECTED.test(err.message)) return { kind: 'transient' };
  }
  return { kind: 'fatal' };
}
