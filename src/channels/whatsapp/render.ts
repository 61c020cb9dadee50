import type { Option, Reply } from '../../core/messages.js';
import { Location } from './wwebjs.js';

/** What one answer becomes on WhatsApp: the messages to send, in order, and the options they number. */
export interface Rendered {
  /** Exactly what `client.sendMessage` takes: text, or a location pin. */
  messages: (string | Location)[];
  /** The options shown, in the order of their numbers (option n is offered[n - 1]). */
  offered: Option[];
}

/**
 * The core's replies as WhatsApp messages. WhatsApp has no buttons for linked-device clients
 * (whatsapp-web.js deprecated Buttons and List: WhatsApp stopped delivering them), so options
 * become a numbered list the person answers by typing a number or a word, as Rasa's and
 * Botpress's WhatsApp channels do. Numbers run on across the replies of one answer, so each shown
 * number picks exactly one option.
 */
export function renderReplies(replies: readonly Reply[]): Rendered {
  const messages: (string | Location)[] = [];
  const offered: Option[] = [];
  const addresses = addressBook(replies);
  for (const reply of replies) {
    const options = reply.options ?? [];
    const list = options.map((o, i) => `${offered.length + i + 1}. ${o.label}`).join('\n');
    offered.push(...options);
    if (reply.location) {
      // The pin follows the text it belongs to; a menu in the same reply goes after the pin, so
      // the last thing on screen is what the numbers answer.
      if (reply.text) messages.push(reply.text);
      messages.push(pin(reply.location, addresses));
      if (list) messages.push(list);
    } else {
      const body = [reply.text, list].filter(Boolean).join('\n\n');
      if (body) messages.push(body);
    }
  }
  return { messages, offered };
}

type ReplyLocation = NonNullable<Reply['location']>;

function pin(location: ReplyLocation, addresses: Map<string, string>): Location {
  const name = location.title;
  const own = 'address' in location && typeof location.address === 'string' ? location.address : undefined;
  const address =
    own ?? addresses.get(key(location.lat, location.lon)) ?? (name ? addresses.get(name) : undefined);
  return new Location(location.lat, location.lon, {
    ...(name ? { name } : {}),
    ...(address ? { address } : {}),
  });
}

/** Units listed in the same answer, by coordinates and by name: the pin shows the unit's address. */
function addressBook(replies: readonly Reply[]): Map<string, string> {
  const book = new Map<string, string>();
  for (const f of replies.flatMap((r) => r.facilities ?? [])) {
    if (!f.address) continue;
    book.set(key(f.lat, f.lon), f.address);
    book.set(f.name, f.address);
  }
  return book;
}

const key = (lat: number, lon: number) => `${lat},${lon}`;
