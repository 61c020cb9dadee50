import type { Block } from '../core/clock.js';
import { readDemoFacilities } from '../facilities/demo.js';
import type { FacilityRow, FacilityRows, UnitPoints } from '../facilities/types.js';
import type { Db } from './open.js';

type Stored = {
  clues: string;
  institution: string;
  name: string;
  kind: string | null;
  typology: string | null;
  street: string | null;
  number: string | null;
  colonia: string | null;
  postal_code: string | null;
  locality: string | null;
  municipality: string | null;
  state: string | null;
  phone: string | null;
  lat: number;
  lon: number;
  schedule: string | null;
  source: string;
  demo: number;
};

const toRow = (s: Stored): FacilityRow => ({
  clues: s.clues,
  institution: s.institution,
  name: s.name,
  kind: s.kind,
  typology: s.typology,
  street: s.street,
  number: s.number,
  colonia: s.colonia,
  postalCode: s.postal_code,
  locality: s.locality,
  municipality: s.municipality,
  state: s.state,
  phone: s.phone,
  lat: s.lat,
  lon: s.lon,
  schedule: s.schedule ? (JSON.parse(s.schedule) as Block[]) : null,
  source: s.source,
  demo: s.demo === 1,
});

const toStored = (r: FacilityRow): Stored => ({
  clues: r.clues,
  institution: r.institution,
  name: r.name,
  kind: r.kind,
  typology: r.typology,
  street: r.street,
  number: r.number,
  colonia: r.colonia,
  postal_code: r.postalCode,
  locality: r.locality,
  municipality: r.municipality,
  state: r.state,
  phone: r.phone,
  lat: r.lat,
  lon: r.lon,
  schedule: r.schedule ? JSON.stringify(r.schedule) : null,
  source: r.source,
  demo: r.demo ? 1 : 0,
});

const COLUMNS = [
  'clues',
  'institution',
  'name',
  'kind',
  'typology',
  'street',
  'number',
  'colonia',
  'postal_code',
  'locality',
  'municipality',
  'state',
  'phone',
  'lat',
  'lon',
  'schedule',
  'source',
  'demo',
] as const;

export type UpsertResult = 'inserted' | 'updated' | 'unchanged';

/**
 * The facilities table. Callers wrap bulk changes in one transaction (db.transaction). The finder
 * reads it through the FacilityRows port (all rows, and the version to notice an import).
 */
export class FacilityStore implements FacilityRows {
  private readonly selectOne;
  private readonly insert;
  private readonly update;
  private readonly selectAll;
  private readonly selectPoints;
  private readonly selectByKey;
  private readonly counts;
  private readonly deleteDemo;
  private readonly deleteOne;
  private readonly selectVersion;

  constructor(readonly db: Db) {
    this.selectOne = db.prepare<[string], Stored>(
      `SELECT ${COLUMNS.join(', ')} FROM facilities WHERE clues = ?`,
    );
    this.insert = db.prepare<Stored & { now: number }>(
      `INSERT INTO facilities (${COLUMNS.join(', ')}, updated_at) VALUES (${COLUMNS.map((c) => `@${c}`).join(', ')}, @now)`,
    );
    this.update = db.prepare<Stored & { now: number }>(
      `UPDATE facilities SET ${COLUMNS.filter((c) => c !== 'clues')
        .map((c) => `${c} = @${c}`)
        .join(', ')}, updated_at = @now WHERE clues = @clues`,
    );
    this.selectAll = db.prepare<[], Stored>(`SELECT ${COLUMNS.join(', ')} FROM facilities`);
    // Rows as arrays: 64,000 small objects would be garbage the moment they are copied.
    this.selectPoints = db
      .prepare<[], [number, number, number]>('SELECT rowid, lat, lon FROM facilities')
      .raw();
    this.selectByKey = db.prepare<[number], Stored>(
      `SELECT ${COLUMNS.join(', ')} FROM facilities WHERE rowid = ?`,
    );
    this.counts = db.prepare<[], { total: number; demo: number }>(
      'SELECT count(*) AS total, coalesce(sum(demo), 0) AS demo FROM facilities',
    );
    this.deleteDemo = db.prepare('DELETE FROM facilities WHERE demo = 1');
    this.deleteOne = db.prepare<[string]>('DELETE FROM facilities WHERE clues = ?');
    this.selectVersion = db.prepare<[], { value: string }>(
      "SELECT value FROM meta WHERE key = 'facilities_version'",
    );
  }

  /** Inserts or updates one unit by its CLUES key; says which, or that nothing changed. */
  upsert(row: FacilityRow, now = Date.now()): UpsertResult {
    const next = toStored(row);
    const current = this.selectOne.get(row.clues);
    if (!current) {
      this.insert.run({ ...next, now });
      return 'inserted';
    }
    if (COLUMNS.every((c) => current[c] === next[c])) return 'unchanged';
    this.update.run({ ...next, now });
    return 'updated';
  }

  /**
   * A counter bumped whenever the facilities change (import, demo seeding), so a running bot can
   * notice an import made by another process and rebuild its index.
   */
  version(): number {
    const row = this.selectVersion.get();
    return row ? Number(row.value) : 0;
  }

  all(): FacilityRow[] {
    return this.selectAll.all().map(toRow);
  }

  /**
   * Every unit's rowid and coordinates: the finder's index keeps only these, and reads the few units
   * it answers with by rowid (byKey).
   */
  points(): UnitPoints {
    const { total } = this.count();
    let keys = new Int32Array(total);
    let lat = new Float64Array(total);
    let lon = new Float64Array(total);
    let n = 0;
    for (const [rowid, la, lo] of this.selectPoints.iterate()) {
      if (n === keys.length) {
        // Rows added since count() (another process importing): grow rather than drop them.
        const grow = <A extends Int32Array | Float64Array>(a: A, make: (k: number) => A) => {
          const b = make(a.length * 2 + 16);
          b.set(a);
          return b;
        };
        keys = grow(keys, (k) => new Int32Array(k));
        lat = grow(lat, (k) => new Float64Array(k));
        lon = grow(lon, (k) => new Float64Array(k));
      }
      keys[n] = rowid;
      lat[n] = la;
      lon[n] = lo;
      n++;
    }
    return { keys: keys.subarray(0, n), lat: lat.subarray(0, n), lon: lon.subarray(0, n) };
  }

  /** One unit by the key points() gave (its rowid). */
  byKey(key: number): FacilityRow | undefined {
    const s = this.selectByKey.get(key);
    return s && toRow(s);
  }

  get(clues: string): FacilityRow | undefined {
    const s = this.selectOne.get(clues);
    return s && toRow(s);
  }

  /** How many units, and how many of them are demo units. */
  count(): { total: number; demo: number } {
    return this.counts.get() ?? { total: 0, demo: 0 };
  }

  /** Removes one unit; 1 if it was there. */
  remove(clues: string): number {
    return this.deleteOne.run(clues).changes;
  }

  /** Removes the demo set (done when the official catalogue is imported). */
  removeDemo(): number {
    return this.deleteDemo.run().changes;
  }
}

/** Marks the facilities as changed (see FacilityStore.version); inside the writer's transaction. */
export function bumpFacilitiesVersion(db: Db): void {
  db.prepare(
    `INSERT INTO meta (key, value) VALUES ('facilities_version', '1')
     ON CONFLICT (key) DO UPDATE SET value = CAST(CAST(value AS INTEGER) + 1 AS TEXT)`,
  ).run();
}

/**
 * Loads the bundled demo units into an empty facilities table, flagged demo = 1, so the bot
 * works out of the box; the bot says they are sample data, and an official import removes them.
 */
export function seedDemoFacilities(db: Db, dataDir: string): number {
  const store = new FacilityStore(db);
  if (store.count().total > 0) return 0;
  const units = readDemoFacilities(dataDir);
  db.transaction(() => {
    for (const unit of units) store.upsert(unit);
    bumpFacilitiesVersion(db);
  })();
  return units.length;
}
