import {
  type ChatRecord,
  type DayRange,
  type MessageRow,
  type MissedRow,
  type OutboxChange,
  type RecordWrite,
  type ReferralRow,
  type Report,
  type SessionStorage,
  type StatsBatch,
  type StatsStorage,
  type StoredOutboxRow,
  UNCHANGED,
  type WriteResult,
} from './ports.js';
import { parseRecord, serializeRecord } from './record.js';

/**
 * Chat records in this process's memory: for tests and for a throwaway console session. Stored as
 * text, like every other store, so what a caller holds is never the stored state itself.
 */
export class MemorySessionStorage implements SessionStorage {
  private readonly rows = new Map<string, { state: string; version: number; at: number }>();

  read(key: string, known?: number): ChatRecord | undefined | typeof UNCHANGED {
    const row = this.rows.get(key);
    if (!row) return undefined;
    return row.version === known ? UNCHANGED : parseRecord(row.state, row.version, row.at);
  }

  private readonly outboxRows = new Map<number, StoredOutboxRow>();
  private nextId = 1;
  private readonly blocked = new Map<string, [channel: string, hash: string]>();

  writeMany(writes: readonly RecordWrite[], outbox?: OutboxChange): WriteResult {
    const refused: string[] = [];
    for (const { key, record, expected } of writes) {
      if (this.rows.get(key)?.version !== expected) refused.push(key);
      else this.rows.set(key, { state: serializeRecord(record), version: record.version, at: Date.now() });
    }
    const added = (outbox?.add ?? []).map((row) => {
      const id = this.nextId++;
      this.outboxRows.set(id, { ...row, id });
      return id;
    });
    for (const id of outbox?.remove ?? []) this.outboxRows.delete(id);
    return { refused, added };
  }

  outbox(dropBefore: number): { rows: StoredOutboxRow[]; dropped: number } {
    let dropped = 0;
    for (const [id, row] of this.outboxRows)
      if (row.at < dropBefore) {
        this.outboxRows.delete(id);
        dropped++;
      }
    return { rows: [...this.outboxRows.values()].map((row) => ({ ...row })), dropped };
  }

  blockedChats(): [string, string][] {
    return [...this.blocked.values()];
  }

  setBlocked(channel: string, hash: string, blocked: boolean, max: number): void {
    const key = channel + SEP + hash;
    this.blocked.delete(key);
    if (!blocked) return;
    this.blocked.set(key, [channel, hash]);
    if (this.blocked.size > max) this.blocked.delete(this.blocked.keys().next().value as string);
  }

  get size(): number {
    return this.rows.size;
  }
}

const SEP = '\u0000';
const inRange = (day: string, { from, to }: DayRange) => (!from || day >= from) && (!to || day <= to);
const byKeys = (a: string[], b: string[]) => {
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return (a[i] ?? '') < (b[i] ?? '') ? -1 : 1;
  return 0;
};

/** Statistics in memory, answering the same report the SQLite store does. */
export class MemoryStatsStorage implements StatsStorage {
  private readonly messages = new Map<string, number>();
  private readonly missed = new Map<string, number>();
  /** Per person and code, the day of the first start with it. */
  private readonly referrals = new Map<string, { code: string; channel: string; day: string }>();

  add(batch: StatsBatch): void {
    for (const [day, channel, lang, intent, n] of batch.messages) {
      const key = [day, channel, lang, intent].join(SEP);
      this.messages.set(key, (this.messages.get(key) ?? 0) + n);
    }
    for (const [day, lang, text, n] of batch.missed) {
      const key = [day, lang, text].join(SEP);
      this.missed.set(key, (this.missed.get(key) ?? 0) + n);
    }
    for (const [hash, code, channel, day] of batch.referrals) {
      const key = hash + SEP + code;
      if (!this.referrals.has(key)) this.referrals.set(key, { code, channel, day });
    }
  }

  report(range: DayRange, limits: { missed?: number } = {}): Report {
    const messages: MessageRow[] = [...this.messages]
      .map(([key, messages]) => {
        const [day, channel, lang, intent] = key.split(SEP) as [string, string, string, string];
        return { day, channel, lang, intent, messages };
      })
      .filter((r) => inRange(r.day, range))
      .sort((a, b) => byKeys([a.day, a.channel, a.lang, a.intent], [b.day, b.channel, b.lang, b.intent]));
    const people = new Map<string, number>();
    for (const { code, channel, day } of this.referrals.values()) {
      if (!inRange(day, range)) continue;
      const key = [day, code, channel].join(SEP);
      people.set(key, (people.get(key) ?? 0) + 1);
    }
    const referrals: ReferralRow[] = [...people]
      .map(([key, n]) => {
        const [day, code, channel] = key.split(SEP) as [string, string, string];
        return { day, code, channel, people: n };
      })
      .sort((a, b) => byKeys([a.day, a.code, a.channel], [b.day, b.code, b.channel]));
    const counts = new Map<string, number>();
    for (const [key, n] of this.missed) {
      const [day, lang, text] = key.split(SEP) as [string, string, string];
      if (inRange(day, range)) counts.set(text + SEP + lang, (counts.get(text + SEP + lang) ?? 0) + n);
    }
    const missed: MissedRow[] = [...counts]
      .map(([key, count]) => {
        const [text, lang] = key.split(SEP) as [string, string];
        return { text, lang, count };
      })
      .sort((a, b) => b.count - a.count || byKeys([a.text, a.lang], [b.text, b.lang]))
      .slice(0, limits.missed ?? undefined);
    return { range, messages, referrals, missed };
  }
}
