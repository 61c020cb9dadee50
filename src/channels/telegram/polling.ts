import { setTimeout as sleep } from 'node:timers/promises';
import { type Telegram, TelegramError } from 'telegraf';
import type { Update } from 'telegraf/types';

/** Waits between failed getUpdates calls: doubling from `firstMs` up to `maxMs`, reset by a success. */
export interface Backoff {
  firstMs: number;
  maxMs: number;
}
type CallApiOptions = Parameters<Telegram['callApi']>[2];

export const POLL_BACKOFF: Backoff = { firstMs: 1_000, maxMs: 60_000 };

/** How polling ended: stopped on shutdown, or on a failure no retry can fix (the reason is for the log). */
export type PollEnd = { kind: 'stopped' } | { kind: 'fatal'; reason: string; detail: string };

export const WRONG_TOKEN = 'the bot token is wrong';

export interface PollLog {
  warn(obj: object, msg: string): void;
  error(obj: object, msg: string): void;
}

/**
 * The failures of getUpdates that retrying cannot fix, with the line an operator needs. Telegram
 * answers 401 to a revoked token and 404 to a malformed one; 409 when another process polls with
 * the same token (or a webhook was set). 429, 5xx and network errors are worth retrying.
 */
export function fatalReason(err: unknown): string | undefined {
  if (!(err instanceof TelegramError)) return undefined;
  if (err.code === 401 || err.code === 404) return WRONG_TOKEN;
  if (err.code === 409) return 'another instance is polling with this token';
  if (err.code === 429 || err.code >= 500) return undefined;
  return `Telegram refused getUpdates (${err.code})`;
}

/**
 * Long polling, instead of telegraf's launch(): telegraf retries 5xx and network errors every 5 s
 * forever, but a 401/409 ends its loop quietly and the process then exits 0, which a supervisor
 * set to restart on failure takes as a clean stop. Here the end says why, and retries back off.
 */
export class Poller {
  private readonly abort = new AbortController();
  private offset = 0;

  constructor(
    private readonly telegram: Telegram,
    private readonly handle: (update: Update) => Promise<void>,
    private readonly log: PollLog,
    private readonly backoff: Backoff = POLL_BACKOFF,
  ) {}

  async run(): Promise<PollEnd> {
    const signal = this.abort.signal;
    let failures = 0;
    while (!signal.aborted) {
      let updates: Update[];
      try {
        updates = await this.telegram.callApi(
          'getUpdates',
          { timeout: 50, offset: this.offset, allowed_updates: [] },
          // telegraf types the signal of the abort-controller package; node-fetch takes the built-in one.
          { signal } as unknown as CallApiOptions,
        );
      } catch (err) {
        if (signal.aborted) break;
        const reason = fatalReason(err);
        if (reason) return { kind: 'fatal', reason, detail: describe(err) };
        const waitMs = this.delay(err, failures++);
        this.log.warn({ err: describe(err), retryInMs: waitMs }, 'Telegram getUpdates failed, retrying');
        await sleep(waitMs, undefined, { signal }).catch(() => {});
        continue;
      }
      failures = 0;
      const last = updates.at(-1);
      if (last) this.offset = last.update_id + 1;
      // bot.catch() handles a failing update; this only keeps a surprise from ending the loop.
      await Promise.all(updates.map((u) => this.handle(u).catch((err) => this.failed(err))));
    }
    await this.confirm();
    return { kind: 'stopped' };
  }

  /** Ends the loop; a getUpdates in flight is aborted. */
  stop(): void {
    this.abort.abort();
  }

  private delay(err: unknown, failures: number): number {
    const retryAfter = err instanceof TelegramError ? err.parameters?.retry_after : undefined;
    if (retryAfter !== undefined) return retryAfter * 1000;
    return Math.min(this.backoff.maxMs, this.backoff.firstMs * 2 ** failures);
  }

  /** Tells Telegram the updates handled last are done, or the next start would get them again. */
  private async confirm(): Promise<void> {
    if (this.offset === 0) return;
    await this.telegram.callApi('getUpdates', { offset: this.offset, limit: 1, timeout: 0 }).catch(() => {});
  }

  private failed(err: unknown) {
    this.log.error({ err: describe(err) }, 'Telegram update failed');
  }
}

/** An error for the log: code and description, never the message (a network error's names the URL, token included). */
function describe(err: unknown): string {
  if (err instanceof TelegramError) return `${err.code} ${err.description}`;
  if (err instanceof Error) {
    const code = (err as { code?: unknown }).code;
    return typeof code === 'string' ? `${err.name} ${code}` : err.name;
  }
  return typeof err;
}
