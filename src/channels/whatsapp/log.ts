/**
 * What the channel needs from a logger (pino fits). Fields only: never a phone number, a chat id
 * or message text (see privacy.ts).
 */
export interface WhatsAppLog {
  debug(fields: object, msg: string): void;
  info(fields: object, msg: string): void;
  warn(fields: object, msg: string): void;
  error(fields: object, msg: string): void;
}
