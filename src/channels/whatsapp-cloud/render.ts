import type { Option, Reply } from '../../core/messages.js';
import { splitText } from '../split-text.js';
import {
  MAX_BUTTON_ID,
  MAX_BUTTON_TITLE,
  MAX_BUTTONS,
  MAX_INTERACTIVE_BODY,
  MAX_LIST_BUTTON,
  MAX_LIST_ROWS,
  MAX_ROW_DESCRIPTION,
  MAX_ROW_ID,
  MAX_ROW_TITLE,
  MAX_SECTION_TITLE,
  MAX_TEXT,
} from './limits.js';

type Button = { type: 'reply'; reply: { id: string; title: string } };
type Row = { id: string; title: string; description?: string };

/** One Cloud API message, as data (the send adds messaging_product and the recipient). */
export type CloudMessage =
  | { type: 'text'; text: { body: string; preview_url: boolean } }
  | {
      type: 'interactive';
      interactive:
        | { type: 'button'; body: { text: string }; action: { buttons: Button[] } }
        | {
            type: 'list';
            body: { text: string };
            action: { button: string; sections: { title: string; rows: Row[] }[] };
          }
        | { type: 'location_request_message'; body: { text: string }; action: { name: 'send_location' } };
    }
  | { type: 'location'; location: { latitude: number; longitude: number; name?: string; address?: string } };

/** The channel's own words, in the person's language (locales/*: channel.*). */
export interface Words {
  choose: string;
  listButton: string;
  listSection: string;
}

/** Cuts to `max` characters (code points, so an emoji is never split), with an ellipsis when cut. */
export function clip(text: string, max: number): string {
  const chars = [...text];
  return chars.length <= max ? text : `${chars.slice(0, max - 1).join('')}…`;
}

/** A preview is fetched only for a text with a link in it (Meta shows the first URL's card). */
const LINK = /https?:\/\/|www\./i;
const text = (body: string): CloudMessage => ({ type: 'text', text: { body, preview_url: LINK.test(body) } });

/**
 * The core's replies as Cloud API messages: text split under 4096 characters; options as up to 3
 * reply buttons, a list of up to 10 rows, or numbered text beyond that (Botpress's choice.ts); a
 * location request as the interactive "send location" message; a unit's pin after its text.
 * Numbers in numbered text run on across the replies of one answer, as the runner reads them.
 */
export function renderReplies(replies: readonly Reply[], words: () => Words): CloudMessage[] {
  const out: CloudMessage[] = [];
  const addresses = addressBook(replies);
  let offered = 0;
  for (const reply of replies) {
    const options = (reply.options ?? []).filter((o) => o.id.length > 0 && o.id.length <= MAX_ROW_ID);
    const first = offered;
    offered += reply.options?.length ?? 0;
    let body = reply.text;
    if (options.length > MAX_LIST_ROWS)
      body = [body, options.map((o, i) => `${first + i + 1}. ${o.label}`).join('\n')]
        .filter(Boolean)
        .join('\n\n');
    const parts = body.trim() ? splitText(body, MAX_TEXT) : [];
    const interactive =
      options.length > 0 && options.length <= MAX_LIST_ROWS
        ? 'options'
        : reply.requestLocation
          ? 'location'
          : '';
    // An interactive message carries the last part as its body when it fits; else a short prompt.
    const last = interactive && (parts.at(-1)?.length ?? 0) <= MAX_INTERACTIVE_BODY ? parts.pop() : undefined;
    for (const part of parts) out.push(text(part));
    if (interactive) {
      const prompt = last ?? clip(words().choose, MAX_INTERACTIVE_BODY);
      out.push(interactive === 'options' ? choice(prompt, options, words) : locationRequest(prompt));
    }
    if (reply.location) out.push(pin(reply.location, addresses));
  }
  return out;
}

function choice(body: string, options: Option[], words: () => Words): CloudMessage {
  if (options.length <= MAX_BUTTONS && options.every((o) => o.id.length <= MAX_BUTTON_ID))
    return {
      type: 'interactive',
      interactive: {
        type: 'button',
        body: { text: body },
        action: {
          buttons: options.map((o) => ({
            type: 'reply',
            reply: { id: o.id, title: clip(o.label, MAX_BUTTON_TITLE) },
          })),
        },
      },
    };
  const w = words();
  return {
    type: 'interactive',
    interactive: {
      type: 'list',
      body: { text: body },
      action: {
        button: clip(w.listButton, MAX_LIST_BUTTON),
        sections: [{ title: clip(w.listSection, MAX_SECTION_TITLE), rows: options.map(row) }],
      },
    },
  };
}

/** A label too long for a row title shows whole as the row's description. */
function row(option: Option): Row {
  const title = clip(option.label, MAX_ROW_TITLE);
  return title === option.label
    ? { id: option.id, title }
    : { id: option.id, title, description: clip(option.label, MAX_ROW_DESCRIPTION) };
}

const locationRequest = (body: string): CloudMessage => ({
  type: 'interactive',
  interactive: { type: 'location_request_message', body: { text: body }, action: { name: 'send_location' } },
});

type ReplyLocation = NonNullable<Reply['location']>;

function pin(location: ReplyLocation, addresses: Map<string, string>): CloudMessage {
  const name = location.title;
  const address = location.address ?? addresses.get(`${location.lat},${location.lon}`);
  return {
    type: 'location',
    location: {
      latitude: location.lat,
      longitude: location.lon,
      ...(name ? { name } : {}),
      ...(address ? { address } : {}),
    },
  };
}

/** Units listed in the same answer, by coordinates: a pin without its own address shows the unit's. */
function addressBook(replies: readonly Reply[]): Map<string, string> {
  const book = new Map<string, string>();
  for (const f of replies.flatMap((r) => r.facilities ?? []))
    if (f.address) book.set(`${f.lat},${f.lon}`, f.address);
  return book;
}
