import { LatLon } from '../../core/messages.js';
import { PRIVATE_CHAT_SUFFIXES, UNSUPPORTED_TYPES } from './constants.js';
import { MessageTypes, type WAMessage } from './wwebjs.js';

/** What a WhatsApp message is to the bot, decided from the message alone. */
export type Inbound =
  | { kind: 'text'; text: string }
  | { kind: 'location'; location: LatLon }
  | { kind: 'unsupported'; what: string }
  /** Not for the bot: groups, status updates, its own messages, system notices, reactions… */
  | { kind: 'ignore' };

/** A person-to-person chat, judged by the server part of the opaque id only. */
export function isPrivateChat(chatId: string | undefined): chatId is string {
  return typeof chatId === 'string' && PRIVATE_CHAT_SUFFIXES.some((s) => chatId.endsWith(s));
}

export function readInbound(message: WAMessage): Inbound {
  // Groups (`@g.us`), stories (`status@broadcast`), channels (`@newsletter`) fail the chat check;
  // broadcast lists reach people in private chats but are flagged.
  if (message.fromMe || message.isStatus || message.broadcast) return { kind: 'ignore' };
  if (!isPrivateChat(message.from)) return { kind: 'ignore' };
  if (message.type === MessageTypes.TEXT) {
    const text = message.body.trim();
    return text ? { kind: 'text', text } : { kind: 'ignore' };
  }
  if (message.type === MessageTypes.LOCATION) {
    // whatsapp-web.js types these as strings; the page gives numbers. Either way, check them.
    const point = LatLon.safeParse({
      lat: Number(message.location?.latitude),
      lon: Number(message.location?.longitude),
    });
    return point.success
      ? { kind: 'location', location: point.data }
      : { kind: 'unsupported', what: 'location' };
  }
  if (UNSUPPORTED_TYPES.has(message.type)) return { kind: 'unsupported', what: message.type };
  return { kind: 'ignore' };
}
