import type { AdminReport } from '../analytics/admin.js';
import { isReportCommand } from '../analytics/admin.js';
import type { StatsRecorder, TurnRecord } from '../analytics/recorder.js';
import { LruMap } from '../bounded.js';
import { forgetTopic } from '../core/context.js';
import type { Decision, Engine, Outcome } from '../core/engine.js';
import type { IncomingMessage, Reply } from '../core/messages.js';
import type { Session } from '../core/session.js';
import type { Lang } from '../nlu/index.js';
import { hashUser, messageDigest } from '../storage/keys.js';
import type { ChatRecord } from '../storage/ports.js';
import { SEEN_FOR_MS, SEEN_PER_CHAT } from '../storage/record.js';
import { describeError } from './describe-error.js';
import { pickOption } from './options.js';
import type { DurableOutbox } from './outbox.js';
import { isOnlyGreeting, parsePromoter } from './promoter.js';
import type { SessionBuffer } from './session-buffer.js';

/** After this much silence (judged on the messages' own times) the last topic and any open question are forgotten. */
export const CONTEXT_TTL_MS = 30 * 60 * 1000;
/** Storage keys kept for this many recently active people. */
const KEYS_KEPT = 10_000;
/** Options remembered from the last answer (the longest list the bot shows is the FAQ page). */
const MAX_OFFERED = 12;

/** What a channel's way of showing things means for reading what people write back. */
export interface ChannelTraits {
  /** Options are shown as a numbered list: "2", "la dos" or words of a label pick one. */
  numbersOptions?: boolean;
  /** No deep links: a first message "código PROMO-1" (a click-to-chat link's draft) carries the promoter code. */
  promoterInText?: boolean;
}

/** Where replies go once decided: the send port (the outbound scheduler of each channel). */
export interface SendPort {
  send(channel: string, chatId: string, replies: readonly Reply[], options: SendOptions): void;
}

export interface SendOptions {
  lang: Lang;
  /** Never shed from a full backlog (emergency answers). */
  urgent?: boolean;
  /** In answer to the person's own message (so they have not blocked the bot), not a reminder. */
  answering?: boolean;
  /** Told once the replies have left the queue (sent, or given up): the outbox forgets them. */
  onDone?: () => void;
}

export interface RunnerLog {
  error(obj: object, msg: string): void;
  warn(obj: object, msg: string): void;
}

export interface RunnerDeps {
  engine: Engine;
  sessions: SessionBuffer;
  /** Salt for the keys under which chats are stored: no store ever sees a raw user id. */
  salt: string;
  stats?: StatsRecorder;
  report?: AdminReport;
  /** Where replies go: written with the session, then sent (none when absent: the caller renders). */
  outbox?: DurableOutbox;
  log?: RunnerLog;
}

/**
 * Everything with state or I/O around the pure engine, once for all channels: one message per
 * person at a time in arrival order, the session loaded and saved through the storage adapter,
 * redelivered messages answered once, expiry after a silence, the /report command, numbered and
 * promoter-code messages read against what the chat was offered, statistics, and the replies
 * handed to the send port. A channel only parses its updates and renders what comes back.
 */
export class ConversationRunner {
  private readonly chains = new Map<string, Promise<unknown>>();
  private readonly traits = new Map<string, ChannelTraits>();
  private readonly keys = new LruMap<string>(KEYS_KEPT);
  private readingFails = false;

  constructor(private readonly deps: RunnerDeps) {}

  /** A channel tells how it shows options and carries promoter codes (default: buttons and deep links). */
  channel(name: string, traits: ChannelTraits): void {
    this.traits.set(name, traits);
  }

  /**
   * Decides a message and sends the replies to `chatId` through the durable outbox. A channel
   * that acknowledges updates to its platform does so after `saved()`, not before.
   */
  receive(message: IncomingMessage, chatId: string): Promise<Outcome | undefined> {
    return this.handle(message, chatId);
  }

  /**
   * Resolves when every message decided so far is stored with its replies (and counted): after
   * it, a crash cannot lose them, so the update may be acknowledged. Waits while the store is down.
   */
  async saved(): Promise<void> {
    await Promise.all([this.deps.sessions.saved(), this.deps.stats?.saved()]);
  }

  /**
   * Decides a message; undefined when it was already answered (a redelivery). Never rejects.
   * With `chatId`, the replies go there through the outbox; without, the caller shows them.
   */
  handle(message: IncomingMessage, chatId?: string): Promise<Outcome | undefined> {
    const key = this.key(message.channel, message.userId);
    const task = () => this.turn(key, message, chatId);
    const previous = this.chains.get(key);
    const run = previous ? previous.then(task) : task();
    const tail = run.then(
      () => {},
      () => {},
    );
    this.chains.set(key, tail);
    void tail.then(() => {
      if (this.chains.get(key) === tail) this.chains.delete(key);
    });
    return run;
  }

  /** The chat's storage key, kept for recently active people (an HMAC costs ~2 µs a message, measured). */
  private key(channel: string, userId: string): string {
    const id = `${channel}\u0000${userId}`;
    let key = this.keys.get(id);
    if (key === undefined) {
      key = hashUser(this.deps.salt, channel, userId);
      this.keys.set(id, key);
    }
    return key;
  }

  /** Resolves when every message received so far has been decided. */
  async idle(): Promise<void> {
    while (this.chains.size) await Promise.all(this.chains.values());
  }

  private async turn(key: string, message: IncomingMessage, chatId?: string): Promise<Outcome | undefined> {
    const { engine } = this.deps;
    let stored: ChatRecord | undefined;
    let readable = true;
    try {
      stored = await this.deps.sessions.read(key);
      this.readingFails = false;
    } catch (err) {
      // A store that cannot be read does not cost anyone an answer: they are answered afresh, and
      // the store's versions keep that fresh state from overwriting theirs.
      readable = false;
      if (!this.readingFails) this.deps.log?.error({ err: describeError(err) }, 'sessions cannot be read');
      this.readingFails = true;
    }
    const digest = message.messageId === undefined ? undefined : messageDigest(message.messageId);
    if (digest && stored?.seen?.some(([d]) => d === digest)) return undefined;
    const now = message.receivedAt.getTime();
    let session = stored?.session;
    if (session && stored && now - stored.updatedAt > CONTEXT_TTL_MS) session = forgetTopic(session);

    let outcome: Outcome;
    let decided: Decision[] = [];
    try {
      const report = this.adminReport(message, session);
      if (report) outcome = await report;
      else {
        decided = this.decide(session, this.read(message, stored));
        const last = decided.at(-1) as Decision;
        session = last.session;
        outcome = merged(decided);
      }
    } catch (err) {
      this.deps.log?.error({ err: describeError(err) }, 'message failed');
      outcome = engine.failure(session?.lang);
    }

    // Kept only where a typed "2" must be read against them: buttons carry their own ids.
    const offered = !this.traits.get(message.channel)?.numbersOptions
      ? undefined
      : message.kind === 'unsupported'
        ? stored?.offered
        : outcome.replies.flatMap((r) => r.options ?? []).slice(0, MAX_OFFERED);
    const record: ChatRecord = {
      session: session ?? engine.newSession(),
      updatedAt: Math.max(now, stored?.updatedAt ?? 0),
      version: (stored?.version ?? 0) + 1,
    };
    if (offered?.length) record.offered = offered.map(({ id, label }) => ({ id, label }));
    const seen = remembered(stored?.seen, digest, now);
    if (seen.length) record.seen = seen;
    const outbox = chatId === undefined || !outcome.replies.length ? undefined : this.deps.outbox;
    const options: SendOptions = {
      lang: outcome.lang,
      urgent: outcome.intent === 'emergency',
      answering: true,
    };
    // The reply is written in the same transaction as the change that produced it.
    const owed = outbox?.owe(message.channel, chatId as string, outcome.replies, options);
    this.deps.sessions.write(key, record, readable ? stored?.version : undefined, owed);
    for (const decision of decided) this.observe(message, decision);
    if (owed) outbox?.dispatch(owed, message.channel, chatId as string, outcome.replies, options);
    return outcome;
  }

  /**
   * What the message means in this chat: a number or label picking an offered option, or a
   * promoter's click-to-chat draft (its code as the start, then the question that came with it).
   */
  private read(message: IncomingMessage, stored: ChatRecord | undefined): IncomingMessage[] {
    if (message.kind !== 'text') return [message];
    const traits = this.traits.get(message.channel) ?? {};
    const { channel, userId, receivedAt } = message;
    if (traits.promoterInText) {
      const promoter = parsePromoter(message.text);
      if (promoter) {
        const start: IncomingMessage = { kind: 'start', payload: promoter.code, channel, userId, receivedAt };
        if (isOnlyGreeting(promoter.rest)) return [start];
        return [start, { kind: 'text', text: promoter.rest, channel, userId, receivedAt }];
      }
    }
    if (traits.numbersOptions && stored?.offered) {
      const option = pickOption(message.text, stored.offered);
      if (option) return [{ kind: 'option', option: option.id, channel, userId, receivedAt }];
    }
    return [message];
  }

  private decide(session: Session | undefined, messages: IncomingMessage[]): Decision[] {
    const decided: Decision[] = [];
    let current = session;
    for (const message of messages) {
      const decision = this.deps.engine.decide(current, message);
      if (decision.error) this.deps.log?.error({ err: describeError(decision.error) }, 'message failed');
      decided.push(decision);
      current = decision.session;
    }
    return decided;
  }

  /** "/report" from an admin of this channel: the statistics summary, in their language. */
  private adminReport(message: IncomingMessage, session: Session | undefined): Promise<Outcome> | undefined {
    const report = this.deps.report;
    if (!report || message.kind !== 'text' || !isReportCommand(message.text)) return undefined;
    if (!report.isAdmin(message.channel, message.userId)) return undefined;
    const lang = session?.lang ?? this.deps.engine.newSession().lang;
    return report
      .summary(lang, message.receivedAt)
      .then((text): Outcome => ({ lang, intent: 'help', confidence: 1, replies: [{ text }] }));
  }

  private observe(message: IncomingMessage, decision: Decision): void {
    const stats = this.deps.stats;
    if (!stats) return;
    const { outcome } = decision;
    const record: TurnRecord = {
      channel: message.channel,
      userId: message.userId,
      kind: message.kind,
      lang: outcome.lang,
      intent: outcome.intent,
      confidence: outcome.confidence,
      at: message.receivedAt,
    };
    // Set only when there is one, not spread in: two spreads cost more than the rest of the record.
    if (decision.missed !== undefined) record.text = decision.missed;
    if (decision.promoterCode !== undefined) record.promoterCode = decision.promoterCode;
    try {
      stats.observe(record);
    } catch (err) {
      // Statistics must never cost anyone their answer.
      this.deps.log?.error({ err: describeError(err) }, 'statistics failed');
    }
  }
}

/**
 * Several decisions for one message (a promoter's start, then its question): all their replies,
 * but only the last one's options, so a numbered list is never one that is no longer current.
 */
function merged(decided: Decision[]): Outcome {
  const last = (decided.at(-1) as Decision).outcome;
  if (decided.length === 1) return last;
  const replies = decided.flatMap(({ outcome }) =>
    outcome === last ? outcome.replies : outcome.replies.map(({ options: _, ...reply }) => reply),
  );
  return { ...last, replies };
}

/** The chat's remembered message digests with this one added: the newest few, within their time. */
function remembered(seen: ChatRecord['seen'], digest: string | undefined, now: number): [string, number][] {
  const kept = (seen ?? []).filter(([, at]) => now - at < SEEN_FOR_MS);
  if (digest) kept.push([digest, now]);
  return kept.slice(-SEEN_PER_CHAT);
}
