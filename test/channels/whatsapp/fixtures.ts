import type { RawMessage } from './fake-web.js';

/**
 * Message models shaped like WhatsApp Web's (what `WWebJS.getMessageModel` returns and
 * whatsapp-web.js's Message reads). Numbers are from Mexico's fictional range (55 5555 01xx).
 */
export const BOT = '5215555550100@c.us';
export const PERSON = '5215555550123@c.us';
export const LID_PERSON = '187743260278894@lid';
export const GROUP = '120363041234567890@g.us';
export const STATUS = 'status@broadcast';

let counter = 0;
/** A fresh id like the ones WhatsApp clients generate (Android: 32 hex, iOS: 3A…, web: 3EB0…). */
const newId = () => `3A${(++counter).toString(16).padStart(18, '0').toUpperCase()}`;
const now = () => Math.floor(Date.parse('2025-01-15T16:00:00Z') / 1000) + counter;

function base(from: string, type: string, body: string, over: Partial<RawMessage> = {}): RawMessage {
  const { id: ownId, ...rest } = over;
  const id = ownId?.id ?? newId();
  const fromMe = ownId?.fromMe ?? false;
  const remote = ownId?.remote ?? from;
  const participant = ownId?.participant;
  return {
    id: {
      fromMe,
      remote,
      id,
      _serialized: `${fromMe}_${remote}_${id}${participant ? `_${participant}` : ''}`,
      ...(participant ? { participant } : {}),
    },
    type,
    body,
    t: now(),
    from,
    to: BOT,
    notifyName: 'María',
    ack: 1,
    isNewMsg: true,
    broadcast: false,
    isForwarded: false,
    star: false,
    mentionedJidList: [],
    links: [],
    ...rest,
  };
}

export const text = (from: string, body: string, over?: Partial<RawMessage>) =>
  base(from, 'chat', body, over);

/** WhatsApp puts a JPEG thumbnail of the map in `body`; `loc` is "name\naddress" for a place. */
export const location = (from: string, lat: number, lng: number) =>
  base(from, 'location', '/9j/4AAQSkZJRgABAQAAAQABAAD/2wBDAAMCAgI', { lat, lng });

const MEDIA: Record<string, Partial<RawMessage>> = {
  image: { mimetype: 'image/jpeg', caption: 'mira mi cartilla' },
  video: { mimetype: 'video/mp4', duration: '12' },
  ptt: { mimetype: 'audio/ogg; codecs=opus', duration: '7' },
  audio: { mimetype: 'audio/mpeg', duration: '95' },
  sticker: { mimetype: 'image/webp' },
  document: { mimetype: 'application/pdf', filename: 'receta.pdf' },
};

export const media = (from: string, type: keyof typeof MEDIA) =>
  base(from, type, '', {
    directPath: '/v/t62.7118-24/21427642_1015386433722441_n.enc?ccb=11-4',
    mediaKey: 'mSGzkwm3dCjA0bRdQx9uBtcn7U0mPdt0wNq9r7pVt1k=',
    size: 48211,
    ...MEDIA[type],
  });

/** In a group, `from` is the group and `author` the member who wrote. */
export const inGroup = (body: string) =>
  base(GROUP, 'chat', body, {
    author: PERSON,
    id: { fromMe: false, remote: GROUP, id: newId(), _serialized: '', participant: PERSON },
  });

/** A status (story) update: the remote is status@broadcast. */
export const status = (body: string) => base(STATUS, 'chat', body, { author: PERSON, isStatusV3: true });

/** The bot's own message (sent from the phone, or an echo). */
export const own = (to: string, body: string) =>
  base(BOT, 'chat', body, { to, id: { fromMe: true, remote: to, id: newId(), _serialized: '' } });
