import type { Block } from '../../core/clock.js';
import { DataError } from '../../errors.js';
import { normalizeName } from './headers.js';

/**
 * The HORARIOS sheet: one row per CLUES key, then up to 14 blocks of seven day columns (DOMINGO…SABADO,
 * "SI"/"NO"), HORA INICIO and HORA FIN. Exports name the later blocks LUNES_1 … HORA FIN_13; the DGIS
 * workbook itself simply repeats the names, so a block is told apart by its suffix or, failing that, by
 * how many times the name has been seen.
 */

const DAYS: Record<string, number> = {
  LUNES: 1,
  MARTES: 2,
  MIERCOLES: 3,
  JUEVES: 4,
  VIERNES: 5,
  SABADO: 6,
  DOMINGO: 7,
};

interface BlockColumns {
  /** [ISO weekday, column index] */
  days: [number, number][];
  start?: number;
  end?: number;
}

export interface ScheduleColumns {
  clues: number;
  blocks: BlockColumns[];
}

/** Reads the HORARIOS header; a sheet that is there but has no CLUES or no day/time columns is an error. */
export function scheduleColumns(file: string, where: string, header: readonly unknown[]): ScheduleColumns {
  let clues: number | undefined;
  const blocks: BlockColumns[] = [];
  const seen = new Map<string, number>();
  header.forEach((cell, column) => {
    const name = normalizeName(cell);
    if (name === 'CLUES') {
      clues ??= column;
      return;
    }
    // "LUNES_3", "HORA INICIO_3", and "LUNES.3" as pandas writes repeated names.
    const [, base = name, suffix] = /^(.*?)(?:[_.](\d+))?$/.exec(name) ?? [];
    const day = DAYS[base];
    if (!day && base !== 'HORA INICIO' && base !== 'HORA FIN') return;
    const index = suffix ? Number(suffix) : (seen.get(base) ?? 0);
    seen.set(base, index + 1);
    blocks[index] ??= { days: [] };
    const block = blocks[index];
    if (day) block.days.push([day, column]);
    else if (base === 'HORA INICIO') block.start = column;
    else block.end = column;
  });
  if (clues === undefined) throw new DataError(file, where, 'missing column "CLUES"');
  const usable = blocks.filter((b) => b.days.length && b.start !== undefined && b.end !== undefined);
  if (!usable.length) throw new DataError(file, where, 'no day and HORA INICIO/HORA FIN columns');
  return { clues, blocks: usable };
}

const TIME = /^(\d{1,2}):(\d{2})(?::\d{2})?(?:\s*([ap])\.?\s*m\.?)?$/i;

/**
 * Minutes since midnight from "08:00", "8:00", "08:00:00", "8:00 p.m.", an Excel time fraction (0.3333…)
 * or the Date exceljs makes of a time-formatted cell; null when it is none of these.
 */
export function timeOfDay(value: unknown): number | null {
  if (value instanceof Date) {
    // exceljs builds dates from Excel's serial number in UTC, so the UTC clock is the cell's clock.
    return Number.isNaN(value.getTime()) ? null : value.getUTCHours() * 60 + value.getUTCMinutes();
  }
  if (typeof value === 'number') {
    if (!Number.isFinite(value) || value < 0) return null;
    // A fraction of a day (a date-time serial keeps its time in the fraction); the epsilon absorbs
    // floating-point error, 0.333… × 1440 = 479.99999.
    return Math.floor((value % 1) * 1440 + 1e-6);
  }
  if (typeof value !== 'string') return null;
  const m = TIME.exec(value.trim());
  if (!m) return null;
  let hours = Number(m[1]);
  const minutes = Number(m[2]);
  const meridiem = m[3]?.toLowerCase();
  if (minutes > 59 || hours > 24 || (meridiem && (hours < 1 || hours > 12))) return null;
  if (meridiem) hours = (hours % 12) + (meridiem === 'p' ? 12 : 0);
  const total = hours * 60 + minutes;
  return total > 1440 ? null : total;
}

const isYes = (value: unknown) => value === true || normalizeName(value) === 'SI';

/** Blocks shorter than this are entry errors (23:59–00:00 appears by the hundred), not opening hours. */
const SHORTEST_BLOCK = 15;

/**
 * One catalogue block → our blocks (none, one, or two when it runs past midnight).
 * - "23:59" as a closing time means the end of the day (our close is exclusive): 00:00–23:59 is 24 hours.
 * - "00:00" as a closing time means midnight: 09:00–00:00 is open until the end of the day.
 * - A close before the open is a night shift (20:00–08:00): until midnight, then on into the next day.
 * - No day, a time we cannot read, or equal open and close (00:00–00:00 could mean closed or always
 *   open): the block is ignored rather than guessed.
 */
export function catalogueBlock(days: readonly number[], start: unknown, end: unknown): Block[] {
  const open = timeOfDay(start);
  let close = timeOfDay(end);
  if (!days.length || open === null || close === null || open >= 1440) return [];
  if (close === 1439 || (close === 0 && open > 0)) close = 1440;
  if (open === close) return [];
  if (close > open) return close - open < SHORTEST_BLOCK ? [] : [{ days: [...days], open, close }];
  if (1440 - open + close < SHORTEST_BLOCK) return [];
  return [
    { days: [...days], open, close: 1440 },
    { days: days.map((d) => (d % 7) + 1), open: 0, close },
  ];
}

/**
 * Same hours on different lines become one block with all their days, duplicates disappear, and the
 * order is fixed (by first day, then opening time), so an unchanged catalogue stores identical JSON.
 */
export function mergeBlocks(blocks: readonly Block[]): Block[] {
  const byHours = new Map<string, Set<number>>();
  for (const b of blocks) {
    const key = `${b.open}-${b.close}`;
    const days = byHours.get(key) ?? new Set<number>();
    for (const d of b.days) days.add(d);
    byHours.set(key, days);
  }
  return [...byHours]
    .map(([key, days]) => {
      const [open = 0, close = 0] = key.split('-').map(Number);
      return { days: [...days].sort((a, b) => a - b), open, close };
    })
    .sort((a, b) => (a.days[0] ?? 0) - (b.days[0] ?? 0) || a.open - b.open || a.close - b.close);
}

/** One HORARIOS row (0-based cells) → the unit's opening blocks; empty when it has no usable block. */
export function parseSchedule(cells: readonly unknown[], columns: ScheduleColumns): Block[] {
  const blocks = columns.blocks.flatMap((b) =>
    catalogueBlock(
      b.days.filter(([, column]) => isYes(cells[column])).map(([day]) => day),
      cells[b.start ?? -1],
      cells[b.end ?? -1],
    ),
  );
  return mergeBlocks(blocks);
}
