import type { Block } from '../core/clock.js';
import type { FacilityRow } from '../facilities/types.js';
import type { Db } from './open.js';

/** The staging database's page cache: the rows live on disk, not in the importer's memory. */
const CACHE_KB = 2048;

/** Queued changes flushed per transaction: bounded memory, and few commits. */
const FLUSH_OPS = 512;

type Op =
  | { op: 'keep'; line: number; clues: string; row: string; fixed: string | null }
  | { op: 'drop' | 'retire'; clues: string }
  | { op: 'schedule'; clues: string; blocks: string };

export interface StagedUnit {
  line: number;
  row: FacilityRow;
  /** The HORARIOS blocks staged for the unit; undefined when none were. */
  schedule?: Block[];
}

let attached = 0;

/**
 * Where a catalogue file's units wait while the file is read (importClues): a private temporary
 * database attached to the importer's connection (SQLite's ATTACH '': a file of its own, deleted on
 * DETACH or close). The importer's memory then stays the same whatever the size of the file, and the
 * bot's own tables are not touched until the whole file has been read and checked, so a file found
 * broken at its last line still changes nothing. Changes are queued and flushed in transactions that
 * touch only this database (no write lock on the bot's), never left open across an await: another user
 * of the connection would otherwise join our transaction, or lose its writes to our rollback.
 */
export class FacilityStaging {
  private readonly schema = `clues_staging_${++attached}`;
  private readonly queue: Op[] = [];
  /** Keys kept (their line) or dropped (null) by queued changes, which the tables do not show yet. */
  private readonly queued = new Map<string, number | null>();
  private readonly statements;
  private readonly apply;
  private open = true;
  /** Whether any key was retired: until then a kept unit has nothing to un-retire. */
  private retiring = false;

  constructor(private readonly db: Db) {
    const s = this.schema;
    db.prepare(`ATTACH DATABASE '' AS ${s}`).run();
    // Scratch data, dropped on any failure: no journal, no fsync.
    db.pragma(`${s}.journal_mode = OFF`);
    db.pragma(`${s}.synchronous = OFF`);
    db.pragma(`${s}.cache_size = -${CACHE_KB}`);
    db.exec(`
      CREATE TABLE ${s}.units (line INTEGER PRIMARY KEY, clues TEXT NOT NULL UNIQUE, row TEXT NOT NULL, fixed TEXT);
      CREATE TABLE ${s}.retired (clues TEXT PRIMARY KEY) WITHOUT ROWID;
      CREATE TABLE ${s}.schedules (clues TEXT PRIMARY KEY, blocks TEXT NOT NULL) WITHOUT ROWID;
    `);
    this.statements = {
      keptLine: db.prepare<[string], { line: number }>(`SELECT line FROM ${s}.units WHERE clues = ?`),
      keep: db.prepare<[number, string, string, string | null]>(
        `INSERT OR REPLACE INTO ${s}.units (line, clues, row, fixed) VALUES (?, ?, ?, ?)`,
      ),
      drop: db.prepare<[string]>(`DELETE FROM ${s}.units WHERE clues = ?`),
      retire: db.prepare<[string]>(`INSERT OR IGNORE INTO ${s}.retired (clues) VALUES (?)`),
      unretire: db.prepare<[string]>(`DELETE FROM ${s}.retired WHERE clues = ?`),
      schedule: db.prepare<[string, string]>(
        `INSERT OR REPLACE INTO ${s}.schedules (clues, blocks) VALUES (?, ?)`,
      ),
      count: db.prepare<[], { n: number }>(`SELECT count(*) AS n FROM ${s}.units`),
      batch: db.prepare<[number, number], { line: number; row: string; blocks: string | null }>(
        `SELECT u.line, u.row, s.blocks FROM ${s}.units u LEFT JOIN ${s}.schedules s USING (clues)
         WHERE u.line > ? ORDER BY u.line LIMIT ?`,
      ),
      fixed: db.prepare<[], { line: number; clues: string; what: string }>(
        `SELECT line, clues, fixed AS what FROM ${s}.units WHERE fixed IS NOT NULL ORDER BY line`,
      ),
      removeRetired: db.prepare(
        `DELETE FROM main.facilities WHERE clues IN (SELECT clues FROM ${s}.retired)`,
      ),
    };
    this.apply = db.transaction((ops: readonly Op[]) => {
      const st = this.statements;
      for (const o of ops) {
        if (o.op === 'keep') {
          st.keep.run(o.line, o.clues, o.row, o.fixed);
          // The latest row on a key wins: a unit kept again is no longer retired.
          if (this.retiring) st.unretire.run(o.clues);
        } else if (o.op === 'schedule') st.schedule.run(o.clues, o.blocks);
        else if (o.op === 'drop') st.drop.run(o.clues);
        else st.retire.run(o.clues);
      }
    });
  }

  /** The line of the unit staged under this key, if one is. */
  keptLine(clues: string): number | undefined {
    const queued = this.queued.get(clues);
    if (queued !== undefined) return queued ?? undefined;
    return this.statements.keptLine.get(clues)?.line;
  }

  keep(line: number, row: FacilityRow, fixed?: string): void {
    this.push({ op: 'keep', line, clues: row.clues, row: JSON.stringify(row), fixed: fixed ?? null });
    this.queued.set(row.clues, line);
  }

  drop(clues: string): void {
    this.push({ op: 'drop', clues });
    this.queued.set(clues, null);
  }

  /** A key the file closes: removed at the end if an earlier import stored it (unless kept again). */
  retire(clues: string): void {
    this.retiring = true;
    this.push({ op: 'retire', clues });
  }

  /** HORARIOS blocks for a key; a later row for the same key replaces them. */
  schedule(clues: string, blocks: readonly Block[]): void {
    this.push({ op: 'schedule', clues, blocks: JSON.stringify(blocks) });
  }

  private push(op: Op): void {
    this.queue.push(op);
    if (this.queue.length >= FLUSH_OPS) this.flush();
  }

  flush(): void {
    if (!this.queue.length) return;
    this.apply(this.queue);
    this.queue.length = 0;
    this.queued.clear();
  }

  /** Units staged (after flush). */
  count(): number {
    return this.statements.count.get()?.n ?? 0;
  }

  /** Up to `limit` staged units after line `afterLine`, in file order (after flush). */
  batch(afterLine: number, limit: number): StagedUnit[] {
    return this.statements.batch.all(afterLine, limit).map(({ line, row, blocks }) => ({
      line,
      row: JSON.parse(row) as FacilityRow,
      ...(blocks !== null && { schedule: JSON.parse(blocks) as Block[] }),
    }));
  }

  /** Units whose coordinates were repaired, in file order (after flush). */
  fixed(): { line: number; clues: string; what: string }[] {
    return this.statements.fixed.all();
  }

  /** Deletes from the facilities table the units the file closes; how many there were. */
  removeRetired(): number {
    return this.statements.removeRetired.run().changes;
  }

  /** Drops the staging database and its file. */
  close(): void {
    if (!this.open) return;
    this.open = false;
    this.queue.length = 0;
    this.queued.clear();
    this.db.prepare(`DETACH DATABASE ${this.schema}`).run();
  }
}
