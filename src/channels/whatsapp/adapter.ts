import { adminReply } from '../../analytics/admin.js';
import type { Engine, Outcome } from '../../core/engine.js';
import type { Translate } from '../../core/i18n.js';
import { IncomingMessage, type Option } from '../../core/messages.js';
import type { Lang } from '../../nlu/index.js';
import { BoundedSet, LruMap } from '../bounded.js';
import type { OutboundQueue } from '../outbound-queue.js';
import { withTimeout } from '../time.js';
import {
  BACKLOG_MAX_CHATS,
  BACKLOG_MAX_PER_CHAT,
  CHANNEL,
  REMEMBERED_CHATS,
  SEEN_MESSAGES,
  SEND_TIMEOUT_MS,
} from './constants.js';
import { NotDeliveredError, SendTimeoutError } from './errors.js';
import { type Inbound, isPrivateChat, readInbound } from './inbound.js';
import type { WhatsAppLog } from './log.js';
import { pickOption } from './options.js';
import { describeError } from './privacy.js';
import { isOnlyGreeting, parsePromoter } from './promoter.js';
import { renderReplies } from './render.js';
import { type Client, Events, type Location, type WAMessage } from './wwebjs.js';

export interface AdapterDeps {
  engine: Engine;
  translate: (lang: Lang) => Translate;
  defaultLang: Lang;
  /** Paced, ordered, retrying sends, one chain per chat. */
  queue: OutboundQueue;
  /** The client to send with: the connected one, waited for while reconnecting. */
  sender: () => Promise<Client>;
  log: WhatsAppLog;
  /** A chat id as it may appear in logs (a short salted hash). */
  tag: (chatId: string) => string;
  clock?: () => Date;
}

/** Per chat, what the last answer offered and in which language: to read "2" and to answer a photo. */
interface ChatState {
  offered: Option[];
  lang: Lang;
}

/**
 * The WhatsApp adapter at the `client.on('message')` / `client.sendMessage` seam: messages in
 * become the core's messages, the core's replies go out through the outbound queue. It decides
 * nothing about content; it only reads numbers against the options it showed.
 */
export class WhatsAppAdapter {
  /** Shared by the live handler and the unread backlog: a message that comes both ways is answered once. */
  private readonly seen = new BoundedSet(SEEN_MESSAGES);
  private readonly chats = new LruMap<ChatState>(REMEMBERED_CHATS);
  private readonly now: () => Date;
  private accepting = true;

  constructor(private readonly deps: AdapterDeps) {
    this.now = deps.clock ?? (() => new Date());
  }

  /** Wires a client's events to this adapter (each client the supervisor creates). */
  attach(client: Client): void {
    client.on(Events.MESSAGE_RECEIVED, (message: WAMessage) => {
      this.receive(message);
    });
    client.on(Events.READY, () => {
      void this.catchUp(client);
    });
  }

  /** Stops answering (shutdown): later messages stay unread and are answered after the next start. */
  close(): void {
    this.accepting = false;
  }

  /**
   * Answers one message, synchronously up to the queue, so replies to one chat are queued in the
   * order its messages arrived. Returns whether it was answered. Never throws.
   */
  receive(message: WAMessage): boolean {
    if (!this.accepting) return false;
    const chat = message.from;
    try {
      const inbound = readInbound(message);
      if (inbound.kind === 'ignore') return false;
      const id = message.id?._serialized;
      if (id && !this.seen.add(id)) return false;
      this.answer(chat, inbound);
      return true;
    } catch (err) {
      this.deps.log.error(
        { chat: this.deps.tag(chat), error: describeError(err) },
        'whatsapp message failed',
      );
      return false;
    }
  }

  /**
   * Answers what arrived while the bot was down: WhatsApp delivers it to the phone, and the
   * linked browser shows it as unread, but whatsapp-web.js emits no 'message' event for it.
   */
  async catchUp(client: Client): Promise<number> {
    const { log, tag } = this.deps;
    let chats: Awaited<ReturnType<Client['getChats']>>;
    try {
      chats = await client.getChats();
    } catch (err) {
      log.warn({ error: describeError(err) }, 'could not list chats to answer the unread backlog');
      return 0;
    }
    const unread = chats
      .filter((c) => !c.isGroup && isPrivateChat(c.id._serialized) && c.unreadCount > 0)
      .slice(0, BACKLOG_MAX_CHATS);
    let answered = 0;
    for (const chat of unread) {
      if (!this.accepting) break;
      try {
        const messages = await chat.fetchMessages({
          limit: Math.min(chat.unreadCount, BACKLOG_MAX_PER_CHAT),
        });
        for (const message of messages) if (this.receive(message)) answered++;
        await chat.sendSeen();
      } catch (err) {
        log.warn(
          { chat: tag(chat.id._serialized), error: describeError(err) },
          'unread backlog of a chat failed',
        );
      }
    }
    log.info({ chats: unread.length, answered }, 'answered messages that arrived while offline');
    return answered;
  }

  private answer(chat: string, inbound: Exclude<Inbound, { kind: 'ignore' }>): void {
    switch (inbound.kind) {
      case 'text':
        if (this.adminReport(chat, inbound.text)) return; // [promoters]
        this.deliver(chat, this.onText(chat, inbound.text));
        return;
      case 'location':
        this.deliver(chat, [
          this.handle({ kind: 'location', location: inbound.location, ...this.base(chat) }),
        ]);
        return;
      case 'unsupported': {
        const lang = this.chats.get(chat)?.lang ?? this.deps.defaultLang;
        this.deps.log.debug({ chat: this.deps.tag(chat), what: inbound.what, lang }, 'unsupported message');
        // The options offered before stay answerable: a photo in between does not reset the menu.
        this.enqueue(chat, this.deps.translate(lang)('channel.unsupported_media'));
        return;
      }
    }
  }

  /**
   * [promoters] "/report" or "reporte" from an admin (ADMIN_IDS: whatsapp:<chat id>): the
   * statistics summary. From anyone else it is not handled here: the engine reads it as any text.
   */
  private adminReport(chat: string, text: string): boolean {
    const summary = adminReply(this.deps.engine, {
      channel: CHANNEL,
      userId: chat,
      text,
      lang: this.chats.get(chat)?.lang ?? this.deps.defaultLang,
      now: this.now(),
    });
    if (summary === undefined) return false;
    this.enqueue(chat, summary);
    return true;
  }

  private onText(chat: string, text: string): Outcome[] {
    const promoter = parsePromoter(text);
    if (promoter) {
      // A click-to-chat link's first message: record the code as the start, then answer the
      // question that came with it, if there is more than a greeting.
      const outcomes = [this.handle({ kind: 'start', payload: promoter.code, ...this.base(chat) })];
      if (!isOnlyGreeting(promoter.rest)) {
        outcomes.push(this.handle({ kind: 'text', text: promoter.rest, ...this.base(chat) }));
      }
      return outcomes;
    }
    const option = pickOption(text, this.chats.get(chat)?.offered ?? []);
    const message: IncomingMessage = option
      ? { kind: 'option', option: option.id, ...this.base(chat) }
      : { kind: 'text', text, ...this.base(chat) };
    return [this.handle(message)];
  }

  private base(chat: string) {
    // The chat id is the user id: opaque to the core, hashed before it is stored.
    return { channel: CHANNEL, userId: chat, receivedAt: this.now() };
  }

  private handle(message: IncomingMessage): Outcome {
    return this.deps.engine.handle(IncomingMessage.parse(message));
  }

  private deliver(chat: string, outcomes: Outcome[]): void {
    const last = outcomes[outcomes.length - 1];
    if (!last) return;
    // Only the last answer's options are shown and remembered: a greeting's menu before the
    // answer to a promoter link's question would number a menu that is no longer current.
    const replies = outcomes.flatMap((o) =>
      o === last ? o.replies : o.replies.map(({ options: _, ...reply }) => reply),
    );
    const rendered = renderReplies(replies);
    this.chats.set(chat, { offered: rendered.offered, lang: last.lang });
    for (const o of outcomes) {
      this.deps.log.debug({ chat: this.deps.tag(chat), intent: o.intent, lang: o.lang }, 'answered');
    }
    for (const content of rendered.messages) this.enqueue(chat, content);
  }

  private enqueue(chat: string, content: string | Location): void {
    void this.deps.queue.send(chat, async () => {
      const client = await this.deps.sender();
      const sent = await withTimeout(
        client.sendMessage(chat, content),
        SEND_TIMEOUT_MS,
        () => new SendTimeoutError(SEND_TIMEOUT_MS),
      );
      if (!sent) throw new NotDeliveredError();
    });
  }
}
