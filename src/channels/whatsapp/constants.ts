import type { ChannelLimits } from '../../outbound/scheduler.js';
import { MessageTypes } from './wwebjs.js';

export const CHANNEL = 'whatsapp';

/**
 * WhatsApp publishes no rate limits for linked devices; accounts that send fast bursts get
 * flagged and banned. We stay near a person's pace: about one message a second per chat with a
 * short burst (one answer is often a text, a pin and a menu), and a low global cap
 * (WHATSAPP_GLOBAL_PER_SECOND, default 5).
 */
export const WHATSAPP_LIMITS: Omit<ChannelLimits, 'globalPerSecond'> = {
  perChatPerSecond: 1,
  perChatBurst: 3,
  maxAttempts: 4,
  backoffMs: 1_000,
  maxWaitMs: 30_000,
  // About half an hour of sends at the default 5/s.
  maxBacklog: 10_000,
};

/** A send waits this long for a (re)connected client before it counts as a failed attempt. */
export const SEND_WAIT_READY_MS = 60_000;
/** A send that takes longer is treated as lost in transit and retried (puppeteer's own is 180 s). */
export const SEND_TIMEOUT_MS = 30_000;
/** On stop, replies already queued get this long to go out before the browser is closed. */
export const STOP_DRAIN_MS = 10_000;

/** The unread backlog answered on start-up is bounded: a flood while offline must not flood back. */
export const BACKLOG_MAX_CHATS = 500;
export const BACKLOG_MAX_PER_CHAT = 20;

/**
 * Only person-to-person chats are answered. Ids are opaque: we look only at the server part
 * (`@c.us` phone-number ids, `@lid` privacy ids), never at the number.
 * https://wwebjs.dev/guide/creating-your-bot/handling-messages (groups are `@g.us`)
 */
export const PRIVATE_CHAT_SUFFIXES = ['@c.us', '@lid'] as const;

/** What we cannot read: answered with the polite "text and locations only". */
export const UNSUPPORTED_TYPES: ReadonlySet<string> = new Set([
  MessageTypes.IMAGE,
  MessageTypes.ALBUM,
  MessageTypes.VIDEO,
  MessageTypes.AUDIO,
  MessageTypes.VOICE,
  MessageTypes.STICKER,
  MessageTypes.DOCUMENT,
  MessageTypes.CONTACT_CARD,
  MessageTypes.CONTACT_CARD_MULTI,
  MessageTypes.POLL_CREATION,
  MessageTypes.PRODUCT,
  MessageTypes.ORDER,
]);

/** Where the pairing QR is written, inside WHATSAPP_SESSION_DIR. */
export const PAIRING_QR_FILE = 'pairing-qr.png';

/**
 * Chromium flags for a headless server: no sandbox (containers often run as root, where the
 * sandbox cannot start), no GPU, /tmp instead of a small /dev/shm, and none of the background
 * traffic (updates, sync) a bot does not need.
 */
export const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-setuid-sandbox',
  '--disable-gpu',
  '--disable-dev-shm-usage',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
] as const;
