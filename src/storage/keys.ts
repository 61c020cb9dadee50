import { createCipheriv, createDecipheriv, createHash, createHmac, randomBytes } from 'node:crypto';

/** A salted HMAC of channel and user id: the same person maps to the same key, and the id cannot be read back. */
export function hashUser(salt: string, channel: string, userId: string): string {
  return createHmac('sha256', salt).update(`${channel}\u0000${userId}`).digest('base64url');
}

/**
 * A short digest of a platform message id, for de-duplication. WhatsApp ids contain the phone
 * number; the digest cannot give it back (the id also carries a random part), and 12 characters
 * keep collisions within one chat's few remembered ids negligible.
 */
export function messageDigest(messageId: string): string {
  return createHash('sha256').update(messageId).digest('base64url').slice(0, 12);
}

/**
 * Chat ids the outbox must be able to send to after a restart, sealed with AES-256-GCM under a key
 * derived from the salt: the database file alone never gives a phone number back (WhatsApp chat
 * ids are phone numbers), and a row altered in the file does not open.
 */
export class ChatSeal {
  private readonly key: Buffer;
  /**
   * Nonces: 8 random bytes per process (renewed every 2^32 seals) and a counter, so none repeats
   * under one key. A random nonce per seal cost more than the rest of the outbox (measured).
   */
  private prefix = randomBytes(8);
  private counter = 0;

  constructor(salt: string) {
    this.key = createHmac('sha256', salt).update('vacunabot outbox chat ids').digest();
  }

  seal(chatId: string): string {
    if (this.counter === 0xffffffff) {
      this.prefix = randomBytes(8);
      this.counter = 0;
    }
    const iv = Buffer.allocUnsafe(12);
    this.prefix.copy(iv, 0);
    iv.writeUInt32BE(this.counter++, 8);
    const cipher = createCipheriv('aes-256-gcm', this.key, iv);
    const sealed = Buffer.concat([cipher.update(chatId, 'utf8'), cipher.final()]);
    return Buffer.concat([iv, cipher.getAuthTag(), sealed]).toString('base64url');
  }

  /** Throws when the text was not sealed with this salt (or was altered). */
  open(text: string): string {
    const raw = Buffer.from(text, 'base64url');
    const decipher = createDecipheriv('aes-256-gcm', this.key, raw.subarray(0, 12));
    decipher.setAuthTag(raw.subarray(12, 28));
    return Buffer.concat([decipher.update(raw.subarray(28)), decipher.final()]).toString('utf8');
  }
}
