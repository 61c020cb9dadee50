import type { Translate } from '../../core/i18n.js';
import type { IncomingMessage, Reply } from '../../core/messages.js';
import type { Lang } from '../../nlu/index.js';
import type { ChannelLimits } from '../../outbound/scheduler.js';
import type { Outbound, Sender } from '../../outbound/send.js';
import type { ChannelTraits, ConversationRunner } from '../../runner/runner.js';
import { withTimeout } from '../../timers.js';
import { BACKLOG_MAX_CHATS, BACKLOG_MAX_PER_CHAT, CHANNEL, SEND_TIMEOUT_MS } from './constants.js';
import { classifySendError, NotDeliveredError, SendTimeoutError } from './errors.js';
import { type Inbound, isPrivateChat, readInbound } from './inbound.js';
import type { WhatsAppLog } from './log.js';
import { describeError } from './privacy.js';
import { renderReplies } from './render.js';
import { type Client, Events, type Location, type WAMessage } from './wwebjs.js';

/**
 * WhatsApp Web has no buttons for linked devices: options are a numbered list, and a click-to-chat
 * link can only prefill the first message, which then carries the promoter's code.
 */
export const TRAITS: ChannelTraits = { numbersOptions: true, promoterInText: true };

export interface AdapterDeps {
  runner: ConversationRunner;
  outbound: Outbound;
  limits: ChannelLimits;
  translate: (lang: Lang) => Translate;
  /** The client to send with: the connected one, waited for while reconnecting. */
  sender: () => Promise<Client>;
  log: WhatsAppLog;
  /** A chat id as it may appear in logs (a short salted hash). */
  tag: (chatId: string) => string;
  clock?: () => Date;
}

/**
 * The WhatsApp adapter at the `client.on('message')` / `client.sendMessage` seam: messages in
 * become the core's messages for the runner; the replies go out through the send port. It
 * decides nothing about content.
 */
export class WhatsAppAdapter {
  private readonly now: () => Date;
  private accepting = true;

  constructor(private readonly deps: AdapterDeps) {
    this.now = deps.clock ?? (() => new Date());
    deps.runner.channel(CHANNEL, TRAITS);
    deps.outbound.register(this.sender(), {
      onDropped: (chat, failure, err) =>
        deps.log.warn(
          { chat: deps.tag(chat), failure, error: describeError(err) },
          'a WhatsApp reply was given up',
        ),
    });
  }

  private sender(): Sender<string | Location> {
    return {
      channel: CHANNEL,
      limits: this.deps.limits,
      render: (replies: readonly Reply[]) => renderReplies(replies).messages,
      deliver: (chat, content) => this.deliver(chat, content),
      classify: classifySendError,
    };
  }

  /** Wires a client's events to this adapter (each client the supervisor creates). */
  attach(client: Client): void {
    client.on(Events.MESSAGE_RECEIVED, (message: WAMessage) => {
      void this.receive(message);
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
   * Answers one message; resolves to whether it was answered (not ignored, not a repeat). Never
   * rejects. The chat is marked read only once the answer is stored: a chat left unread by a
   * crash is answered by the next start's catch-up (de-duplicated by message id).
   */
  async receive(message: WAMessage, markRead = true): Promise<boolean> {
    if (!this.accepting) return false;
    const chat = message.from;
    try {
      const inbound = readInbound(message);
      if (inbound.kind === 'ignore') return false;
      const incoming = this.toMessage(chat, inbound, message.id?._serialized);
      const outcome = await this.deps.runner.receive(incoming, chat);
      if (markRead) void this.deps.runner.saved().then(() => this.markRead(chat));
      if (!outcome) return false;
      this.deps.log.debug(
        { chat: this.deps.tag(chat), intent: outcome.intent, lang: outcome.lang },
        inbound.kind === 'unsupported' ? 'unsupported message' : 'answered',
      );
      return true;
    } catch (err) {
      this.deps.log.error(
        { chat: this.deps.tag(chat), error: describeError(err) },
        'whatsapp message failed',
      );
      return false;
    }
  }

  private toMessage(
    chat: string,
    inbound: Exclude<Inbound, { kind: 'ignore' }>,
    messageId: string | undefined,
  ): IncomingMessage {
    // The chat id is the user id: opaque to the core, hashed before it is stored.
    const base = {
      channel: CHANNEL,
      userId: chat,
      receivedAt: this.now(),
      ...(messageId ? { messageId } : {}),
    };
    switch (inbound.kind) {
      case 'text':
        return { kind: 'text', text: inbound.text, ...base };
      case 'location':
        return { kind: 'location', location: inbound.location, ...base };
      case 'unsupported':
        return { kind: 'unsupported', what: inbound.what.slice(0, 32), ...base };
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
        for (const message of messages) if (await this.receive(message, false)) answered++;
        await this.deps.runner.saved();
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

  private async markRead(chat: string): Promise<void> {
    try {
      const client = await withTimeout(
        this.deps.sender(),
        SEND_TIMEOUT_MS,
        () => new SendTimeoutError(SEND_TIMEOUT_MS),
      );
      await withTimeout(client.sendSeen(chat), SEND_TIMEOUT_MS, () => new SendTimeoutError(SEND_TIMEOUT_MS));
    } catch (err) {
      this.deps.log.debug(
        { chat: this.deps.tag(chat), error: describeError(err) },
        'could not mark a chat read',
      );
    }
  }

  private async deliver(chat: string, content: string | Location): Promise<void> {
    const client = await this.deps.sender();
    const sent = await withTimeout(
      // Not marked read by the send: that waits until the answer is stored (receive()).
      client.sendMessage(chat, content, { sendSeen: false }),
      SEND_TIMEOUT_MS,
      () => new SendTimeoutError(SEND_TIMEOUT_MS),
    );
    if (!sent) throw new NotDeliveredError();
  }
}
