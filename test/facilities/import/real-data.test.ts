/**
 * The importer against real DGIS extracts kept outside the project (../shared/data, see its README).
 * A fresh clone has no ../shared: these tests are then skipped. The expectations are recomputed from
 * the files themselves (with csv-parse, independently of the importer), never copied from them.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'csv-parse/sync';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { FacilityStore } from '../../../src/db/facilities.js';
import { type Db, openDb } from '../../../src/db/open.js';
import { importClues } from '../../../src/facilities/import/clues.js';
import { tempDir } from '../../harness.js';

const DATA = '../shared/data/clues';
const OAXACA_XLSX = `${DATA}/clues_imss_oaxaca_202604.xlsx`;
const OAXACA_CSV = `${DATA}/clues_imss_oaxaca_202604.csv`;
const HIDALGO_CSV = `${DATA}/clues_imssbienestar_hidalgo_consultaexterna_202501.csv`;

let tmp: ReturnType<typeof tempDir>;
let db: Db;
let store: FacilityStore;
beforeEach(() => {
  tmp = tempDir();
  db = openDb(join(tmp.dir, 'bot.db'));
  store = new FacilityStore(db);
});
afterEach(() => {
  db.close();
  tmp.cleanup();
});

/** The keys a correct import keeps, read straight from a CSV: in operation, serving the public, of those institutions. */
function expectedKeys(file: string, institutions: string[]): string[] {
  const rows = parse(readFileSync(file), { columns: true, bom: true }) as Record<string, string>[];
  return rows
    .filter(
      (r) =>
        r['ESTATUS DE OPERACION']?.trim() === 'EN OPERACION' &&
        r['NOMBRE TIPO ESTABLECIMIENTO']?.trim() !== 'DE APOYO' &&
        institutions.includes(institutionOf(r)),
    )
    .map((r) => (r.CLUES ?? '').trim())
    .sort();
}
const institutionOf = (r: Record<string, string>) =>
  (r['CLAVE DE LA INSTITUCION'] ?? '').trim() || (r.CLUES ?? '').trim().slice(2, 5);

const keys = () =>
  store
    .all()
    .map((f) => f.clues)
    .sort();

describe.skipIf(!existsSync(OAXACA_XLSX))('real extract: IMSS Oaxaca workbook, cut 2026-04', () => {
  it('imports only IMSS units in operation, some with hours from HORARIOS', async () => {
    const report = await importClues(db, OAXACA_XLSX);
    expect(report).toMatchObject({ layout: 'xlsx', columns: 55, rowsRead: 575, updated: 0, unchanged: 0 });
    expect(keys()).toEqual(expectedKeys(OAXACA_CSV, ['IMS']));
    expect(report.imported + report.skipped.length).toBe(575);
    for (const s of report.skipped) {
      expect(s.reason).toMatch(
        /^(not in operation \(FUERA DE OPERACION\)|does not serve the public \(DE APOYO)/,
      );
    }

    const units = store.all();
    expect(units.every((u) => u.institution === 'IMS' && u.clues.startsWith('OCIMS') && !u.demo)).toBe(true);
    expect(units.every((u) => u.source === 'Secretaría de Salud – DGIS, Catálogo CLUES, corte 202604')).toBe(
      true,
    );
    expect(units.every((u) => u.postalCode === null || /^\d{5}$/.test(u.postalCode))).toBe(true);
    expect(units.every((u) => u.phone === null || !/^0+$/.test(u.phone))).toBe(true);
    expect(units.every((u) => u.lat > 15 && u.lat < 19 && u.lon > -99 && u.lon < -93)).toBe(true); // Oaxaca

    // Most IMSS units have no HORARIOS entry (the campaign's default hours apply); some do.
    expect(report.withSchedule).toBeGreaterThan(0);
    expect(report.withSchedule).toBeLessThan(report.imported / 2);
    const schedules = units.flatMap((u) => (u.schedule ? [u.schedule] : []));
    expect(schedules).toHaveLength(report.withSchedule);
    expect(schedules).toContainEqual([{ days: [1, 2, 3, 4, 5, 6, 7], open: 0, close: 1440 }]); // 24-hour units
    for (const blocks of schedules) {
      for (const b of blocks) {
        expect(b.days.length).toBeGreaterThan(0);
        expect(b.open).toBeGreaterThanOrEqual(0);
        expect(b.close).toBeGreaterThan(b.open);
        expect(b.close).toBeLessThanOrEqual(1440);
      }
    }
  });

  it.skipIf(!existsSync(OAXACA_CSV))(
    'agrees with its CSV export, which keeps the hours read from the workbook',
    async () => {
      const fromWorkbook = await importClues(db, OAXACA_XLSX);
      const before = store.all();
      const fromCsv = await importClues(db, OAXACA_CSV);
      expect(fromCsv).toMatchObject({
        layout: 'csv',
        rowsRead: 575,
        imported: 0,
        updated: 0,
        unchanged: fromWorkbook.imported,
        withSchedule: fromWorkbook.withSchedule,
      });
      expect(fromCsv.skipped.map((s) => [s.clues, s.reason])).toEqual(
        fromWorkbook.skipped.map((s) => [s.clues, s.reason]),
      );
      expect(store.all()).toEqual(before);
    },
  );
});

describe.skipIf(!existsSync(OAXACA_CSV))('real extract: IMSS Oaxaca CSV, cut 2026-04', () => {
  it('imports the same units, without hours, and is idempotent', async () => {
    const report = await importClues(db, OAXACA_CSV);
    expect(report).toMatchObject({ layout: 'csv', columns: 55, rowsRead: 575, withSchedule: 0 });
    expect(keys()).toEqual(expectedKeys(OAXACA_CSV, ['IMS']));
    // Line numbers are file lines: the header is line 1.
    const first = report.skipped[0];
    expect(first?.line).toBeGreaterThan(1);
    const again = await importClues(db, OAXACA_CSV);
    expect(again).toMatchObject({ imported: 0, updated: 0, unchanged: report.imported });
  });
});

describe.skipIf(!existsSync(HIDALGO_CSV))(
  'real extract: IMSS-Bienestar Hidalgo CSV (67 columns), cut 2025-01',
  () => {
    it('imports the IMSS-Bienestar units with --institution imss-bienestar', async () => {
      const report = await importClues(db, HIDALGO_CSV, { institutions: 'imss-bienestar' });
      const expected = expectedKeys(HIDALGO_CSV, ['IMB', 'IMO']);
      expect(report).toMatchObject({ layout: 'csv', columns: 67, rowsRead: 512, imported: expected.length });
      expect(keys()).toEqual(expected);
      const units = store.all();
      expect(units.every((u) => u.institution === 'IMB' || u.institution === 'IMO')).toBe(true);
      expect(units.every((u) => u.state === 'HIDALGO')).toBe(true);
      expect(
        units.every((u) => u.source === 'Secretaría de Salud – DGIS, Catálogo CLUES, corte 202501'),
      ).toBe(true);
      expect(units.some((u) => u.phone === null)).toBe(true); // 0000000000 placeholders
      expect(units.some((u) => u.number === null)).toBe(true); // SIN NÚMERO
    });

    it('imports none of them by default (IMSS only), and keeps the demo set', async () => {
      const report = await importClues(db, HIDALGO_CSV);
      expect(report).toMatchObject({ imported: 0, demoRemoved: 0 });
      expect(report.skipped).toHaveLength(512);
      expect(report.skipped[0]?.reason).toMatch(/^institution IM[BO] not selected \(importing IMS\)$/);
    });

    it('says which institutions it holds, with counts, and the --institution value that imports them', async () => {
      const rows = parse(readFileSync(HIDALGO_CSV), { columns: true, bom: true }) as Record<string, string>[];
      const counts = new Map<string, number>();
      for (const r of rows) counts.set(institutionOf(r), (counts.get(institutionOf(r)) ?? 0) + 1);
      const report = await importClues(db, HIDALGO_CSV);
      expect(report.institutions).toEqual(Object.fromEntries(counts));
      const held = [...counts]
        .sort((a, b) => b[1] - a[1])
        .map(([code, n]) => `${code} ${n}`)
        .join(', ');
      expect(report.institutionHint).toBe(
        `All 512 rows are of institutions not selected (importing IMS); the file holds ${held}. ` +
          'To import them: --institution imss-bienestar',
      );
    });
  },
);
