import { createHash, timingSafeEqual } from 'node:crypto';

/**
 * Whether a secret sent by a client equals the configured one, in constant time: both are hashed
 * first, so the comparison runs on equal-length buffers and leaks neither content nor length.
 * A missing header (undefined, or several values) never matches.
 */
export function sameSecret(sent: string | string[] | undefined, expected: string): boolean {
  if (typeof sent !== 'string') return false;
  const digest = (s: string) => createHash('sha256').update(s, 'utf8').digest();
  return timingSafeEqual(digest(sent), digest(expected));
}
