import { createHash, createHmac } from 'node:crypto';

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
