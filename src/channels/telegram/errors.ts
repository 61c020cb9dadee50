import { TelegramError } from 'telegraf';
import type { SendFailure } from '../../outbound/scheduler.js';

/**
 * Telegram's answers mapped to what the outbound queue should do (see Botpress's telegram
 * integration for the same idea): 429 wait as told, 403 stop that chat, 5xx and network retry.
 */
export function classifyTelegramError(err: unknown): SendFailure {
  if (err instanceof TelegramError) {
    if (err.code === 429) return { kind: 'retry-after', seconds: err.parameters?.retry_after ?? 1 };
    if (err.code === 403) return { kind: 'blocked' };
    if (err.code >= 500) return { kind: 'transient' };
    return { kind: 'fatal' };
  }
  // node-fetch FetchError, ECONNRESET, timeouts: the request may not have arrived; try again.
  return { kind: 'transient' };
}
