/**
 * One outbound scheduler per channel: replies to one chat go out in order, paced per chat and
 * overall (platforms ban or drop bursts), and platform errors are retried or stop that chat, so a
 * fault never loses a reply silently nor takes the bot down.
 *
 * Cheap under a backlog: queued sends are plain list nodes, not promises or sleepers. Chats whose
 * next send may go now wait in a FIFO, chats waiting on pacing or a retry in a min-heap by due time,
 * and a single timer wakes the scheduler at the next moment anything can happen (none when idle).
 */

import { BoundedSet, LruMap } from '../bounded.js';

/** What a failed send means, as decided by the channel that knows its platform's errors. */
export type SendFailure =
  | { kind: 'retry-after'; seconds: number } // rate limited: wait exactly that long (Telegram 429)
  | { kind: 'transient' } // 5xx, network: retry with backoff
  | { kind: 'blocked' } // the user blocked the bot (Telegram 403): stop sending to that chat
  | { kind: 'fatal' }; // a bad request: retrying cannot help

export interface ChannelLimits {
  /** Per chat: sustained sends per second and the short burst allowed. */
  perChatPerSecond: number;
  perChatBurst: number;
  /** All chats together. */
  globalPerSecond: number;
  /** Attempts for one send before it is given up (and reported). */
  maxAttempts: number;
  /** First backoff for transient failures, doubled each attempt. */
  backoffMs: number;
  /** Longest single wait, whatever the platform asks. */
  maxWaitMs: number;
  /** Queued sends (all chats) beyond which the oldest non-urgent ones are shed. */
  maxBacklog: number;
}

export interface SchedulerEvents {
  /** A send given up after its attempts, or refused as fatal. */
  onDropped?(chat: string, failure: SendFailure['kind'], err: unknown): void;
  /** The chat blocked the bot: what was queued for it is dropped. */
  onBlocked?(chat: string): void;
  /** `count` queued sends for this chat were shed because the backlog was full. */
  onShed?(chat: string, count: number): void;
}

export interface SchedulerStats {
  /** Waiting to start (sheddable unless urgent). */
  queued: number;
  /** Started and not finished: being delivered, or waiting to be retried. */
  inFlight: number;
  sent: number;
  shed: number;
  /** Given up or fatal, plus those discarded because their chat blocked the bot. */
  dropped: number;
  /** Chats remembered as blocked. */
  blockedChats: number;
}

/**
 * Pacing state is kept for this many idle chats (most recent). A chat pushed out has had no send
 * while this many others did, which at any global cap takes far longer than refilling its
 * bucket: a new, full bucket is what it would have had anyway.
 */
const PACED_CHATS = 10_000;
/** Blocked chats remembered; one forgotten costs one more refused send before it is blocked again. */
const BLOCKED_CHATS = 100_000;
/** Token arithmetic in floating point: 0.9999999 tokens is a token, or we would wake 1 ms later. */
const EPSILON = 1e-9;

/** One queued send: a node in its chat's list and, unless urgent, in the global shedding order. */
interface Entry<Op> {
  op: Op;
  chat: Chat<Op>;
  urgent: boolean;
  /** On the last op of an enqueue(): told once that op has left the queue, sent or not. */
  done: (() => void) | undefined;
  prev: Entry<Op> | undefined;
  next: Entry<Op> | undefined;
  olderNonUrgent: Entry<Op> | undefined;
  newerNonUrgent: Entry<Op> | undefined;
}

const IDLE = 0; // not scheduled
const READY = 1; // in the ready FIFO: may start as soon as there is a global token
const WAITING = 2; // in the heap: paced or backing off until `due`
const SENDING = 3; // deliver() in progress

interface Chat<Op> {
  readonly id: string;
  head: Entry<Op> | undefined;
  tail: Entry<Op> | undefined;
  /** The started send, kept across retries. */
  current: Entry<Op> | undefined;
  attempt: number;
  state: number;
  due: number;
  tokens: number;
  last: number;
}

export class OutboundScheduler<Op> {
  private readonly chats = new Map<string, Chat<Op>>();
  private readonly resting = new LruMap<Chat<Op>>(PACED_CHATS);
  private readonly blocked = new BoundedSet(BLOCKED_CHATS);
  private readonly ready = new Fifo<Chat<Op>>();
  private readonly waiting = new DueHeap<Chat<Op>>();
  private oldest: Entry<Op> | undefined; // oldest non-urgent queued send: the next to shed
  private newest: Entry<Op> | undefined;
  private globalTokens: number;
  private globalLast: number;
  private timer: NodeJS.Timeout | undefined;
  private timerAt = 0;
  private pumpQueued = false;
  private closed = false;
  private queued = 0;
  private active = 0;
  private sent = 0;
  private shedCount = 0;
  private dropped = 0;
  private idle: ((done: boolean) => void)[] = [];

  constructor(
    private readonly limits: ChannelLimits,
    private readonly deliver: (chat: string, op: Op) => Promise<unknown>,
    private readonly classify: (err: unknown) => SendFailure,
    private readonly events: SchedulerEvents = {},
    private readonly clock: () => number = () => performance.now(),
  ) {
    this.globalTokens = limits.globalPerSecond;
    this.globalLast = clock();
  }

  /**
   * Queues ops for one chat, after what is already queued for it (per-chat FIFO). Urgent ops are
   * never shed. `onDone` is told when the last of them has left the queue: sent, given up, shed or
   * dropped for a blocked chat (the durable outbox then forgets them); never after close().
   */
  enqueue(chat: string, ops: readonly Op[], options: { urgent?: boolean; onDone?: () => void } = {}): void {
    if (this.closed) return;
    if (ops.length === 0 || this.blocked.has(chat)) {
      if (options.onDone) this.emit(options.onDone);
      return;
    }
    const urgent = options.urgent === true;
    const state = this.chat(chat);
    for (const [i, op] of ops.entries()) {
      const entry: Entry<Op> = {
        op,
        chat: state,
        urgent,
        done: i === ops.length - 1 ? options.onDone : undefined,
        prev: state.tail,
        next: undefined,
        olderNonUrgent: undefined,
        newerNonUrgent: undefined,
      };
      if (state.tail) state.tail.next = entry;
      else state.head = entry;
      state.tail = entry;
      if (!urgent) {
        entry.olderNonUrgent = this.newest;
        if (this.newest) this.newest.newerNonUrgent = entry;
        else this.oldest = entry;
        this.newest = entry;
      }
    }
    this.queued += ops.length;
    if (state.state === IDLE) this.place(state, this.clock());
    if (this.queued > this.limits.maxBacklog) this.shed();
    // Sends start on a later microtask: a batch of updates is answered first, then its sends go
    // out (measured on the old queue: starting HTTP requests between answers slows the answers).
    this.schedulePump();
    this.settleIfIdle();
  }

  /** Resolves true when nothing is queued or in flight, or false after timeoutMs if given. */
  drain(timeoutMs?: number): Promise<boolean> {
    if (this.queued + this.active === 0) return Promise.resolve(true);
    return new Promise((resolve) => {
      let timer: NodeJS.Timeout | undefined;
      const waiter = (done: boolean) => {
        clearTimeout(timer);
        resolve(done);
      };
      this.idle.push(waiter);
      if (timeoutMs !== undefined)
        timer = setTimeout(() => {
          this.idle = this.idle.filter((w) => w !== waiter);
          resolve(false);
        }, timeoutMs);
    });
  }

  isBlocked(chat: string): boolean {
    return this.blocked.has(chat);
  }

  /** A blocked chat that writes again may be sent to again. */
  unblock(chat: string): void {
    this.blocked.delete(chat);
  }

  stats(): SchedulerStats {
    return {
      queued: this.queued,
      inFlight: this.active,
      sent: this.sent,
      shed: this.shedCount,
      dropped: this.dropped,
      blockedChats: this.blocked.size,
    };
  }

  /**
   * Stops timers and starts nothing more; queued ops stay (drain first to send them), later
   * enqueues are ignored, and pending drain() calls resolve false.
   */
  close(): void {
    this.closed = true;
    clearTimeout(this.timer);
    this.timer = undefined;
    for (const resolve of this.idle.splice(0)) resolve(false);
  }

  private chat(id: string): Chat<Op> {
    let state = this.chats.get(id);
    if (!state) {
      state = this.resting.get(id) ?? {
        id,
        head: undefined,
        tail: undefined,
        current: undefined,
        attempt: 0,
        state: IDLE,
        due: 0,
        tokens: this.limits.perChatBurst,
        last: this.clock(),
      };
      this.chats.set(id, state);
    }
    return state;
  }

  /** A chat with nothing to do keeps only its pacing, in a bounded map. */
  private rest(chat: Chat<Op>): void {
    chat.state = IDLE;
    this.chats.delete(chat.id);
    this.resting.set(chat.id, chat);
  }

  /** Into the ready FIFO, or the heap until both `notBefore` and the chat's pace allow a send. */
  private place(chat: Chat<Op>, notBefore: number): void {
    const now = this.clock();
    const { perChatPerSecond: rate, perChatBurst: burst } = this.limits;
    chat.tokens = Math.min(burst, chat.tokens + ((now - chat.last) / 1000) * rate);
    chat.last = now;
    const paced = chat.tokens >= 1 - EPSILON ? now : now + ((1 - chat.tokens) / rate) * 1000;
    const due = Math.max(notBefore, paced);
    if (due <= now) {
      chat.state = READY;
      this.ready.push(chat);
    } else {
      chat.state = WAITING;
      chat.due = due;
      this.waiting.push(chat);
    }
  }

  private schedulePump(): void {
    if (this.pumpQueued || this.closed) return;
    this.pumpQueued = true;
    queueMicrotask(() => this.pump());
  }

  /** Moves due chats to the ready FIFO, starts as many as global tokens allow, and sets the one timer. */
  private pump(): void {
    this.pumpQueued = false;
    if (this.closed) return;
    const now = this.clock();
    for (let top = this.waiting.peek(); top && top.due <= now; top = this.waiting.peek()) {
      this.waiting.pop();
      top.state = IDLE;
      if (top.current || top.head) this.place(top, now);
      else this.rest(top); // everything it had was shed
    }
    const { globalPerSecond: rate } = this.limits;
    this.globalTokens = Math.min(rate, this.globalTokens + ((now - this.globalLast) / 1000) * rate);
    this.globalLast = now;
    while (this.globalTokens >= 1 - EPSILON) {
      const chat = this.ready.shift();
      if (!chat) break;
      chat.state = IDLE;
      if (!chat.current && !chat.head) {
        this.rest(chat);
        continue;
      }
      this.globalTokens -= 1;
      chat.tokens -= 1; // place() saw a token, and only this chat spends its tokens
      this.start(chat);
    }
    this.arm(now);
  }

  private arm(now: number): void {
    let at = this.waiting.peek()?.due ?? Number.POSITIVE_INFINITY;
    if (this.ready.size > 0) {
      const wait = ((1 - this.globalTokens) / this.limits.globalPerSecond) * 1000;
      at = Math.min(at, now + Math.max(0, wait));
    }
    if (at === Number.POSITIVE_INFINITY) {
      clearTimeout(this.timer);
      this.timer = undefined;
      return;
    }
    // A timer due sooner is kept: it wakes a little early and sets the next one.
    if (this.timer && this.timerAt <= at) return;
    clearTimeout(this.timer);
    this.timerAt = at;
    this.timer = setTimeout(
      () => {
        this.timer = undefined;
        this.pump();
      },
      Math.max(0, Math.ceil(at - now)),
    );
  }

  private start(chat: Chat<Op>): void {
    let entry = chat.current;
    if (!entry) {
      entry = chat.head as Entry<Op>;
      this.unlink(entry);
      this.queued--;
      this.active++;
      chat.current = entry;
      chat.attempt = 0;
    }
    chat.state = SENDING;
    chat.attempt++;
    let sending: Promise<unknown>;
    try {
      sending = this.deliver(chat.id, entry.op);
    } catch (err) {
      sending = Promise.reject(err);
    }
    // Both handlers are total (events and classify are guarded), so nothing escapes as unhandled.
    Promise.resolve(sending).then(
      () => {
        this.sent++;
        this.finish(chat);
      },
      (err: unknown) => this.failed(chat, err),
    );
  }

  private finish(chat: Chat<Op>): void {
    const done = chat.current?.done;
    if (done) this.emit(done);
    chat.current = undefined;
    chat.attempt = 0;
    this.active--;
    chat.state = IDLE;
    if (chat.head) this.place(chat, this.clock());
    else this.rest(chat);
    this.schedulePump();
    this.settleIfIdle();
  }

  private failed(chat: Chat<Op>, err: unknown): void {
    let failure: SendFailure;
    try {
      failure = this.classify(err);
    } catch {
      failure = { kind: 'fatal' }; // cannot tell: do not retry blindly
    }
    if (failure.kind === 'blocked') {
      const done = chat.current?.done;
      if (done) this.emit(done);
      chat.current = undefined;
      this.active--;
      for (let entry = chat.head; entry; entry = entry.next) {
        if (!entry.urgent) this.unlinkNonUrgent(entry);
        this.queued--;
        this.dropped++;
        if (entry.done) this.emit(entry.done);
      }
      chat.head = chat.tail = undefined;
      chat.state = IDLE;
      this.chats.delete(chat.id);
      this.blocked.add(chat.id);
      this.emit(() => this.events.onBlocked?.(chat.id));
      this.schedulePump();
      this.settleIfIdle();
      return;
    }
    if (failure.kind === 'fatal' || chat.attempt >= this.limits.maxAttempts) {
      this.dropped++;
      this.emit(() => this.events.onDropped?.(chat.id, failure.kind, err));
      this.finish(chat);
      return;
    }
    const wait =
      failure.kind === 'retry-after'
        ? failure.seconds * 1000
        : this.limits.backoffMs * 2 ** (chat.attempt - 1);
    chat.state = IDLE;
    // Only this chat waits: Telegram's retry_after is per chat in practice.
    this.place(
      chat,
      this.clock() + Math.min(Number.isFinite(wait) ? Math.max(0, wait) : 0, this.limits.maxWaitMs),
    );
    this.schedulePump();
  }

  /** Sheds the oldest non-urgent queued sends until the backlog fits (or only urgent ones are left). */
  private shed(): void {
    const counts = new Map<string, number>();
    while (this.queued > this.limits.maxBacklog && this.oldest) {
      const entry = this.oldest;
      this.unlink(entry);
      this.queued--;
      this.shedCount++;
      if (entry.done) this.emit(entry.done);
      counts.set(entry.chat.id, (counts.get(entry.chat.id) ?? 0) + 1);
      // The chat stays in the FIFO or heap if it was there; pump() rests it when it comes up empty.
    }
    for (const [chat, count] of counts) this.emit(() => this.events.onShed?.(chat, count));
  }

  private unlink(entry: Entry<Op>): void {
    const chat = entry.chat;
    if (entry.prev) entry.prev.next = entry.next;
    else chat.head = entry.next;
    if (entry.next) entry.next.prev = entry.prev;
    else chat.tail = entry.prev;
    entry.prev = entry.next = undefined;
    if (!entry.urgent) this.unlinkNonUrgent(entry);
  }

  private unlinkNonUrgent(entry: Entry<Op>): void {
    if (entry.olderNonUrgent) entry.olderNonUrgent.newerNonUrgent = entry.newerNonUrgent;
    else this.oldest = entry.newerNonUrgent;
    if (entry.newerNonUrgent) entry.newerNonUrgent.olderNonUrgent = entry.olderNonUrgent;
    else this.newest = entry.olderNonUrgent;
    entry.olderNonUrgent = entry.newerNonUrgent = undefined;
  }

  /** When nothing is left: resolve drain() and forget chats left scheduled with nothing to send, so no timer stays. */
  private settleIfIdle(): void {
    if (this.queued + this.active > 0) return;
    for (let chat = this.ready.shift(); chat; chat = this.ready.shift()) this.rest(chat);
    for (let chat = this.waiting.pop(); chat; chat = this.waiting.pop()) this.rest(chat);
    clearTimeout(this.timer);
    this.timer = undefined;
    for (const resolve of this.idle.splice(0)) resolve(true);
  }

  /** A throwing listener must not break the scheduler. */
  private emit(call: () => void): void {
    try {
      call();
    } catch {
      // the listener's fault; the send's fate is already counted
    }
  }
}

/** An array queue with a moving head, compacted now and then: O(1) amortized, no per-item node. */
class Fifo<T> {
  private items: T[] = [];
  private head = 0;

  get size(): number {
    return this.items.length - this.head;
  }

  push(item: T): void {
    this.items.push(item);
  }

  shift(): T | undefined {
    if (this.head === this.items.length) return undefined;
    const item = this.items[this.head] as T;
    this.items[this.head++] = undefined as T;
    if (this.head === this.items.length) {
      this.items = [];
      this.head = 0;
    } else if (this.head >= 1024 && this.head * 2 >= this.items.length) {
      this.items = this.items.slice(this.head);
      this.head = 0;
    }
    return item;
  }
}

/** A binary min-heap on `due`. */
class DueHeap<T extends { due: number }> {
  private readonly items: T[] = [];

  peek(): T | undefined {
    return this.items[0];
  }

  push(item: T): void {
    const items = this.items;
    let i = items.push(item) - 1;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      const p = items[parent] as T;
      if (p.due <= item.due) break;
      items[i] = p;
      i = parent;
    }
    items[i] = item;
  }

  pop(): T | undefined {
    const items = this.items;
    const top = items[0];
    const last = items.pop();
    if (top === undefined || last === undefined || items.length === 0) return top;
    let i = 0;
    for (;;) {
      const left = 2 * i + 1;
      if (left >= items.length) break;
      const right = left + 1;
      const child = right < items.length && (items[right] as T).due < (items[left] as T).due ? right : left;
      const c = items[child] as T;
      if (c.due >= last.due) break;
      items[i] = c;
      i = child;
    }
    items[i] = last;
    return top;
  }
}
