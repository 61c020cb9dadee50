import { BoundedSet } from '../bounded.js';
import type { Reply } from '../core/messages.js';
import type { Lang } from '../nlu/index.js';
import { ChatSeal, hashUser } from '../storage/keys.js';
import type { MaybePromise, SessionStorage } from '../storage/ports.js';
import { describeError } from './describe-error.js';
import type { RunnerLog, SendOptions, SendPort } from './runner.js';
import type { OutboxItem, SessionBuffer } from './session-buffer.js';

/** What sends: the channels' queues (outbound/send.ts), telling `onDone` when a reply has left. */
export interface Dispatcher extends SendPort {
  has(channel: string): boolean;
}

/** Rows older than this at a start are dropped, not sent: a day-old answer is noise, and WhatsApp's window is 24 h. */
export const OUTBOX_MAX_AGE_MS = 24 * 60 * 60 * 1000;
/** Chats remembered as having blocked the bot (in memory and in the store); one forgotten costs one refused send. */
export const BLOCKED_MAX = 100_000;

/** A row's body: what the scheduler needs to send it again after a restart. */
interface Body {
  replies: readonly Reply[];
  lang: Lang;
  urgent?: boolean;
}

const SEP = '\u0000';

/**
 * The durable outbox, at least once: a reply is a row written in the same transaction as the
 * session change that produced it (SessionBuffer), handed to its channel's queue at once, and
 * deleted once it has left the queue. What a crash leaves is sent by the next start, before any
 * new update is read. Chats that blocked the bot are remembered (salted hashes) across restarts.
 *
 * Replies go out before their row is written (a few milliseconds later): a slow or locked
 * database delays acknowledgements, never answers. A crash in between can repeat those replies,
 * because the update behind them was not acknowledged and comes again; it cannot lose them.
 */
export class DurableOutbox implements SendPort {
  private readonly seal: ChatSeal;
  private readonly blocked = new BoundedSet(BLOCKED_MAX);

  constructor(
    private readonly journal: SessionBuffer,
    private readonly store: SessionStorage,
    private readonly dispatcher: Dispatcher,
    private readonly salt: string,
    private readonly log?: RunnerLog,
    private readonly clock: () => number = Date.now,
  ) {
    this.seal = new ChatSeal(salt);
  }

  /** A reply owed in a conversation: the runner writes it with the session, then calls dispatch(). */
  owe(channel: string, chatId: string, replies: readonly Reply[], options: SendOptions): OutboxItem {
    const body: Body = { replies, lang: options.lang };
    if (options.urgent) body.urgent = true;
    return { row: { channel, chat: this.seal.seal(chatId), body: JSON.stringify(body), at: this.clock() } };
  }

  /** Hands an owed reply to its channel's queue; its row goes once it has left the queue. */
  dispatch(
    item: OutboxItem,
    channel: string,
    chatId: string,
    replies: readonly Reply[],
    options: SendOptions,
  ): void {
    if (options.answering) this.unblock(channel, chatId);
    try {
      this.dispatcher.send(channel, chatId, replies, {
        ...options,
        onDone: () => this.journal.settled(item),
      });
    } catch (err) {
      // Cannot be queued (no such channel, a reply its renderer refuses): nothing will send it.
      this.log?.error({ err: describeError(err) }, 'a reply could not be queued');
      this.journal.settled(item);
    }
  }

  /** The send port outside a conversation (reminders): durable too, and never to a chat that blocked the bot. */
  send(channel: string, chatId: string, replies: readonly Reply[], options: SendOptions): void {
    if (!options.answering && this.isBlocked(channel, chatId)) return;
    const item = this.owe(channel, chatId, replies, options);
    this.journal.owe(item);
    this.dispatch(item, channel, chatId, replies, options);
  }

  /** Told by the send port when a chat refused a send because the person blocked the bot. */
  blockedBy(channel: string, chatId: string): void {
    const hash = hashUser(this.salt, channel, chatId);
    this.blocked.add(channel + SEP + hash);
    this.persist(channel, hash, true);
  }

  /**
   * At start, before any channel reads updates: the blocked chats, then every reply a crash left
   * owed, in the order they were decided (so each chat's order holds), for channels running now.
   */
  async resume(): Promise<{ resent: number; dropped: number; kept: number }> {
    const now = this.clock();
    const [{ rows, dropped }, blocked] = await Promise.all([
      this.store.outbox(now - OUTBOX_MAX_AGE_MS),
      this.store.blockedChats(),
    ]);
    for (const [channel, hash] of blocked) this.blocked.add(channel + SEP + hash);
    let resent = 0;
    let kept = 0;
    for (const row of rows) {
      // A channel not running in this start keeps its rows (for up to a day) for one that does.
      if (!this.dispatcher.has(row.channel)) {
        kept++;
        continue;
      }
      const item: OutboxItem = { row: undefined, id: row.id };
      let chatId: string;
      let body: Body;
      try {
        chatId = this.seal.open(row.chat);
        body = JSON.parse(row.body) as Body;
      } catch (err) {
        // Another salt, or an altered row: it cannot be sent to anyone.
        this.log?.warn({ err: describeError(err) }, 'an outbox row cannot be read: dropped');
        this.journal.settled(item);
        continue;
      }
      if (this.isBlocked(row.channel, chatId)) {
        this.journal.settled(item);
        continue;
      }
      this.dispatch(item, row.channel, chatId, body.replies, {
        lang: body.lang,
        urgent: body.urgent === true,
      });
      resent++;
    }
    return { resent, dropped, kept };
  }

  private isBlocked(channel: string, chatId: string): boolean {
    return this.blocked.size > 0 && this.blocked.has(channel + SEP + hashUser(this.salt, channel, chatId));
  }

  /** A person who writes again has unblocked the bot. The hash is computed only while someone is blocked. */
  private unblock(channel: string, chatId: string): void {
    if (this.blocked.size === 0) return;
    const hash = hashUser(this.salt, channel, chatId);
    if (this.blocked.delete(channel + SEP + hash)) this.persist(channel, hash, false);
  }

  /** Best effort: a block not stored costs one refused send after a restart, never an answer. */
  private persist(channel: string, hash: string, blocked: boolean): void {
    const failed = (err: unknown) => this.log?.warn({ err: describeError(err) }, 'blocked chat not stored');
    try {
      const result: MaybePromise<void> = this.store.setBlocked(channel, hash, blocked, BLOCKED_MAX);
      if (result instanceof Promise) result.catch(failed);
    } catch (err) {
      failed(err);
    }
  }
}
