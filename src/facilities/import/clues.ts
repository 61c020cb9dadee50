import { statSync } from 'node:fs';
import { basename, extname } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { CsvError, parse } from 'csv-parse';
import type ExcelJS from 'exceljs';
import { bumpFacilitiesVersion, FacilityStore } from '../../db/facilities.js';
import type { Db } from '../../db/open.js';
import { FacilityStaging, type StagedUnit } from '../../db/staging.js';
import { DataError } from '../../errors.js';
import { unreadable } from '../../knowledge/read-data.js';
import { checkNotUtf16, decodedChunks, readSample } from './decode.js';
import { type ColumnMap, mapColumns, pickFields, type RawValue } from './headers.js';
import {
  CLUES_KEY,
  cluesKey,
  DEFAULT_INSTITUTIONS,
  type InstitutionFilter,
  institutionFilter,
  institutionOf,
  institutionOption,
  mapRow,
  type RowOptions,
  text,
} from './row.js';
import { parseSchedule, type ScheduleColumns, scheduleColumns } from './schedules.js';
import { checkZipLimits, ZIP_LIMITS, type ZipLimits } from './zip-limits.js';

/**
 * `npm run import -- facilities <file>`: the DGIS CLUES catalogue (the ESTABLECIMIENTO_SALUD_YYYYMM.xlsx
 * workbook, or a CSV export of its CLUES sheet) into the facilities table. The file is streamed, and
 * each unit is written as it is read, to a staging database (FacilityStaging) rather than held in memory:
 * the importer's memory does not grow with the file. The whole file is read and checked before the bot's
 * tables are touched: a broken file changes nothing. The staged units are then upserted by CLUES key in
 * transactions of BATCH_ROWS, so the write lock is never held for long, and the removals (demo units,
 * units the file closes) and the version bump that makes a running bot reload come last, in one
 * transaction: the bot goes from the old catalogue to the new one and never sees units missing. If
 * writing fails half-way (disk full), the batches written are valid units and nothing was removed, and a
 * second run converges; a second import of the same file changes nothing.
 */

export interface ImportOptions {
  /** Institution codes or names (see institutionFilter); IMSS only by default. */
  institutions?: string | readonly string[];
  /** Run everything, report what would change, write nothing. */
  dryRun?: boolean;
  /** How much an .xlsx may unzip to (ZIP_LIMITS). */
  zipLimits?: ZipLimits;
  /** Units upserted per transaction (BATCH_ROWS). */
  batchRows?: number;
}

export interface ImportReport {
  file: string;
  layout: 'xlsx' | 'csv';
  /** Columns in the CLUES header (55, 67, 68… depending on the cut). */
  columns: number;
  rowsRead: number;
  imported: number;
  updated: number;
  unchanged: number;
  skipped: { line: number; clues?: string; reason: string }[];
  fixed: { line: number; clues: string; what: string }[];
  withSchedule: number;
  demoRemoved: number;
  /** Units stored by an earlier import that this file marks as closed or not for the public: removed. */
  retired: number;
  /** Rows per institution code in the file (rows with a valid CLUES key), whether selected or not. */
  institutions: Record<string, number>;
  /**
   * When most rows were skipped only because their institution was not selected: one line naming the
   * institutions the file holds and the --institution value that imports them (else undefined).
   */
  institutionHint?: string;
}

const SOURCE = 'Secretaría de Salud – DGIS, Catálogo CLUES';
/** The cut (YYYYMM) in ESTABLECIMIENTO_SALUD_202604.xlsx, CLUES_202604, clues_imss_oaxaca_202604.csv. */
const CUT = /(?:^|\D)(20\d{2}(?:0[1-9]|1[0-2]))(?!\d)/;

/** The attribution stored with each unit: the first name (file, then sheet) that carries the cut wins. */
export function sourceLabel(...names: (string | undefined)[]): string {
  for (const name of names) {
    const cut = name ? CUT.exec(name)?.[1] : undefined;
    if (cut) return `${SOURCE}, corte ${cut}`;
  }
  return SOURCE;
}

type Skipped = ImportReport['skipped'][number];

/**
 * The CLUES sheet as it is read: rows mapped one by one into the staging database, a repeated key
 * replacing the earlier row. Only the skipped rows stay in memory, for the report.
 */
class Catalogue {
  readonly skipped: Skipped[] = [];
  /** Rows per institution code, for the hint when the filter skips most of the file. */
  readonly institutions = new Map<string, number>();
  readonly width: number;
  rowsRead = 0;
  private readonly columns: ColumnMap;

  constructor(
    file: string,
    header: readonly RawValue[],
    private readonly options: RowOptions,
    readonly staging: FacilityStaging,
  ) {
    this.columns = mapColumns(file, header);
    this.width = header.length;
  }

  add(line: number, cells: readonly RawValue[]): void {
    if (cells.every((c) => text(c) === null)) return; // a blank row is not a unit
    this.rowsRead++;
    const values = pickFields(this.columns, cells);
    const result = mapRow(values, this.options);
    const clues = cluesKey(values) ?? undefined;
    if (clues && CLUES_KEY.test(clues)) {
      const code = institutionOf(values, clues);
      this.institutions.set(code, (this.institutions.get(code) ?? 0) + 1);
    }
    // The later row is the catalogue's latest word on that unit, even when it says the unit is closed.
    const earlier = clues ? this.staging.keptLine(clues) : undefined;
    if (clues && earlier !== undefined) {
      this.staging.drop(clues);
      this.skipped.push({
        line: earlier,
        clues,
        reason: `duplicate CLUES key, later line ${line} wins`,
      });
    }
    if ('skip' in result) {
      this.skipped.push({ line, ...(clues && { clues }), reason: result.skip });
      if (clues && result.retire) this.staging.retire(clues);
    } else {
      this.staging.keep(line, result.row, result.fixed);
    }
  }
}

interface Read {
  catalogue: Catalogue;
  /** Whether the file has a HORARIOS sheet (staged by key); a CSV never has one. */
  horarios: boolean;
}

// --- CSV ---------------------------------------------------------------------------------------------

/** Excel writes ";" instead of "," under some regional settings: the header line tells which. */
function delimiterOf(textData: string): string {
  const firstLine = textData.slice(0, textData.search(/\r?\n|$/));
  const counts = [',', ';', '\t'].map((d) => [d, firstLine.split(d).length] as const);
  return counts.reduce((best, c) => (c[1] > best[1] ? c : best))[0];
}

/** Streamed: the file is never in memory whole, nor are the units kept (see Catalogue). */
async function readCsv(
  file: string,
  options: (sheet?: string) => RowOptions,
  staging: FacilityStaging,
): Promise<Read> {
  const sample = await readSample(file);
  checkNotUtf16(file, sample);
  let catalogue: Catalogue | undefined;
  const parser = parse({
    bom: true,
    delimiter: delimiterOf(latin1Sample.decode(sample)),
    skip_empty_lines: true,
    relax_column_count: true,
    info: true,
  });
  try {
    await pipeline(
      () => decodedChunks(file, sample),
      parser,
      async (records: AsyncIterable<{ record: string[]; info: { lines: number } }>) => {
        for await (const { record: cells, info } of records) {
          // `lines` is where the record ends; a quoted field may span lines, and we report where it starts.
          const line = info.lines - cells.reduce((n, c) => n + (c.match(/\n/g)?.length ?? 0), 0);
          if (catalogue) catalogue.add(line, cells);
          else catalogue = new Catalogue(file, cells, options(), staging);
        }
      },
    );
  } catch (err) {
    if (err instanceof DataError) throw err;
    if (err instanceof CsvError) {
      const line = err.lines;
      throw new DataError(
        file,
        typeof line === 'number' ? `line ${line}` : '',
        `is not valid CSV (${err.message})`,
      );
    }
    throw unreadable(file, err);
  }
  if (!catalogue) throw new DataError(file, '', 'is empty');
  return { catalogue, horarios: false };
}

/** Only for the header line's delimiter: every byte is some character. */
const latin1Sample = new TextDecoder('latin1');

// --- xlsx --------------------------------------------------------------------------------------------

const CLUES_SHEET = /^CLUES(_|$)/i;
const HORARIOS_SHEET = /^HORARIOS(_|$)/i;

/** exceljs cell values → plain values: rich text, hyperlinks and formulas become what they show. */
function plain(value: ExcelJS.CellValue): RawValue {
  if (value === null || value === undefined || typeof value !== 'object' || value instanceof Date) {
    return value;
  }
  if ('richText' in value) return value.richText.map((r) => r.text).join('');
  if ('hyperlink' in value) return value.text;
  if ('result' in value) return value.result === undefined ? null : plain(value.result);
  return null; // an error value such as #N/A
}

/** A streamed row's cells, 0-based (exceljs counts columns from 1). */
function cellsOf(row: ExcelJS.Row): RawValue[] {
  const values = Array.isArray(row.values) ? row.values : [];
  const cells: RawValue[] = [];
  for (let i = 1; i < values.length; i++) cells.push(plain(values[i]));
  return cells;
}

async function readXlsx(
  file: string,
  options: (sheet?: string) => RowOptions,
  limits: ZipLimits,
  staging: FacilityStaging,
): Promise<Read> {
  await checkZipLimits(file, limits);
  // Streaming: the HORARIOS sheet of a national cut has ~64,000 rows × 127 columns.
  // Loaded only for a workbook: exceljs is most of the importer's own memory when it reads a CSV.
  const { default: Excel } = await import('exceljs');
  const reader = new Excel.stream.xlsx.WorkbookReader(file, {
    sharedStrings: 'cache',
    styles: 'cache', // so time-formatted cells arrive as times, not bare numbers
    hyperlinks: 'ignore',
    worksheets: 'emit',
    entries: 'ignore',
  });
  let catalogue: Catalogue | undefined;
  let horarios: ScheduleColumns | undefined;
  const sheets: string[] = [];
  try {
    for await (const sheet of reader) {
      // The streaming reader sets the name at run time; its type declarations leave it out.
      const name = (sheet as unknown as { name: string }).name;
      sheets.push(name);
      const isClues = !catalogue && CLUES_SHEET.test(name);
      const isHorarios = !horarios && HORARIOS_SHEET.test(name);
      for await (const row of sheet) {
        if (isClues) {
          if (catalogue) catalogue.add(row.number, cellsOf(row));
          else catalogue = new Catalogue(file, cellsOf(row), options(name), staging);
        } else if (isHorarios) {
          if (!horarios) {
            horarios = scheduleColumns(file, `sheet ${name}, header`, cellsOf(row));
            continue;
          }
          const cells = Array.isArray(row.values) ? row.values : [];
          const key = text(plain(cells[horarios.clues + 1]))?.toUpperCase();
          // Only the units we keep; when HORARIOS comes first in the file we cannot know them yet.
          if (key && (!catalogue || staging.keptLine(key) !== undefined)) {
            staging.schedule(key, parseSchedule(cellsOf(row), horarios));
          }
        }
        // Any other sheet (SUBCLUES: blood services) is read through: the stream cannot skip it.
      }
    }
  } catch (err) {
    if (err instanceof DataError) throw err;
    throw new DataError(
      file,
      '',
      `cannot be read as an .xlsx workbook; it may be truncated or corrupt (${(err as Error).message})`,
    );
  }
  if (!catalogue) {
    throw new DataError(file, '', `has no CLUES_* sheet (sheets: ${sheets.join(', ') || 'none'})`);
  }
  return { catalogue, horarios: horarios !== undefined };
}

// --- import ------------------------------------------------------------------------------------------

/** Units per write transaction: a few milliseconds of the write lock each. */
export const BATCH_ROWS = 2000;

/** Thrown inside the transaction to roll a dry run back after it has counted everything. */
class DryRun extends Error {}

export async function importClues(db: Db, file: string, options: ImportOptions = {}): Promise<ImportReport> {
  const institutions = institutionFilter(options.institutions ?? DEFAULT_INSTITUTIONS);
  const rowOptions = (sheet?: string): RowOptions => ({
    institutions,
    source: sourceLabel(basename(file), sheet),
  });

  const extension = extname(file).toLowerCase();
  if (extension !== '.xlsx' && extension !== '.csv') {
    throw new DataError(file, '', 'is neither a .xlsx workbook nor a .csv file');
  }
  try {
    if (!statSync(file).isFile()) throw new DataError(file, '', 'is not a file');
  } catch (err) {
    if (err instanceof DataError) throw err;
    throw unreadable(file, err);
  }
  const layout = extension === '.xlsx' ? 'xlsx' : 'csv';
  const staging = new FacilityStaging(db);
  try {
    const { catalogue, horarios } =
      layout === 'xlsx'
        ? await readXlsx(file, rowOptions, options.zipLimits ?? ZIP_LIMITS, staging)
        : await readCsv(file, rowOptions, staging);
    staging.flush();
    const counts = await writeStaged(db, staging, horarios, options);
    return {
      file,
      layout,
      columns: catalogue.width,
      rowsRead: catalogue.rowsRead,
      imported: counts.inserted,
      updated: counts.updated,
      unchanged: counts.unchanged,
      skipped: catalogue.skipped.sort((a, b) => a.line - b.line),
      fixed: staging.fixed(),
      withSchedule: counts.withSchedule,
      demoRemoved: counts.demoRemoved,
      retired: counts.retired,
      institutions: Object.fromEntries(catalogue.institutions),
      ...hintFor(catalogue, institutions),
    };
  } finally {
    staging.close();
  }
}

/**
 * A file of another institution (the IMSS-Bienestar national layout imported with the IMSS default) is
 * otherwise only hundreds of identical "not selected" lines: say what it holds and how to take it.
 */
function hintFor(catalogue: Catalogue, selected: InstitutionFilter): { institutionHint?: string } {
  if (selected === 'all') return {};
  const held = [...catalogue.institutions].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]));
  const others = held.filter(([code]) => !selected.has(code));
  const skipped = others.reduce((n, [, rows]) => n + rows, 0);
  // Most of the file, not a few stray rows (those are listed one by one already).
  if (!skipped || skipped * 2 < catalogue.rowsRead) return {};
  const all = skipped === catalogue.rowsRead;
  const option = institutionOption(
    all ? others.map(([code]) => code) : [...selected, ...others.map(([code]) => code)],
  );
  return {
    institutionHint:
      `${all ? `All ${skipped}` : `${skipped} of ${catalogue.rowsRead}`} rows are of institutions not selected ` +
      `(importing ${[...selected].join(', ')}); the file holds ${held.map(([c, n]) => `${c} ${n}`).join(', ')}. ` +
      `To import them${all ? '' : ' too'}: --institution ${option}`,
  };
}

type Counts = Record<
  'inserted' | 'updated' | 'unchanged' | 'withSchedule' | 'demoRemoved' | 'retired',
  number
>;

/**
 * The staged units into the facilities table. What a failure leaves behind: nothing, if it comes while
 * reading (the staging database goes, the bot's tables were not touched); if it comes while writing,
 * the batches already committed, which are all valid units of the new file, and every unit of the old
 * catalogue still there, because removals only come in the last transaction. The bot is told (version
 * bump) and a second run completes the import.
 */
async function writeStaged(
  db: Db,
  staging: FacilityStaging,
  horarios: boolean,
  options: ImportOptions,
): Promise<Counts> {
  const counts: Counts = {
    inserted: 0,
    updated: 0,
    unchanged: 0,
    withSchedule: 0,
    demoRemoved: 0,
    retired: 0,
  };
  const store = new FacilityStore(db);
  const now = Date.now();
  const changed = () => counts.inserted + counts.updated + counts.demoRemoved + counts.retired > 0;
  // Batches of upserts, each a short transaction, so a running bot is never kept waiting for the write
  // lock; the removals and the version bump come last, in one more, so the bot (which reloads on a new
  // version) goes from the old catalogue to the new one and never sees units missing.
  const upsertBatch = db.transaction((batch: readonly StagedUnit[]) => {
    for (const { row, schedule } of batch) {
      // A file without HORARIOS says nothing about hours: keep what an earlier workbook import stored.
      if (horarios) row.schedule = schedule?.length ? schedule : null;
      else row.schedule = store.get(row.clues)?.schedule ?? null;
      if (row.schedule) counts.withSchedule++;
      counts[store.upsert(row, now)]++;
    }
    if (options.dryRun) throw new DryRun();
  });
  const kept = staging.count();
  const finish = db.transaction(() => {
    // Demo units go as soon as real ones are in, so the two are never offered side by side.
    if (kept) counts.demoRemoved = store.removeDemo();
    counts.retired = staging.removeRetired();
    if (changed()) bumpFacilitiesVersion(db);
    if (options.dryRun) throw new DryRun();
  });
  const batchRows = options.batchRows ?? BATCH_ROWS;
  // IMMEDIATE: take the write lock up front (waiting for the bot's busy timeout), rather than read first
  // and fail with "database is locked" when the bot has written in between.
  try {
    for (let after = 0; ; ) {
      // Read outside the transaction: the write lock covers only the writes.
      const batch = staging.batch(after, batchRows);
      const last = batch.at(-1);
      if (!last) break;
      after = last.line;
      try {
        upsertBatch.immediate(batch);
      } catch (err) {
        if (!(err instanceof DryRun)) throw err;
      }
      // Let the event loop breathe between batches (a bench or a host process may share it).
      await new Promise((resolve) => setImmediate(resolve));
    }
    try {
      finish.immediate();
    } catch (err) {
      if (!(err instanceof DryRun)) throw err;
    }
  } catch (err) {
    // Batches already written are valid units: tell a running bot; a second run completes the import.
    if (changed() && !options.dryRun) bumpFacilitiesVersion(db);
    throw err;
  }
  return counts;
}
