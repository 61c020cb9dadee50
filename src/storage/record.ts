import { z } from 'zod';
import { Session } from '../core/session.js';
import type { ChatRecord } from './ports.js';

/** Inbound message ids remembered per chat, and for how long (Meta redelivers webhooks for up to 7 days). */
export const SEEN_PER_CHAT = 24;
export const SEEN_FOR_MS = 7 * 24 * 60 * 60 * 1000;

const Stored = z.object({
  session: Session,
  // A part that no longer parses (written by another version) reads as none, not as a lost session.
  offered: z
    .array(z.object({ id: z.string().max(64), label: z.string().max(200) }))
    .max(20)
    .optional()
    .catch(undefined),
  seen: z
    .array(z.tuple([z.string().max(16), z.number()]))
    .max(SEEN_PER_CHAT)
    .optional()
    .catch(undefined),
  updatedAt: z.number(),
});

/**
 * A record as stored (JSON text), validated. Rows written before records existed hold a bare
 * session: they read as a record last updated at `storedAt`. Throws when the text is unreadable.
 */
export function parseRecord(state: string, version: number, storedAt: number): ChatRecord {
  const value: unknown = JSON.parse(state);
  if (value && typeof value === 'object' && 'session' in value) {
    const stored = Stored.parse(value);
    return { ...withoutUndefined(stored), version };
  }
  return { session: Session.parse(value), updatedAt: storedAt, version };
}

/** The text a store keeps; the version lives beside it (a column, a hash field). */
export function serializeRecord({ version: _, ...stored }: ChatRecord): string {
  return JSON.stringify(stored);
}

function withoutUndefined<T extends object>(value: T): T {
  for (const key of Object.keys(value) as (keyof T)[]) if (value[key] === undefined) delete value[key];
  return value;
}
