import type { Telegram } from 'telegraf';
import type { InlineKeyboardMarkup } from 'telegraf/types';
import type { Option, Reply } from '../../core/messages.js';
import { splitText } from '../split-text.js';
import { MAX_CALLBACK_DATA_BYTES, SPLIT_AT } from './limits.js';

/** sendMessage's options (parse mode, preview, keyboard), as telegraf takes them. */
export type MessageExtra = NonNullable<Parameters<Telegram['sendMessage']>[2]>;

/** One Bot API call, as data: what a reply becomes on Telegram. */
export type TelegramOp =
  | { method: 'sendMessage'; text: string; extra: MessageExtra }
  | { method: 'sendVenue'; lat: number; lon: number; title: string; address: string }
  | { method: 'sendLocation'; lat: number; lon: number };

/** Telegram's HTML parse mode needs only these three escaped; most texts have none of them. */
const escapeHtml = (s: string) =>
  /[&<>]/.test(s) ? s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;') : s;

const fitsCallback = (id: string) =>
  Buffer.byteLength(id, 'utf8') <= MAX_CALLBACK_DATA_BYTES && id.length > 0;

/** Short labels go two to a row; long ones get a row each, so nothing is cut on a phone. */
function keyboard(options: readonly Option[]): InlineKeyboardMarkup {
  const rows: InlineKeyboardMarkup['inline_keyboard'] = [];
  let row: InlineKeyboardMarkup['inline_keyboard'][number] = [];
  for (const o of options.filter((x) => fitsCallback(x.id))) {
    const button = { text: o.label, callback_data: o.id };
    if (o.label.length > 18) {
      if (row.length) rows.push(row);
      rows.push([button]);
      row = [];
    } else {
      row.push(button);
      if (row.length === 2) {
        rows.push(row);
        row = [];
      }
    }
  }
  if (row.length) rows.push(row);
  return { inline_keyboard: rows };
}

// Replies are plain text, escaped for HTML. A link in one (a map) would unfurl into a large
// preview; Telegram finds bare domains too, so anything like one turns previews off. Most
// answers have none and are sent without the option.
const LINK_LIKE = /[a-z0-9]\.[a-z]{2,}|:\/\//i;
const NO_PREVIEW = { is_disabled: true };
const HTML: MessageExtra = { parse_mode: 'HTML' };
const HTML_NO_PREVIEW: MessageExtra = { parse_mode: 'HTML', link_preview_options: NO_PREVIEW };

// Written out, not `{ ...base, reply_markup }`: V8 takes a slow path for a spread followed by a property.
function extraFor(text: string, reply_markup?: MessageExtra['reply_markup']): MessageExtra {
  const preview = !LINK_LIKE.test(text);
  if (!reply_markup) return preview ? HTML : HTML_NO_PREVIEW;
  return preview
    ? { parse_mode: 'HTML', reply_markup }
    : { parse_mode: 'HTML', link_preview_options: NO_PREVIEW, reply_markup };
}

/**
 * A core reply as Telegram calls: the text (split if long), options as an inline keyboard on the
 * last part, a "send my location" reply keyboard when the reply asks for it, a venue pin for a unit.
 * The location button's label is asked for only when a reply needs it.
 */
export function renderReply(reply: Reply, sendLocationLabel: () => string): TelegramOp[] {
  const ops: TelegramOp[] = [];
  if (reply.text.trim()) {
    const parts = splitText(reply.text, SPLIT_AT);
    parts.forEach((part, i) => {
      const last = i === parts.length - 1;
      let markup: MessageExtra['reply_markup'];
      if (last && reply.options?.length) markup = keyboard(reply.options);
      else if (last && reply.requestLocation)
        markup = {
          keyboard: [[{ text: sendLocationLabel(), request_location: true }]],
          resize_keyboard: true,
          one_time_keyboard: true,
        };
      ops.push({ method: 'sendMessage', text: escapeHtml(part), extra: extraFor(part, markup) });
    });
  }
  if (reply.location) {
    const { lat, lon, title, address } = reply.location;
    // a venue needs a title and an address; a bare point is sent as a location pin
    ops.push(
      title && address
        ? { method: 'sendVenue', lat, lon, title, address }
        : { method: 'sendLocation', lat, lon },
    );
  }
  return ops;
}
