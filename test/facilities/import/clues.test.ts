import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import ExcelJS from 'exceljs';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { FacilityStore } from '../../../src/db/facilities.js';
import { type Db, openDb } from '../../../src/db/open.js';
import { DataError } from '../../../src/errors.js';
import { type ImportReport, importClues, sourceLabel } from '../../../src/facilities/import/clues.js';
import type { FacilityRow } from '../../../src/facilities/types.js';
import { tempDir } from '../../harness.js';

const FIXTURES = 'test/fixtures/clues';
const CSV55 = `${FIXTURES}/clues_imss_muestra_202604.csv`;
const XLSX = `${FIXTURES}/clues_imss_muestra_202604.xlsx`;
const CSV67 = `${FIXTURES}/clues_nacional_latin1_202501.csv`;
const CSV68 = `${FIXTURES}/clues_nacional_68col_202608.csv`;
const NO_LATITUD = `${FIXTURES}/clues_sin_latitud_202604.csv`;
const CUT_202604 = 'Secretaría de Salud – DGIS, Catálogo CLUES, corte 202604';

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

const keys = () =>
  store
    .all()
    .map((f) => f.clues)
    .sort();
/** Every stored column, updated_at included, to prove a failed or dry import touched nothing. */
const snapshot = () => db.prepare('SELECT * FROM facilities ORDER BY clues').all();
const reasons = (report: ImportReport) => report.skipped.map((s) => [s.line, s.clues, s.reason]);

/** Whatever the first import throws, for assertions on its fields. */
async function failure(promise: Promise<unknown>): Promise<DataError> {
  try {
    await promise;
  } catch (err) {
    expect(err).toBeInstanceOf(DataError);
    return err as DataError;
  }
  throw new Error('expected the import to fail');
}

const demoUnit: FacilityRow = {
  clues: 'DEMO000001',
  institution: 'IMS',
  name: 'Unidad de demostración',
  kind: null,
  typology: null,
  street: null,
  number: null,
  colonia: null,
  postalCode: null,
  locality: null,
  municipality: null,
  state: null,
  phone: null,
  lat: 19.43,
  lon: -99.13,
  schedule: null,
  source: 'demo',
  demo: true,
};

/** The seven IMSS units of the 55-column sample that can be offered (the xlsx holds the same rows). */
const SAMPLE_KEPT = [
  'DFIMS990011',
  'DFIMS990023',
  'DFIMS990035',
  'DFIMS990047',
  'OCIMS990011',
  'OCIMS990064',
  'OCIMS990090',
];

describe('55-column CSV (per-institution export, UTF-8)', () => {
  it('imports the units in operation, with every field cleaned up', async () => {
    const report = await importClues(db, CSV55);
    expect(report).toMatchObject({
      file: CSV55,
      layout: 'csv',
      columns: 55,
      rowsRead: 16, // the line of empty cells is not a row
      imported: 7,
      updated: 0,
      unchanged: 0,
      withSchedule: 0,
      demoRemoved: 0,
    });
    expect(report.imported + report.updated + report.unchanged + report.skipped.length).toBe(report.rowsRead);
    expect(keys()).toEqual(SAMPLE_KEPT);

    expect(store.get('DFIMS990011')).toEqual({
      clues: 'DFIMS990011',
      institution: 'IMS',
      name: 'UNIDAD DE MEDICINA FAMILIAR NO. 901',
      kind: 'DE CONSULTA EXTERNA',
      typology: 'UNIDAD DE MEDICINA FAMILIAR',
      street: 'AV. INSURGENTES SUR', // inner double space and trailing space gone
      number: '1234',
      colonia: 'DEL VALLE',
      postalCode: '03100', // "3100": the leading zero restored
      locality: 'CIUDAD DE MEXICO',
      municipality: 'BENITO JUAREZ',
      state: 'CIUDAD DE MEXICO',
      phone: '5555550101',
      lat: 19.387,
      lon: -99.171,
      schedule: null,
      source: CUT_202604,
      demo: false,
    });
    // The later of two rows with one key wins: its name, "SIN NÚMERO" as no number, CP 6700 → 06700,
    // placeholder phone 0000000000 replaced by the second phone.
    expect(store.get('DFIMS990023')).toMatchObject({
      name: 'UNIDAD DE MEDICINA FAMILIAR NO. 902',
      number: null,
      postalCode: '06700',
      phone: '5555550202',
    });
    // Shares its coordinates with DFIMS990023; "S/N", CP 99999, phone 1111111111 are all unknowns.
    expect(store.get('DFIMS990035')).toMatchObject({
      number: null,
      postalCode: null,
      phone: null,
      lat: 19.42,
      lon: -99.145,
    });
    expect(store.get('OCIMS990011')).toMatchObject({
      lat: 17.0654,
      lon: -96.7266,
      number: null,
      phone: '9511234567',
    });
    expect(store.get('OCIMS990064')).toMatchObject({ lat: 17.08, lon: -96.73, phone: null });
    expect(store.get('DFIMS990047')).toMatchObject({ kind: 'DE HOSPITALIZACIÓN', phone: '5555550303' });
  });

  it('reports each skipped row with its file line, key and reason, and each repair', async () => {
    const report = await importClues(db, CSV55);
    // Line 2's quoted references span two lines, so the next record starts on line 4.
    expect(reasons(report)).toEqual([
      [4, 'DFIMS990023', 'duplicate CLUES key, later line 16 wins'],
      [7, 'OCIMS990023', 'no coordinates'],
      [8, 'OCIMS990035', 'not in operation (FUERA DE OPERACION)'],
      [9, 'OCIMS990040', 'does not serve the public (DE APOYO: ALMACENES)'],
      [10, 'OCIMS990052', 'does not serve the public (DE APOYO: OFICINAS ADMINISTRATIVAS)'],
      [11, 'HGIMB990011', 'institution IMB not selected (importing IMS)'],
      [13, 'OCIMS990076', 'coordinates outside Mexico (latitude 40.4168, longitude -3.7038)'],
      [14, 'OCIMS990088', 'no coordinates'],
      [19, 'OCIMS990101', 'no unit name'],
    ]);
    expect(report.fixed).toEqual([
      { line: 6, clues: 'OCIMS990011', what: 'swapped latitude/longitude' },
      { line: 12, clues: 'OCIMS990064', what: 'negated positive longitude' },
    ]);
  });

  it('takes IMSS-Bienestar units too when asked', async () => {
    const report = await importClues(db, CSV55, { institutions: 'imss,imss-bienestar' });
    expect(report.imported).toBe(8);
    expect(store.get('HGIMB990011')).toMatchObject({ institution: 'IMB', name: 'CENTRO DE SALUD PRUEBA' });
  });
});

describe('67-column CSV (national layout, Latin-1, CRLF)', () => {
  it('decodes Latin-1 and keeps only IMSS by default', async () => {
    const report = await importClues(db, CSV67);
    expect(report).toMatchObject({ layout: 'csv', columns: 67, rowsRead: 8, imported: 2 });
    expect(keys()).toEqual(['DFIMS990059', 'MCIMS990011']);
    expect(store.get('DFIMS990059')).toMatchObject({
      institution: 'IMS',
      name: 'UNIDAD DE MEDICINA FAMILIAR NÚM. 912 PEÑÓN',
      colonia: 'PEÑÓN DE LOS BAÑOS',
      state: 'CIUDAD DE MÉXICO',
      source: 'Secretaría de Salud – DGIS, Catálogo CLUES, corte 202501',
    });
    // key written " mcims990011 ", two phones in one cell, S/N
    expect(store.get('MCIMS990011')).toMatchObject({
      phone: '7225550505',
      number: null,
      postalCode: '50071',
    });
    expect(reasons(report)).toEqual([
      [3, 'HGIMB990023', 'institution IMB not selected (importing IMS)'],
      [4, 'OCIMO990011', 'institution IMO not selected (importing IMS)'],
      [5, 'DFIST990011', 'institution IST not selected (importing IMS)'],
      [6, 'PLSSA990011', 'institution SSA not selected (importing IMS)'],
      [7, 'DFIMS990060', 'not in operation (FUERA DE OPERACION)'],
      [9, 'DFSMP990011', 'institution SMP not selected (importing IMS)'],
    ]);
  });

  it('says which institutions the file holds when most rows are of others, and how to import them', async () => {
    const report = await importClues(db, CSV67);
    expect(report.institutions).toEqual({ IMS: 3, IMB: 1, IMO: 1, IST: 1, SSA: 1, SMP: 1 });
    expect(report.institutionHint).toBe(
      '5 of 8 rows are of institutions not selected (importing IMS); the file holds IMS 3, IMB 1, IMO 1, ' +
        'IST 1, SMP 1, SSA 1. To import them too: --institution imss,imss-bienestar,issste,ssa,SMP',
    );
    // The value it gives imports every unit of the file that can be offered.
    await importClues(db, CSV67, { institutions: 'imss,imss-bienestar,issste,ssa,SMP' });
    expect(keys()).toHaveLength(7);
    expect((await importClues(db, CSV67, { institutions: 'all' })).institutionHint).toBeUndefined();
  });

  it.each<[string, string[]]>([
    ['imss-bienestar', ['HGIMB990023', 'OCIMO990011']],
    ['issste', ['DFIST990011']],
    ['ssa', ['PLSSA990011']],
    ['IMS,IST', ['DFIMS990059', 'DFIST990011', 'MCIMS990011']],
    [
      'all',
      [
        'DFIMS990059',
        'DFIST990011',
        'DFSMP990011',
        'HGIMB990023',
        'MCIMS990011',
        'OCIMO990011',
        'PLSSA990011',
      ],
    ],
  ])('--institution %s', async (institutions, expected) => {
    await importClues(db, CSV67, { institutions });
    expect(keys()).toEqual(expected);
  });

  it('trims the institution name spaces out of the way and cleans the Bienestar row', async () => {
    await importClues(db, CSV67, { institutions: 'imss-bienestar' });
    expect(store.get('HGIMB990023')).toMatchObject({
      institution: 'IMB',
      street: 'INDEPENDENCIA',
      number: null, // "SIN NÚMERO  "
      colonia: 'CENTRO',
      phone: null, // 0000000000
      typology: 'URBANO DE 03 NÚCLEOS BÁSICOS',
    });
  });
});

describe('68-column CSV (a later cut: one unknown column, columns moved, UTF-8 with BOM)', () => {
  it('matches the headers by name and repairs swapped, positive coordinates', async () => {
    const report = await importClues(db, CSV68);
    expect(report).toMatchObject({ columns: 68, rowsRead: 4, imported: 3 });
    expect(keys()).toEqual(['BCIMS990011', 'NLIMS990011', 'YNIMS990011']);
    expect(store.get('YNIMS990011')).toMatchObject({ lat: 20.9674, lon: -89.6237, state: 'YUCATÁN' });
    expect(store.get('BCIMS990011')).toMatchObject({ lat: 32.5149, lon: -117.0382, postalCode: '22000' });
    expect(report.fixed).toEqual([
      { line: 3, clues: 'YNIMS990011', what: 'swapped latitude/longitude and negated longitude' },
    ]);
    expect(report.skipped).toEqual([
      { line: 5, clues: 'NLIMB990011', reason: 'institution IMB not selected (importing IMS)' },
    ]);
    // One row of four: listed, no summary line.
    expect(report.institutionHint).toBeUndefined();
  });
});

describe('xlsx workbook (CLUES_202604, SUBCLUES_202604, HORARIOS_202604)', () => {
  it('imports the same units as the CSV, typed cells and all, with their opening hours', async () => {
    const report = await importClues(db, XLSX);
    expect(report).toMatchObject({
      layout: 'xlsx',
      columns: 55,
      rowsRead: 16,
      imported: 7,
      withSchedule: 4,
    });
    expect(keys()).toEqual(SAMPLE_KEPT);
    // Sheet rows, not file lines: there is no blank row and the references cell holds its line break.
    expect(report.skipped.map((s) => [s.line, s.clues])).toEqual([
      [3, 'DFIMS990023'],
      [6, 'OCIMS990023'],
      [7, 'OCIMS990035'],
      [8, 'OCIMS990040'],
      [9, 'OCIMS990052'],
      [10, 'HGIMB990011'],
      [12, 'OCIMS990076'],
      [13, 'OCIMS990088'],
      [17, 'OCIMS990101'],
    ]);
    expect(report.skipped[0]?.reason).toBe('duplicate CLUES key, later line 15 wins');
    // Numbers as Excel stores them: CP 6700 → 06700; coordinates and phone as numbers.
    expect(store.get('DFIMS990023')).toMatchObject({ postalCode: '06700', lat: 19.42, lon: -99.145 });
    expect(store.get('DFIMS990011')).toMatchObject({ phone: '5555550101', source: CUT_202604 });

    const schedule = (clues: string) => store.get(clues)?.schedule;
    expect(schedule('DFIMS990011')).toEqual([{ days: [1, 2, 3, 4, 5], open: 480, close: 1200 }]);
    expect(schedule('DFIMS990047')).toEqual([{ days: [1, 2, 3, 4, 5, 6, 7], open: 0, close: 1440 }]); // 00:00–23:59
    expect(schedule('OCIMS990090')).toEqual([
      { days: [1, 2, 3, 4, 5], open: 480, close: 840 },
      { days: [6, 7], open: 540, close: 810 }, // time-formatted cells: exceljs gives Dates
    ]);
    expect(schedule('OCIMS990011')).toEqual([{ days: [1, 2, 3, 4, 5], open: 480, close: 960 }]); // bare fractions
    expect(schedule('DFIMS990023')).toBeNull(); // every day NO
    expect(schedule('DFIMS990035')).toBeNull(); // not in HORARIOS: campaign hours apply
  });

  it('gives the same rows as its CSV export, and a CSV (no HORARIOS) keeps the stored hours', async () => {
    await importClues(db, XLSX);
    const fromWorkbook = snapshot();
    const report = await importClues(db, CSV55);
    expect(report).toMatchObject({ imported: 0, updated: 0, unchanged: 7, withSchedule: 4 });
    expect(snapshot()).toEqual(fromWorkbook);
  });
});

describe('importing again, dry runs and demo data', () => {
  it.each([CSV55, CSV67, CSV68, XLSX])('a second import of %s changes nothing', async (file) => {
    const first = await importClues(db, file);
    const before = snapshot();
    const second = await importClues(db, file);
    expect(second).toMatchObject({ imported: 0, updated: 0, unchanged: first.imported });
    expect(second.skipped).toEqual(first.skipped);
    expect(snapshot()).toEqual(before); // not even updated_at
  });

  it('updates a unit whose row changed, and counts it', async () => {
    await importClues(db, CSV67);
    const changed = readFileSync(CSV67, 'latin1').replace('ORIENTE 172', 'ORIENTE 174');
    const file = join(tmp.dir, 'clues_nacional_202502.csv');
    writeFileSync(file, changed, 'latin1');
    const report = await importClues(db, file);
    expect(report).toMatchObject({ imported: 0, updated: 2, unchanged: 0 }); // the street, and the new cut
    expect(store.get('DFIMS990059')).toMatchObject({
      street: 'ORIENTE 174',
      source: 'Secretaría de Salud – DGIS, Catálogo CLUES, corte 202502',
    });
  });

  it('removes a stored unit that a later catalogue marks as out of operation', async () => {
    await importClues(db, CSV67);
    expect(store.get('DFIMS990059')).toBeDefined();
    const lines = readFileSync(CSV67, 'latin1').split('\r\n');
    const closed = lines.map((l) =>
      l.includes('DFIMS990059') ? l.replace(',1,EN OPERACION,', ',3,FUERA DE OPERACION,') : l,
    );
    expect(closed).not.toEqual(lines);
    const file = join(tmp.dir, 'clues_nacional_202502.csv');
    writeFileSync(file, closed.join('\r\n'), 'latin1');
    const report = await importClues(db, file);
    expect(report.retired).toBe(1);
    expect(store.get('DFIMS990059')).toBeUndefined();
    expect(report.skipped.find((s) => s.clues === 'DFIMS990059')?.reason).toMatch(/not in operation/);
  });

  it('a dry run reports what would happen and writes nothing', async () => {
    store.upsert(demoUnit);
    const before = snapshot();
    const dry = await importClues(db, XLSX, { dryRun: true });
    expect(dry).toMatchObject({ imported: 7, updated: 0, unchanged: 0, withSchedule: 4, demoRemoved: 1 });
    expect(snapshot()).toEqual(before);
    expect(store.count()).toEqual({ total: 1, demo: 1 });
    // and the real import then does exactly what the dry run said
    const real = await importClues(db, XLSX);
    expect(real).toEqual(dry);
  });

  it('a real import removes the demo units, in the same transaction', async () => {
    store.upsert(demoUnit);
    store.upsert({ ...demoUnit, clues: 'DEMO000002' });
    const report = await importClues(db, CSV55);
    expect(report.demoRemoved).toBe(2);
    expect(store.count()).toEqual({ total: 7, demo: 0 });
  });

  it('keeps the demo units when the file has no unit to offer', async () => {
    store.upsert(demoUnit);
    const report = await importClues(db, CSV55, { institutions: 'issste' });
    expect(report).toMatchObject({ imported: 0, demoRemoved: 0 });
    expect(store.count()).toEqual({ total: 1, demo: 1 });
  });
});

describe('broken files', () => {
  /** Imports the good sample, then the broken file: the error must name the file and change nothing. */
  async function rejects(file: string, where: string, problem: string | RegExp) {
    await importClues(db, CSV55);
    const before = snapshot();
    const error = await failure(importClues(db, file));
    expect(error.file).toBe(file);
    expect(error.where).toBe(where);
    expect(error.problem).toMatch(problem);
    expect(error.message).toContain(file);
    expect(snapshot()).toEqual(before);
  }

  it('a CSV without LATITUD', async () => {
    await rejects(NO_LATITUD, 'header', 'missing column "LATITUD"');
  });

  it('a workbook whose CLUES sheet has no LATITUD', async () => {
    const file = join(tmp.dir, 'ESTABLECIMIENTO_SALUD_202604.xlsx');
    const workbook = new ExcelJS.Workbook();
    const sheet = workbook.addWorksheet('CLUES_202604');
    sheet.addRow(['CLUES', 'NOMBRE DE LA UNIDAD', 'ESTATUS DE OPERACION', 'LONGITUD']);
    for (let i = 1; i <= 2000; i++)
      sheet.addRow([`OCIMS${String(i).padStart(6, '0')}`, 'UMF', 'EN OPERACION', -96.7]);
    workbook.addWorksheet('HORARIOS_202604').addRow(['CLUES', 'LUNES', 'HORA INICIO', 'HORA FIN']);
    await workbook.xlsx.writeFile(file);
    await rejects(file, 'header', 'missing column "LATITUD"');
  });

  it('a truncated workbook', async () => {
    const file = join(tmp.dir, 'ESTABLECIMIENTO_SALUD_202604.xlsx');
    const bytes = readFileSync(XLSX);
    writeFileSync(file, bytes.subarray(0, Math.floor(bytes.length / 2)));
    await rejects(file, '', /cannot be read as an \.xlsx workbook; it may be truncated or corrupt/);
  });

  it('a file that is not a workbook at all', async () => {
    const file = join(tmp.dir, 'catalogo.xlsx');
    writeFileSync(file, 'CLUES,LATITUD\nnot,a zip\n');
    await rejects(file, '', /may be truncated or corrupt/);
  });

  it('a workbook with no CLUES sheet', async () => {
    const file = join(tmp.dir, 'libro.xlsx');
    const workbook = new ExcelJS.Workbook();
    workbook.addWorksheet('Hoja1').addRow(['CLUES', 'LATITUD']);
    await workbook.xlsx.writeFile(file);
    await rejects(file, '', 'has no CLUES_* sheet (sheets: Hoja1)');
  });

  it('a HORARIOS sheet without CLUES', async () => {
    const file = join(tmp.dir, 'libro_202604.xlsx');
    const workbook = new ExcelJS.Workbook();
    const sheet = workbook.addWorksheet('CLUES_202604');
    sheet.addRow(['CLUES', 'NOMBRE DE LA UNIDAD', 'ESTATUS DE OPERACION', 'LATITUD', 'LONGITUD']);
    sheet.addRow(['OCIMS000001', 'UMF', 'EN OPERACION', 17.06, -96.72]);
    workbook.addWorksheet('HORARIOS_202604').addRow(['CLAVE', 'LUNES', 'HORA INICIO', 'HORA FIN']);
    await workbook.xlsx.writeFile(file);
    await rejects(file, 'sheet HORARIOS_202604, header', 'missing column "CLUES"');
  });

  it('a file that does not exist', async () => {
    await rejects(join(tmp.dir, 'no-such-file.csv'), '', 'cannot be read (ENOENT)');
  });

  it('an empty CSV', async () => {
    const file = join(tmp.dir, 'vacio.csv');
    writeFileSync(file, '');
    await rejects(file, '', 'is empty');
  });

  it('a CSV with an unclosed quote', async () => {
    const file = join(tmp.dir, 'roto.csv');
    writeFileSync(file, `${readFileSync(CSV55, 'utf8').split('\n')[0]}\nOCIMS000001,"OAXACA\n`);
    await rejects(file, 'line 2', /is not valid CSV \(Quote Not Closed/);
  });

  it('a file of another type', async () => {
    await rejects(join(FIXTURES, 'README.md'), '', 'is neither a .xlsx workbook nor a .csv file');
  });
});

describe('source label', () => {
  it.each([
    [['ESTABLECIMIENTO_SALUD_202604.xlsx'], CUT_202604],
    [['clues_imss_oaxaca_202604.csv'], CUT_202604],
    [['catalogo.xlsx', 'CLUES_202604'], CUT_202604],
    [
      ['ESTABLECIMIENTO_SALUD_202501.xlsx', 'CLUES_202604'],
      'Secretaría de Salud – DGIS, Catálogo CLUES, corte 202501',
    ],
    [['catalogo.csv'], 'Secretaría de Salud – DGIS, Catálogo CLUES'],
    [['clues_20260415.csv'], 'Secretaría de Salud – DGIS, Catálogo CLUES'], // a date, not a cut
    [['clues_202613.csv'], 'Secretaría de Salud – DGIS, Catálogo CLUES'], // no month 13
  ])('%j → %s', (names, label) => {
    expect(sourceLabel(...names)).toBe(label);
  });
});

describe('scale', () => {
  // How fast is measured by `npm run bench -- facilities`; this proves the scale works at all.
  it('imports a 64,000-row CSV: every row read, every unit in operation kept', async () => {
    const header = readFileSync(CSV55, 'utf8').split('\n')[0] ?? '';
    const columns = header.split(',');
    const at = (name: string) => columns.indexOf(name);
    const lines = [header];
    for (let i = 0; i < 64_000; i++) {
      const cells: string[] = columns.map(() => '');
      cells[at('CLUES')] = `OCIMS${String(i).padStart(6, '0')}`;
      cells[at('ENTIDAD')] = 'OAXACA';
      cells[at('NOMBRE TIPO ESTABLECIMIENTO')] = 'DE CONSULTA EXTERNA';
      cells[at('NOMBRE DE LA UNIDAD')] = `UNIDAD DE MEDICINA FAMILIAR NO. ${i}`;
      cells[at('VIALIDAD')] = 'CALLE HIDALGO';
      cells[at('NUMERO EXTERIOR')] = i % 3 ? String(i % 500) : 'SIN NÚMERO';
      cells[at('CODIGO POSTAL')] = String(68000 + (i % 1000));
      cells[at('ESTATUS DE OPERACION')] = i % 10 ? 'EN OPERACION' : 'FUERA DE OPERACION';
      cells[at('TELEFONO 1 DEL ESTABLECIMIENTO')] = i % 2 ? '9515550000' : '0000000000';
      cells[at('REFERENCIAS DEL DOMICILIO')] = '"ENTRE CALLE A, Y CALLE B"';
      cells[at('LATITUD')] = (15 + (i % 1700) / 100).toFixed(4);
      cells[at('LONGITUD')] = (-90 - (i % 2800) / 100).toFixed(4);
      lines.push(cells.join(','));
    }
    const file = join(tmp.dir, 'clues_sintetico_202604.csv');
    writeFileSync(file, `${lines.join('\n')}\n`);

    const report = await importClues(db, file);
    expect(report).toMatchObject({ rowsRead: 64_000, imported: 57_600 });
    expect(report.skipped).toHaveLength(6_400);
    expect(store.count().total).toBe(57_600);
  });
});
