import { z } from 'zod';

/**
 * The channel-neutral message shapes: what every adapter turns its platform's updates into, and
 * what the engine answers. Validated at the boundary so the core can trust them.
 */
const Base = {
  channel: z.string().min(1).max(32),
  /** The platform's id for the user; hashed before it is stored. Opaque to the core. */
  userId: z.string().min(1).max(200),
  receivedAt: z.date(),
  /** The platform's id for this message, when it has one: a redelivered message is answered once. */
  messageId: z.string().min(1).max(200).optional(),
};

export const LatLon = z
  .object({ lat: z.number().min(-90).max(90), lon: z.number().min(-180).max(180) })
  .strict();
export type LatLon = z.infer<typeof LatLon>;

export const IncomingMessage = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('text'), text: z.string(), ...Base }),
  z.object({ kind: z.literal('location'), location: LatLon, ...Base }),
  /** The id of an option the bot offered (a button press, or a number typed on WhatsApp). */
  z.object({ kind: z.literal('option'), option: z.string().max(64), ...Base }),
  /** A deep-link start (Telegram /start <payload>, or a promoter code in a first message). */
  z.object({ kind: z.literal('start'), payload: z.string().max(64), ...Base }),
  /** Something the bot cannot read (photo, sticker, voice note, document): answered politely. */
  z.object({ kind: z.literal('unsupported'), what: z.string().max(32), ...Base }),
]);
export type IncomingMessage = z.infer<typeof IncomingMessage>;

export interface Option {
  /** Stable id, at most 64 bytes (Telegram callback data). */
  id: string;
  label: string;
}

export interface FacilityView {
  id: string;
  name: string;
  address: string;
  lat: number;
  lon: number;
  distance_km: number;
  open_now: boolean;
}

export interface Reply {
  text: string;
  /** This reply asks for the person's location: channels that can, offer a "send my location" button. */
  requestLocation?: boolean;
  options?: Option[];
  location?: LatLon & { title?: string; address?: string };
  facilities?: FacilityView[];
}
