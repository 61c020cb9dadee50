import type { InlineKeyboardButton, KeyboardButton } from 'telegraf/types';
import type { Reply } from '../../core/messages.js';
import { MAX_CALLBACK_DATA_BYTES, SPLIT_AT } from './limits.js';

/** One Bot API call, as data: what a reply becomes on Telegram. */
export type TelegramOp =
  | {
      method: 'sendMessage';
      text: string;
      inline?: InlineKeyboardButton[][];
      requestLocation?: string;
    }
  | { method: 'sendVenue'; lat: number; lon: number; title: string; address: string }
  | { method: 'sendLocation'; lat: number; lon: number };

/** Telegram's HTML parse mode needs only these three escaped. */
export const escapeHtml = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

/** Splits long text under the limit, at a line break when there is one. */
function splitText(text: string, max = SPLIT_AT): string[] {
  const parts: string[] = [];
  let rest = text;
  while (rest.length > max) {
    const cut = rest.lastIndexOf('\n', max);
    const at = cut > max / 2 ? cut : max;
    parts.push(rest.slice(0, at));
    rest = rest.slice(at).replace(/^\n/, '');
  }
  if (rest.length || !parts.length) parts.push(rest);
  return parts;
}

const fitsCallback = (id: string) =>
  Buffer.byteLength(id, 'utf8') <= MAX_CALLBACK_DATA_BYTES && id.length > 0;

/** Short labels go two to a row; long ones get a row each, so nothing is cut on a phone. */
function keyboard(options: NonNullable<Reply['options']>): InlineKeyboardButton[][] {
  const rows: InlineKeyboardButton[][] = [];
  let row: InlineKeyboardButton[] = [];
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
  return rows;
}

/**
 * A core reply as Telegram calls: the text (split if long), options as an inline keyboard on the
 * last part, a "send my location" reply keyboard when the reply asks for it, a venue pin for a unit.
 */
export function renderReply(reply: Reply, sendLocationLabel: string): TelegramOp[] {
  const ops: TelegramOp[] = [];
  if (reply.text.trim()) {
    const parts = splitText(reply.text);
    parts.forEach((part, i) => {
      const last = i === parts.length - 1;
      const op: TelegramOp = { method: 'sendMessage', text: part };
      if (last && reply.options?.length) op.inline = keyboard(reply.options);
      else if (last && reply.requestLocation) op.requestLocation = sendLocationLabel;
      ops.push(op);
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

export const locationKeyboard = (label: string): KeyboardButton[][] => [
  [{ text: label, request_location: true }],
];
