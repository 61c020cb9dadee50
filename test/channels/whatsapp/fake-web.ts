import { createRequire } from 'node:module';
import { type Client, Location, type WAMessage } from '../../../src/channels/whatsapp/wwebjs.js';

const require = createRequire(import.meta.url);

/**
 * whatsapp-web.js's own Message class, the one its Client builds from WhatsApp Web's message
 * models (the typings declare Message as an interface only, hence the require).
 */
export const Message: new (
  client: Client,
  data: RawMessage,
) => WAMessage = require('whatsapp-web.js/src/structures/Message.js');

/** A message model as WhatsApp Web's `WWebJS.getMessageModel` serialises it (the fields the library reads). */
export interface RawMessage {
  id: { fromMe: boolean; remote: string; id: string; _serialized: string; participant?: string };
  type: string;
  body: string;
  t: number;
  from: string;
  to: string;
  author?: string;
  notifyName?: string;
  ack?: number;
  isNewMsg?: boolean;
  broadcast?: boolean;
  isStatusV3?: boolean;
  isForwarded?: boolean;
  star?: boolean;
  mentionedJidList?: string[];
  links?: { link: string; isSuspicious: boolean }[];
  // location
  lat?: number;
  lng?: number;
  loc?: string;
  // media
  directPath?: string;
  mimetype?: string;
  caption?: string;
  mediaKey?: string;
  filename?: string;
  size?: number;
  duration?: string;
  isNotification?: boolean;
}

/** A chat model as `WWebJS.getChatModel` serialises it. */
export interface RawChat {
  id: { server: string; user: string; _serialized: string };
  formattedTitle: string;
  isGroup: boolean;
  isReadOnly: boolean;
  unreadCount: number;
  t: number;
  archive: boolean;
  isMuted: boolean;
  muteExpiration: number;
}

export interface SentRecord {
  chatId: string;
  /** The text, or '' for a pin (whatsapp-web.js moves a Location into the options). */
  content: string;
  /** The Location instance whatsapp-web.js found in the content, exactly as the adapter built it. */
  location: Location | undefined;
  at: number;
}

type PageFn = (...args: never[]) => unknown;

/**
 * WhatsApp Web as whatsapp-web.js sees it: the page of its puppeteer browser. The Client never
 * talks to WhatsApp except through `pupPage.evaluate(fn, ...args)`, which runs `fn` inside WhatsApp
 * Web; this fake answers the four calls the channel makes (send, list chats, load a chat's
 * messages, mark seen) and refuses any other, so a library change that adds a browser call fails
 * loudly here. Everything above it — Client.sendMessage's handling of text and Location, Message
 * and Chat construction, Chat.fetchMessages, Chat.sendSeen — is the real library.
 */
export class FakeWeb {
  readonly sent: SentRecord[] = [];
  readonly seenChats: string[] = [];
  private readonly chats = new Map<string, { chat: RawChat; messages: RawMessage[] }>();
  private failures: Error[] = [];
  private counter = 0;

  constructor(
    readonly me: string,
    /** Milliseconds each send takes in the page: random latencies would expose any reordering. */
    private readonly latency: () => number = () => 0,
  ) {}

  /** The object to put in `client.pupPage`. */
  readonly page = {
    evaluate: (fn: PageFn | string, ...args: unknown[]) => this.evaluate(fn, args),
  };

  /** The next sends fail with these errors, in order (as puppeteer or the page would throw them). */
  failNext(...errors: Error[]): void {
    this.failures.push(...errors);
  }

  /** A chat in the phone's chat list, with its history (oldest first) and how much of it is unread. */
  addChat(chatId: string, messages: RawMessage[], unreadCount: number): void {
    const [user = '', server = ''] = chatId.split('@');
    this.chats.set(chatId, {
      chat: {
        id: { server, user, _serialized: chatId },
        formattedTitle: 'Chat',
        isGroup: server === 'g.us',
        isReadOnly: false,
        unreadCount,
        t: messages.at(-1)?.t ?? 0,
        archive: false,
        isMuted: false,
        muteExpiration: 0,
      },
      messages,
    });
  }

  sentTo(chatId: string): SentRecord[] {
    return this.sent.filter((s) => s.chatId === chatId);
  }

  private async evaluate(fn: PageFn | string, args: unknown[]): Promise<unknown> {
    const source = String(fn);
    if (source.includes('WWebJS.sendMessage(')) {
      const [chatId, content, options] = args as [string, string, { location?: unknown }];
      return this.send(chatId, content, options);
    }
    if (source.includes('WWebJS.getChats(')) return [...this.chats.values()].map((c) => c.chat);
    if (source.includes('loadEarlierMsgs')) {
      const [chatId, search] = args as [string, { limit?: number; fromMe?: boolean } | undefined];
      const all = (this.chats.get(chatId)?.messages ?? []).filter(
        (m) => !m.isNotification && (search?.fromMe === undefined || m.id.fromMe === search.fromMe),
      );
      return search?.limit && search.limit > 0 ? all.slice(-search.limit) : all;
    }
    if (source.includes('WWebJS.sendSeen(')) {
      const [chatId] = args as [string];
      this.seenChats.push(chatId);
      const entry = this.chats.get(chatId);
      if (entry) entry.chat.unreadCount = 0;
      return true;
    }
    throw new Error(`FakeWeb: unexpected page call ${source.slice(0, 80)}`);
  }

  private async send(chatId: string, content: string, options: { location?: unknown }): Promise<RawMessage> {
    const wait = this.latency();
    if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
    const failure = this.failures.shift();
    if (failure) throw failure;
    const location = options.location instanceof Location ? options.location : undefined;
    this.sent.push({ chatId, content, location, at: performance.now() });
    const id = `3EB0${(++this.counter).toString(16).padStart(16, '0').toUpperCase()}`;
    return {
      id: { fromMe: true, remote: chatId, id, _serialized: `true_${chatId}_${id}` },
      type: location ? 'location' : 'chat',
      body: content,
      t: Math.floor(Date.now() / 1000),
      from: this.me,
      to: chatId,
      ack: 0,
      ...(location ? { lat: Number(location.latitude), lng: Number(location.longitude) } : {}),
    };
  }
}
