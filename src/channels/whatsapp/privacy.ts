import { createHmac, randomBytes } from 'node:crypto';

/**
 * Logs never carry a phone number or message text. A chat appears as a short salted hash:
 * enough to follow one conversation through the logs, useless to recover the number (WhatsApp
 * ids are phone numbers, a small space to brute-force, hence the secret salt).
 */
export function chatTagger(salt: string | undefined): (chatId: string) => string {
  // Without HASH_SALT (development) a per-process salt: tags are stable until restart only.
  const key = salt ?? randomBytes(32).toString('base64url');
  return (chatId) =>
    createHmac('sha256', key).update(`whatsapp\u0000${chatId}`).digest('base64url').slice(0, 10);
}

/** WhatsApp ids (`<number>@c.us`, `…@lid`, `…@g.us`…) anywhere in a text. */
const CHAT_ID = /[\w.+-]*@(?:c\.us|lid|g\.us|s\.whatsapp\.net|newsletter|broadcast)\b/g;

/** Chat ids and long digit runs (phone numbers) in library error messages replaced, length capped. */
export function redact(text: string): string {
  return text
    .replace(CHAT_ID, '<chat>')
    .replace(/\d{6,}/g, '…')
    .slice(0, 200);
}

/** An error as a log field: its name and a redacted message, never a payload. */
export function describeError(err: unknown): { name: string; message: string } {
  if (err instanceof Error) return { name: err.name, message: redact(err.message) };
  // whatsapp-web.js throws bare strings ('auth timeout', 'ready timeout').
  return { name: typeof err, message: redact(String(err)) };
}
