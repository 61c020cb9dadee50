import type { SendFailure } from '../../outbound/scheduler.js';
import { PAIR_RETRY_SECONDS } from './limits.js';

/**
 * Graph API error codes that matter for sending.
 * https://developers.facebook.com/docs/whatsapp/cloud-api/support/error-codes
 */
export const GRAPH_CODES = {
  /** Throughput of the number exceeded. */
  THROUGHPUT: 130429,
  /** Too many messages to the same person in a short time (pair rate limit). */
  PAIR_RATE: 131056,
  /** Rate limit of the WhatsApp Business Account. */
  ACCOUNT_RATE: 80007,
  /** More than 24 hours since the person last wrote: only a template may be sent. */
  OUTSIDE_WINDOW: 131047,
  /** The access token expired or was revoked. */
  TOKEN: 190,
  /** Unknown error / service temporarily unavailable / application request limit. */
  UNKNOWN: 1,
  SERVICE: 2,
  APP_RATE: 4,
} as const;

const RETRY_CODES = new Set<number>([
  GRAPH_CODES.THROUGHPUT,
  GRAPH_CODES.ACCOUNT_RATE,
  GRAPH_CODES.UNKNOWN,
  GRAPH_CODES.SERVICE,
  GRAPH_CODES.APP_RATE,
]);

/** An error answer of the Graph API: the HTTP status and Meta's code, never the request's content. */
export class GraphApiError extends Error {
  override readonly name = 'GraphApiError';
  constructor(
    readonly status: number,
    readonly code: number | undefined,
    readonly title: string,
  ) {
    super(`HTTP ${status}${code === undefined ? '' : `, code ${code}`}: ${title}`);
  }
}

/** Not sent: the person's last message is known to be older than 24 hours (no template configured). */
export class OutsideWindowError extends Error {
  override readonly name = 'OutsideWindowError';
  constructor() {
    super('outside the 24-hour customer service window');
  }
}

/** Whether a failure is the 24-hour window's, found by us or by Meta (131047): counted, not retried. */
export const isWindowError = (err: unknown): boolean =>
  err instanceof OutsideWindowError ||
  (err instanceof GraphApiError && err.code === GRAPH_CODES.OUTSIDE_WINDOW);

/**
 * What a failed send means for the outbound queue: throughput errors, 5xx and network trouble
 * (fetch's TypeError, a timeout) retry with backoff; the pair rate limit waits its 6 s; the
 * 24-hour window and any other 4xx cannot succeed by retrying.
 */
export function classifyCloudError(err: unknown): SendFailure {
  if (err instanceof OutsideWindowError) return { kind: 'fatal' };
  if (err instanceof GraphApiError) {
    if (err.code === GRAPH_CODES.PAIR_RATE) return { kind: 'retry-after', seconds: PAIR_RETRY_SECONDS };
    if (err.code !== undefined && RETRY_CODES.has(err.code)) return { kind: 'transient' };
    if (err.code === GRAPH_CODES.OUTSIDE_WINDOW) return { kind: 'fatal' };
    if (err.status >= 500 || err.status === 429) return { kind: 'transient' };
    return { kind: 'fatal' };
  }
  return { kind: 'transient' };
}
