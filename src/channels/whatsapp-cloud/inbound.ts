import { z } from 'zod';
import type { LatLon } from '../../core/messages.js';
import { isPromoterCode } from '../../core/promoter-code.js';
import { parsePromoter } from '../../runner/promoter.js';

/**
 * The webhook payload, as much of it as the channel reads; everything else passes unread.
 * https://developers.facebook.com/docs/whatsapp/cloud-api/webhooks/components
 */
const CloudMessage = z.looseObject({
  from: z.string().min(1).max(64),
  id: z.string().min(1).max(200),
  timestamp: z.string().optional(),
  type: z.string(),
  text: z.looseObject({ body: z.string() }).optional(),
  location: z.looseObject({ latitude: z.number(), longitude: z.number() }).optional(),
  interactive: z
    .looseObject({
      type: z.string(),
      button_reply: z.looseObject({ id: z.string() }).optional(),
      list_reply: z.looseObject({ id: z.string() }).optional(),
    })
    .optional(),
  button: z.looseObject({ text: z.string() }).optional(),
  referral: z
    .looseObject({ source_id: z.string().optional(), source_type: z.string().optional() })
    .optional(),
});
export type CloudMessage = z.infer<typeof CloudMessage>;

const CloudStatus = z.looseObject({
  id: z.string(),
  status: z.string(),
  recipient_id: z.string().optional(),
  errors: z.array(z.looseObject({ code: z.number().optional(), title: z.string().optional() })).optional(),
});
export type CloudStatus = z.infer<typeof CloudStatus>;

export const WebhookPayload = z.looseObject({
  object: z.string(),
  entry: z.array(
    z.looseObject({
      changes: z.array(
        z.looseObject({
          field: z.string(),
          value: z.looseObject({
            metadata: z.looseObject({ phone_number_id: z.string() }).optional(),
            messages: z.array(CloudMessage).optional(),
            statuses: z.array(CloudStatus).optional(),
          }),
        }),
      ),
    }),
  ),
});
export type WebhookPayload = z.infer<typeof WebhookPayload>;

/** A message as the channel reads it, before the runner adds who and when. */
export type Inbound =
  | { kind: 'text'; text: string }
  | { kind: 'location'; location: LatLon }
  | { kind: 'option'; option: string }
  | { kind: 'start'; payload: string }
  | { kind: 'unsupported'; what: string }
  | { kind: 'ignore' };

/** Option ids the bot offers are at most 64 characters (core/messages.ts). */
const MAX_OPTION_ID = 64;

/**
 * One Cloud API message as the core's kinds: text; a location pin; a pressed reply button or list
 * row (its id is the offered option's); a template's quick-reply button as its text; a first
 * contact's welcome request as a start. Media, stickers, contacts and reactions are answered with
 * the polite "text and locations only"; system notices (number changed) are not answered.
 */
export function readMessage(message: CloudMessage): Inbound {
  switch (message.type) {
    case 'text':
      return message.text
        ? { kind: 'text', text: withReferral(message.text.body, message) }
        : unsupported('text');
    case 'location': {
      const loc = message.location;
      if (!loc || Math.abs(loc.latitude) > 90 || Math.abs(loc.longitude) > 180)
        return unsupported('location');
      return { kind: 'location', location: { lat: loc.latitude, lon: loc.longitude } };
    }
    case 'interactive': {
      const id = message.interactive?.button_reply?.id ?? message.interactive?.list_reply?.id;
      if (id && id.length <= MAX_OPTION_ID) return { kind: 'option', option: id };
      return unsupported(`interactive:${message.interactive?.type ?? '?'}`);
    }
    case 'button':
      return message.button ? { kind: 'text', text: message.button.text } : unsupported('button');
    case 'request_welcome':
      return { kind: 'start', payload: '' };
    case 'system':
      return { kind: 'ignore' };
    default:
      // image, audio, voice, video, document, sticker, contacts, reaction, order, unsupported…
      return unsupported(message.type);
  }
}

const unsupported = (what: string): Inbound => ({ kind: 'unsupported', what: what.slice(0, 32) });

/**
 * A Click-to-WhatsApp ad's referral, counted like a promoter's link: the text is read as if it
 * began with "código <code>" (the click-to-chat convention the runner already reads, runner/
 * promoter.ts), unless it carries a promoter code of its own.
 */
function withReferral(text: string, message: CloudMessage): string {
  const source = message.referral?.source_id;
  if (!source || parsePromoter(text)) return text;
  const code = referralCode(source);
  return code ? `código ${code} ${text}` : text;
}

const LETTERS = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ';

/**
 * The promoter code for an ad or post id. Ad ids are 15–20 digits, which the promoter rules
 * refuse as phone-like (core/promoter-code.ts: 10 digits make a phone number), so the number is
 * written in base 26 with the letters A–Z (A = 0, most significant first), after "AD1-": a code
 * with one digit, which passes, and which an operator can turn back into the ad id. Other ids
 * (post ids like "123_456") keep only their digits, one letter each (0 = A … 9 = J).
 */
export function referralCode(sourceId: string): string | undefined {
  let body: string;
  if (/^\d{1,40}$/.test(sourceId)) {
    let n = BigInt(sourceId);
    body = '';
    do {
      body = (LETTERS[Number(n % 26n)] as string) + body;
      n /= 26n;
    } while (n > 0n);
  } else {
    body = sourceId
      .replace(/[^0-9]/g, '')
      .split('')
      .map((d) => LETTERS[Number(d)])
      .join('');
  }
  const code = `AD1-${body.slice(0, 60)}`;
  return body && isPromoterCode(code) ? code : undefined;
}
