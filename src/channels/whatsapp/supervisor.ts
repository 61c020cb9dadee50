import { sleep, withTimeout } from '../../timers.js';
import { type DisposeOptions, disposeClient } from './client.js';
import { NotReadyError } from './errors.js';
import type { WhatsAppLog } from './log.js';
import { describeError } from './privacy.js';
import { type Client, Events } from './wwebjs.js';

export interface SupervisorOptions extends DisposeOptions {
  /** initialize() opens WhatsApp Web in Chromium; past this it is taken as hung. */
  initTimeoutMs: number;
  /** Backoff before re-creating the client: base × 2^(failures − 1), at most max. */
  backoffBaseMs: number;
  backoffMaxMs: number;
  /** Consecutive failed runs (none reached 'ready') before giving up. */
  maxAttempts: number;
}

export const DEFAULT_SUPERVISOR: SupervisorOptions = {
  // Loading WhatsApp Web and its ~20 MB of scripts on a small server can take a minute.
  initTimeoutMs: 120_000,
  destroyTimeoutMs: 10_000,
  exitGraceMs: 3_000,
  lateLaunchWatchMs: 60_000,
  backoffBaseMs: 5_000,
  backoffMaxMs: 5 * 60_000,
  maxAttempts: 8,
};

export type SupervisorEnd = 'stopped' | 'gave-up';

/** How one client's run ended. */
interface RunEnd {
  reason: string;
  wasReady: boolean;
}

/**
 * Keeps one whatsapp-web.js client alive. whatsapp-web.js does not reconnect on its own: after
 * 'disconnected' it destroys itself, a failed restore ends in 'auth_failure', and initialize()
 * can fail or hang (no network, WhatsApp Web changed). Each time the old client and its
 * Chromium are ended first (see disposeClient), then a new client is created after a bounded
 * exponential backoff, until `maxAttempts` runs in a row fail.
 */
export class ClientSupervisor {
  private client: Client | undefined;
  private ready = false;
  private readonly waiters = new Set<() => void>();
  private readonly stopping = new AbortController();
  private endRun: ((reason: string) => void) | undefined;
  private running: Promise<SupervisorEnd> | undefined;
  private settle: (end: SupervisorEnd) => void = () => {};
  /** Settles when the loop ends: 'stopped' by stop(), or 'gave-up' after the bounded attempts. */
  readonly finished = new Promise<SupervisorEnd>((resolve) => {
    this.settle = resolve;
  });
  /** The loop has ended (stopped or gave up): no client will come. */
  private over = false;

  constructor(
    private readonly create: () => Client,
    /** Wires the adapter (and pairing) to each new client before it initializes. */
    private readonly attach: (client: Client) => void,
    private readonly options: SupervisorOptions,
    private readonly log: WhatsAppLog,
  ) {}

  /** Starts the loop (once); `finished` tells how it ended. */
  start(): void {
    this.running ??= this.loop();
  }

  /** The connected client, waiting up to `timeoutMs` for one (during pairing or a reconnect). */
  async whenReady(timeoutMs: number): Promise<Client> {
    if (this.ready && this.client) return this.client;
    if (this.over) throw new NotReadyError();
    let wake: (() => void) | undefined;
    const woken = new Promise<void>((resolve) => {
      wake = resolve;
      this.waiters.add(resolve);
    });
    try {
      await withTimeout(woken, timeoutMs, () => new NotReadyError());
    } finally {
      if (wake) this.waiters.delete(wake);
    }
    if (this.ready && this.client) return this.client;
    throw new NotReadyError();
  }

  /** Stops re-creating, ends the current client and its browser. */
  async stop(): Promise<void> {
    this.stopping.abort();
    this.endRun?.('stopped');
    if (this.running) await this.running;
    else this.finish('stopped');
  }

  private async loop(): Promise<SupervisorEnd> {
    const { maxAttempts, backoffBaseMs, backoffMaxMs } = this.options;
    let failures = 0;
    for (;;) {
      const end = await this.runOnce();
      if (this.stopping.signal.aborted) break;
      // Failures are runs in a row that never reached 'ready': a client that worked and then
      // dropped is always re-created, and the count starts afresh.
      failures = end.wasReady ? 0 : failures + 1;
      if (failures >= maxAttempts) {
        this.log.error(
          { attempts: failures, reason: end.reason },
          `WhatsApp: giving up after ${failures} failed attempts in a row; check the network and the session, then restart the bot`,
        );
        return this.finish('gave-up');
      }
      const delay = Math.min(backoffBaseMs * 2 ** Math.max(failures - 1, 0), backoffMaxMs);
      this.log.warn(
        { reason: end.reason, failures, retryInMs: delay },
        'WhatsApp client ended; re-creating it',
      );
      await sleep(delay, this.stopping.signal);
      if (this.stopping.signal.aborted) break;
    }
    return this.finish('stopped');
  }

  /** One client from creation to its end, always disposed of before returning. */
  private async runOnce(): Promise<RunEnd> {
    let client: Client;
    try {
      client = this.create();
    } catch (err) {
      return { reason: `client not created: ${describeError(err).message}`, wasReady: false };
    }
    this.client = client;
    let wasReady = false;
    const ended = new Promise<string>((resolve) => {
      this.endRun = resolve;
      client.once(Events.DISCONNECTED, (reason: unknown) => resolve(`disconnected: ${String(reason)}`));
      client.once(Events.AUTHENTICATION_FAILURE, () => resolve('auth_failure'));
    });
    client.on(Events.READY, () => {
      wasReady = true;
      this.ready = true;
      this.wakeWaiters();
    });
    this.attach(client);

    let init: Promise<void> | undefined;
    let reason: string;
    if (this.stopping.signal.aborted) reason = 'stopped';
    else {
      init = client.initialize();
      const initialized = withTimeout(
        init,
        this.options.initTimeoutMs,
        () => new Error('initialize timed out'),
      )
        .then(() => undefined)
        .catch((err: unknown) => `initialize failed: ${describeError(err).message}`);
      // Whichever comes first: initialize() failing or hanging, or the run ending meanwhile.
      reason = (await Promise.race([initialized, ended])) ?? (await ended);
    }

    this.ready = false;
    this.client = undefined;
    this.endRun = undefined;
    const { destroyed } = await disposeClient(client, init, this.options);
    if (destroyed !== 'ok')
      this.log.warn({ destroyed }, 'WhatsApp client did not close cleanly; browser killed');
    client.removeAllListeners();
    return { reason, wasReady };
  }

  private finish(end: SupervisorEnd): SupervisorEnd {
    this.over = true;
    this.settle(end);
    this.wakeWaiters();
    return end;
  }

  private wakeWaiters(): void {
    for (const wake of this.waiters) wake();
    this.waiters.clear();
  }
}
