import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import JSZip from 'jszip';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type Db, openDb } from '../../src/db/open.js';
import { SqlitePostalCodes } from '../../src/db/postal.js';
import { DataError } from '../../src/errors.js';
import { Gazetteer } from '../../src/places/gazetteer.js';
import { importPostalCodes } from '../../src/places/import/sepomex.js';
import { resolvePostalCode } from '../../src/places/postal.js';
import { tempDir } from '../harness.js';

const FIXTURE = 'test/fixtures/sepomex/CPdescarga.txt';
/** The real download, kept outside the project (its licence forbids passing it on). */
const REAL = fileURLToPath(
  new URL('../../../shared/data/places/sepomex_CPdescarga_2018.zip', import.meta.url),
);

let db: Db;
let dir: string;
let cleanup: () => void;

beforeEach(() => {
  const t = tempDir();
  dir = t.dir;
  cleanup = t.cleanup;
  db = openDb(join(dir, 'bot.db'));
});
afterEach(() => {
  db.close();
  cleanup();
});

const count = () => (db.prepare('SELECT COUNT(*) AS n FROM postal_codes').get() as { n: number }).n;
const row = (code: string) =>
  db.prepare('SELECT * FROM postal_codes WHERE code = ?').get(code) as
    | { code: string; lat: number; lon: number; municipality: string; state: string }
    | undefined;

describe('importing CPdescarga.txt', () => {
  it('writes one point per postal code and reports what it skipped', async () => {
    const report = await importPostalCodes(db, FIXTURE);
    expect(report).toMatchObject({
      linesRead: 10,
      codes: 6,
      imported: 6,
      updated: 0,
      unchanged: 0,
      dryRun: false,
    });
    expect(report.skipped).toEqual([
      {
        code: '29600',
        line: 7,
        reason: expect.stringContaining('no GeoNames point for municipality Mezcalapa'),
      },
      { code: '99999', line: 12, reason: '2 fields, expected 15' },
    ]);
    expect(count()).toBe(6);
    expect(report.elapsedMs).toBeGreaterThanOrEqual(0);
  });

  it('reads Latin-1 and names that carry quotes', async () => {
    await importPostalCodes(db, FIXTURE);
    expect(row('01000')).toMatchObject({ municipality: 'Álvaro Obregón', state: 'Ciudad de México' });
    expect(row('54460')).toMatchObject({ municipality: 'Nicolás Romero', state: 'México' });
  });

  it('joins INEGI state codes to GeoNames ones, which differ for Coahuila and Chihuahua', async () => {
    await importPostalCodes(db, FIXTURE);
    // Saltillo (INEGI 05) must not land in GeoNames' 05, which is Chiapas.
    expect(row('25000')?.lat).toBeCloseTo(25.4, 0);
    expect(row('25000')?.lon).toBeCloseTo(-101.0, 0);
    expect(row('31000')?.lat).toBeCloseTo(28.6, 0);
  });

  it('is idempotent, and counts what changed', async () => {
    await importPostalCodes(db, FIXTURE);
    const again = await importPostalCodes(db, FIXTURE);
    expect(again).toMatchObject({ imported: 0, updated: 0, unchanged: 6 });
    db.prepare("UPDATE postal_codes SET municipality = 'X' WHERE code = '06700'").run();
    const fixed = await importPostalCodes(db, FIXTURE);
    expect(fixed).toMatchObject({ imported: 0, updated: 1, unchanged: 5 });
    expect(row('06700')?.municipality).toBe('Cuauhtémoc');
    expect(count()).toBe(6);
  });

  it('writes nothing on a dry run', async () => {
    const report = await importPostalCodes(db, FIXTURE, { dryRun: true });
    expect(report).toMatchObject({ dryRun: true, imported: 6 });
    expect(count()).toBe(0);
  });

  it('reads the zip SEPOMEX serves the file in', async () => {
    const zip = new JSZip().file('CPdescarga.txt', readFileSync(FIXTURE));
    const file = join(dir, 'CPdescarga.zip');
    writeFileSync(file, await zip.generateAsync({ type: 'nodebuffer' }));
    const report = await importPostalCodes(db, file);
    expect(report).toMatchObject({ codes: 6, imported: 6 });
  });

  it('rejects a file whose header is not SEPOMEX, naming file and line, and leaves the table alone', async () => {
    await importPostalCodes(db, FIXTURE);
    const before = db.prepare('SELECT * FROM postal_codes ORDER BY code').all();
    const file = join(dir, 'broken.txt');
    const text = readFileSync(FIXTURE, 'latin1').replace('d_codigo|d_asenta', 'codigo|asentamiento');
    writeFileSync(file, text, 'latin1');
    const attempt = importPostalCodes(db, file);
    await expect(attempt).rejects.toBeInstanceOf(DataError);
    await expect(attempt).rejects.toThrow(
      `${file} at line 2: expected the SEPOMEX header d_codigo|d_asenta|`,
    );
    expect(db.prepare('SELECT * FROM postal_codes ORDER BY code').all()).toEqual(before);
  });

  it('rejects a file without the licence line (its header is not on line 2)', async () => {
    const file = join(dir, 'no-licence.txt');
    writeFileSync(file, readFileSync(FIXTURE, 'latin1').split('\r\n').slice(1).join('\r\n'), 'latin1');
    await expect(importPostalCodes(db, file)).rejects.toThrow(/at line 2: expected the SEPOMEX header/);
    expect(count()).toBe(0);
  });

  it('names a file it cannot read', async () => {
    await expect(importPostalCodes(db, join(dir, 'missing.txt'))).rejects.toThrow(
      /missing\.txt: cannot be read/,
    );
  });
});

describe.skipIf(!existsSync(REAL))('importing the real SEPOMEX download (../shared)', () => {
  it('gives about 32,000 codes a point, 06700 in Cuauhtémoc, CDMX', async () => {
    const report = await importPostalCodes(db, REAL);
    console.info(
      `SEPOMEX import: ${report.linesRead} lines, ${report.codes} codes, ${report.skipped.length} skipped, ` +
        `${report.elapsedMs} ms`,
    );
    expect(report.linesRead).toBeGreaterThan(140_000);
    expect(report.codes).toBeGreaterThan(31_000);
    expect(report.codes).toBeLessThan(33_000);
    expect(count()).toBe(report.codes);
    // Under 2% of codes lack a GeoNames place in their municipality.
    expect(report.skipped.length).toBeLessThan(report.codes * 0.02);
    const gazetteer = Gazetteer.load();
    expect(resolvePostalCode(new SqlitePostalCodes(db), gazetteer, '06700')).toMatchObject({
      kind: 'exact',
      municipality: 'Cuauhtémoc',
      state: 'Ciudad de México',
    });
  }, 120_000);
});
