import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import JSZip from 'jszip';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { FacilityStore } from '../../../src/db/facilities.js';
import { type Db, openDb } from '../../../src/db/open.js';
import { DataError } from '../../../src/errors.js';
import { importClues } from '../../../src/facilities/import/clues.js';
import { tempDir } from '../../harness.js';

/** Importers within bounded memory (issue 15): streamed CSV, per-file encoding, batches, zip bombs. */

const CSV55 = 'test/fixtures/clues/clues_imss_muestra_202604.csv';

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

const snapshot = () => db.prepare('SELECT * FROM facilities ORDER BY clues').all();

async function failure(promise: Promise<unknown>): Promise<DataError> {
  try {
    await promise;
  } catch (err) {
    expect(err).toBeInstanceOf(DataError);
    return err as DataError;
  }
  throw new Error('expected the import to fail');
}

const sample = readFileSync(CSV55, 'utf8');
/** ASCII filler rows (not IMSS: skipped), to push a later line past the first chunks. */
const filler = (n: number) =>
  Array.from({ length: n }, (_, i) => `XXSSA${String(i).padStart(6, '0')},RELLENO`).join('\n');

describe('CSV encoding, decided per file and checked line by line', () => {
  it('fails on a Latin-1 byte in a UTF-8 file, naming the line, and changes nothing', async () => {
    await importClues(db, CSV55);
    const before = snapshot();
    const lines = sample.trimEnd().split('\n');
    const file = join(tmp.dir, 'mezclado_202604.csv');
    const bad = Buffer.from(
      `${lines.find((l) => l.startsWith('DFIMS990023'))?.replace('CUAUHTEMOC', 'CUAUHT\u00c9MOC')}\n`,
      'latin1',
    );
    writeFileSync(file, Buffer.concat([Buffer.from(`${lines.join('\n')}\n`), bad]));
    const error = await failure(importClues(db, file));
    expect(error.file).toBe(file);
    expect(error.where).toBe(`line ${lines.length + 1}`);
    expect(error.problem).toMatch(/not valid UTF-8 while the lines before it are/);
    expect(snapshot()).toEqual(before);
  });

  it('changes nothing when a file whose units changed breaks at its last line (staged, not written)', async () => {
    await importClues(db, CSV55);
    const before = snapshot();
    const changed = sample.replace('MEDICINA FAMILIAR NO. 901', 'MEDICINA FAMILIAR NO. 991');
    expect(changed).not.toBe(sample);
    const lines = changed.trimEnd().split('\n');
    const file = join(tmp.dir, 'cambiado_202604.csv');
    const bad = Buffer.from('OCIMS999999,CUAUHT\u00c9MOC\n', 'latin1');
    writeFileSync(file, Buffer.concat([Buffer.from(`${lines.join('\n')}\n`), bad]));
    await failure(importClues(db, file));
    expect(snapshot()).toEqual(before);
    // and the staging database is gone with the import
    expect(db.pragma('database_list')).toEqual([expect.objectContaining({ name: 'main' })]);
  });

  it('reads a Latin-1 file as Latin-1 even when its first accent comes after many ASCII lines', async () => {
    const lines = sample.trimEnd().split('\n');
    const text = `${lines[0]}\n${filler(5_000)}\n${lines.slice(1).join('\n')}\n`;
    const file = join(tmp.dir, 'latin1_202604.csv');
    writeFileSync(file, Buffer.from(text, 'latin1'));
    expect(Buffer.byteLength(text.slice(0, text.indexOf('Ó')))).toBeGreaterThan(64 * 1024);
    const report = await importClues(db, file);
    expect(report.imported).toBe(7);
    expect(store.get('DFIMS990047')).toMatchObject({ kind: 'DE HOSPITALIZACIÓN' });
  });

  it('reads accents split across read chunks in a long UTF-8 file', async () => {
    const lines = sample.trimEnd().split('\n');
    const text = `${lines[0]}\n${filler(5_000).replaceAll('RELLENO', 'RELLENÓ')}\n${lines.slice(1).join('\n')}\n`;
    const file = join(tmp.dir, 'utf8_202604.csv');
    writeFileSync(file, text);
    const report = await importClues(db, file);
    expect(report.imported).toBe(7);
    expect(store.get('DFIMS990047')).toMatchObject({ kind: 'DE HOSPITALIZACIÓN' });
  });

  it.each([
    ['utf16le', Buffer.from([0xff, 0xfe])],
    ['utf16be', Buffer.from([0xfe, 0xff])],
  ])('refuses UTF-16 (%s) with what to do instead', async (_name, bom) => {
    const file = join(tmp.dir, 'unicode_202604.csv');
    const body = Buffer.from(sample, 'utf16le');
    if (bom[0] === 0xfe) body.swap16();
    writeFileSync(file, Buffer.concat([bom, body]));
    const error = await failure(importClues(db, file));
    expect(error.problem).toBe('is UTF-16: save it as UTF-8 or the original Latin-1 CSV');
  });

  it('refuses a line with no line break for megabytes', async () => {
    const file = join(tmp.dir, 'una_linea.csv');
    writeFileSync(file, `${sample.split('\n')[0]}\n${'A,'.repeat(9 * 2 ** 20)}`);
    const error = await failure(importClues(db, file));
    expect(error.where).toBe('line 2');
    expect(error.problem).toMatch(/longer than 16 MB/);
  });
});

describe('writing in batches', () => {
  it('gives the same units and report in batches of 2 as in one, and bumps the version once', async () => {
    const other = openDb(join(tmp.dir, 'other.db'));
    try {
      const whole = await importClues(other, CSV55);
      const version = store.version();
      const batched = await importClues(db, CSV55, { batchRows: 2 });
      expect(batched).toEqual(whole);
      expect(store.all()).toEqual(new FacilityStore(other).all());
      expect(store.version()).toBe(version + 1);
      const again = await importClues(db, CSV55, { batchRows: 2 });
      expect(again).toMatchObject({ imported: 0, updated: 0, unchanged: whole.imported });
      expect(store.version()).toBe(version + 1);
    } finally {
      other.close();
    }
  });
});

describe('xlsx zip bombs, refused from the zip directory before anything is inflated', () => {
  const XLSX = 'test/fixtures/clues/clues_imss_muestra_202604.xlsx';

  it('refuses an entry that unzips to hundreds of times its size', async () => {
    const zip = new JSZip();
    zip.file('[Content_Types].xml', '<Types/>');
    zip.file('xl/worksheets/sheet1.xml', '0'.repeat(64 * 2 ** 20));
    const file = join(tmp.dir, 'bomba_202604.xlsx');
    writeFileSync(
      file,
      await zip.generateAsync({
        type: 'nodebuffer',
        compression: 'DEFLATE',
        compressionOptions: { level: 9 },
      }),
    );
    await importClues(db, CSV55);
    const before = snapshot();
    const rss = process.memoryUsage().rss;
    const error = await failure(importClues(db, file));
    expect(error.where).toBe('entry xl/worksheets/sheet1.xml');
    expect(error.problem).toMatch(
      /^unzips to 64 MB from \d+ KB, more than 100 times its size: refused as a zip bomb/,
    );
    expect(process.memoryUsage().rss - rss).toBeLessThan(32 * 2 ** 20);
    expect(snapshot()).toEqual(before);
  });

  it('refuses a workbook that unzips to more than the cap', async () => {
    const error = await failure(
      importClues(db, XLSX, { zipLimits: { maxUnzipped: 16 * 1024, maxRatio: 100 } }),
    );
    expect(error.where).toBe('');
    expect(error.problem).toMatch(/^unzips to \d+ KB, more than the 16 KB a CLUES workbook may take/);
    expect(store.count().total).toBe(0);
  });
});
