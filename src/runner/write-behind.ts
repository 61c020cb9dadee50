/**
 * Writes to a store later and together, and again after a failure: a busy or unreachable
 * database delays what is written, never loses it, and never reaches the person (the bot keeps
 * answering from what it holds in memory). Shared by the session buffer and the statistics.
 */

export interface WriteBehindOptions {
  /** Writes at once when this many changes are waiting (otherwise on the next turn of the event loop). */
  batch: number;
  /** First wait after a failed write, doubled each time up to maxBackoffMs. */
  backoffMs: number;
  maxBackoffMs: number;
  /** A failure episode began (told once per episode, not once per attempt). */
  onFailing(err: unknown): void;
  /** The store took the writes again after `attempts` failed ones. */
  onRecovered(attempts: number): void;
}

/**
 * Sessions: changes are written on the next turn of the event loop, or within a long burst once
 * 256 are waiting (a few hundred kB). A burst's changes of one person then often land as one row:
 * the engine bench ran at ~18,000 messages/s with 64 and ~24,000 with 256 (measured).
 */
export const WRITE_BEHIND_DEFAULTS = { batch: 256, backoffMs: 100, maxBackoffMs: 5_000 };

export class WriteBehind {
  private scheduled: NodeJS.Immediate | NodeJS.Timeout | undefined;
  private running: Promise<void> | undefined;
  private failures = 0;

  constructor(
    /** Takes what is pending and writes it; on failure puts it back and throws. */
    private readonly write: () => void | Promise<void>,
    private readonly pending: () => number,
    private readonly options: WriteBehindOptions,
  ) {}

  /** Something changed: write soon (at once when a batch is full), unless a retry is already waiting. */
  changed(): void {
    if (this.failures > 0 || this.running) return;
    if (this.pending() >= this.options.batch) void this.flush();
    else this.scheduled ??= setImmediate(() => void this.flush());
  }

  /** Writes what is pending now. Never rejects: a failure is told once and retried with backoff. */
  flush(): Promise<void> {
    this.clear();
    if (this.running) return this.running;
    if (!this.pending()) return Promise.resolve();
    let result: void | Promise<void>;
    try {
      result = this.write();
    } catch (err) {
      this.failed(err);
      return Promise.resolve();
    }
    if (!(result instanceof Promise)) {
      this.succeeded();
      return Promise.resolve();
    }
    this.running = result.then(
      () => this.succeeded(),
      (err: unknown) => this.failed(err),
    );
    return this.running.finally(() => {
      this.running = undefined;
    });
  }

  /** Whether the last write failed (and a retry is waiting). */
  get failing(): boolean {
    return this.failures > 0;
  }

  /** For shutdown: tries until nothing is pending or `deadline` (ms since epoch) passes. */
  async settle(deadline: number): Promise<boolean> {
    for (let wait = this.options.backoffMs; ; wait = Math.min(wait * 2, this.options.maxBackoffMs)) {
      await this.flush();
      if (!this.pending()) return true;
      if (Date.now() + wait > deadline) return false;
      await new Promise((resolve) => setTimeout(resolve, wait));
    }
  }

  /** Stops timers (shutdown after settle). */
  close(): void {
    this.clear();
  }

  private succeeded(): void {
    if (this.failures > 0) this.options.onRecovered(this.failures);
    this.failures = 0;
    // More may have arrived while an asynchronous write ran.
    if (this.pending()) this.changed();
  }

  private failed(err: unknown): void {
    if (this.failures === 0) this.options.onFailing(err);
    this.failures++;
    const wait = Math.min(this.options.backoffMs * 2 ** (this.failures - 1), this.options.maxBackoffMs);
    this.scheduled = setTimeout(() => void this.flush(), wait);
  }

  private clear(): void {
    if (this.scheduled) {
      clearImmediate(this.scheduled as NodeJS.Immediate);
      clearTimeout(this.scheduled as NodeJS.Timeout);
    }
    this.scheduled = undefined;
  }
}
