import { describe, expect, it } from 'vitest';
import type { Block } from '../../../src/core/clock.js';
import { DataError } from '../../../src/errors.js';
import {
  catalogueBlock,
  mergeBlocks,
  parseSchedule,
  scheduleColumns,
  timeOfDay,
} from '../../../src/facilities/import/schedules.js';

const DAYS = ['DOMINGO', 'LUNES', 'MARTES', 'MIERCOLES', 'JUEVES', 'VIERNES', 'SABADO'];
const MON_FRI = [1, 2, 3, 4, 5];
const EVERY_DAY = [1, 2, 3, 4, 5, 6, 7];

/** A HORARIOS header of `blocks` blocks, named as the DGIS workbook does (repeated) or with _N suffixes. */
function header(blocks: number, style: 'repeated' | 'suffixed'): string[] {
  const names = [...DAYS, 'HORA INICIO', 'HORA FIN'];
  return [
    'CLUES',
    ...Array.from({ length: blocks }, (_, b) =>
      names.map((n) => (style === 'suffixed' && b > 0 ? `${n}_${b}` : n)),
    ).flat(),
  ];
}

/** One block's nine cells: the listed days SI, the others NO, then the two times. */
const block = (days: string[], start: unknown, end: unknown) => [
  ...DAYS.map((d) => (days.includes(d) ? 'SI' : 'NO')),
  start,
  end,
];
const WEEK = ['LUNES', 'MARTES', 'MIERCOLES', 'JUEVES', 'VIERNES'];

describe('time of day', () => {
  it.each<[unknown, number | null]>([
    ['08:00', 480],
    ['8:00', 480],
    ['08:00:00', 480],
    [' 20:30 ', 1230],
    ['00:00', 0],
    ['23:59', 1439],
    ['24:00', 1440],
    ['8:00 a.m.', 480],
    ['8:30 PM', 1230],
    ['12:00 pm', 720],
    ['12:00 am', 0],
    [1 / 3, 480], // an Excel time fraction
    [0.5, 720],
    [45658.75, 1080], // a date-time serial: the fraction is the time
    [new Date(Date.UTC(1899, 11, 30, 9, 30)), 570], // what exceljs makes of a time-formatted cell
    ['25:00', null],
    ['08:75', null],
    ['13:00 pm', null],
    ['ocho', null],
    ['', null],
    [null, null],
    [undefined, null],
    [-0.5, null],
    [new Date(Number.NaN), null],
  ])('%j → %j', (value, minutes) => {
    expect(timeOfDay(value)).toBe(minutes);
  });
});

describe('one catalogue block', () => {
  it.each<[string, number[], unknown, unknown, Block[]]>([
    ['weekdays 8–20', MON_FRI, '08:00', '20:00', [{ days: MON_FRI, open: 480, close: 1200 }]],
    ['24 hours, coded 00:00–23:59', EVERY_DAY, '00:00', '23:59', [{ days: EVERY_DAY, open: 0, close: 1440 }]],
    ['until 23:59 is until midnight', [6], '16:00', '23:59', [{ days: [6], open: 960, close: 1440 }]],
    ['closing at 00:00 is midnight', [5], '09:00', '00:00', [{ days: [5], open: 540, close: 1440 }]],
    [
      'a night shift runs into the next day (Sunday night into Monday)',
      [6, 7],
      '20:00',
      '08:00',
      [
        { days: [6, 7], open: 1200, close: 1440 },
        { days: [7, 1], open: 0, close: 480 },
      ],
    ],
    ['no day', [], '08:00', '20:00', []],
    ['no start', MON_FRI, '', '20:00', []],
    ['unreadable end', MON_FRI, '08:00', 'MEDIODIA', []],
    ['open equal to close', MON_FRI, '00:00', '00:00', []],
    ['a one-minute entry error (23:59–00:00)', EVERY_DAY, '23:59', '00:00', []],
    ['a two-minute entry error across midnight (23:59–00:01)', EVERY_DAY, '23:59', '00:01', []],
  ])('%s', (_, days, start, end, expected) => {
    expect(catalogueBlock(days, start, end)).toEqual(expected);
  });
});

describe('merging blocks', () => {
  it('joins the days of blocks with the same hours, drops duplicates and sorts', () => {
    expect(
      mergeBlocks([
        { days: [6], open: 540, close: 780 },
        { days: [1, 2], open: 480, close: 900 },
        { days: [3, 4, 5], open: 480, close: 900 },
        { days: [7], open: 540, close: 780 },
        { days: [1, 2], open: 480, close: 900 },
      ]),
    ).toEqual([
      { days: [1, 2, 3, 4, 5], open: 480, close: 900 },
      { days: [6, 7], open: 540, close: 780 },
    ]);
  });
});

describe('a HORARIOS row', () => {
  it.each(['repeated', 'suffixed'] as const)('reads blocks from a header with %s names', (style) => {
    const columns = scheduleColumns('f.xlsx', 'sheet HORARIOS_202604, header', header(14, style));
    expect(columns.clues).toBe(0);
    expect(columns.blocks).toHaveLength(14);
    const row = [
      'OCIMS990090',
      ...block(WEEK, '8:00', '14:00'),
      ...block(['SABADO', 'DOMINGO'], '09:00:00', '13:30:00'),
      ...block([], '', ''),
    ];
    expect(parseSchedule(row, columns)).toEqual([
      { days: MON_FRI, open: 480, close: 840 },
      { days: [6, 7], open: 540, close: 810 },
    ]);
  });

  it.each<[string, unknown[], Block[]]>([
    ['a 24-hour unit', block(DAYS, '00:00', '23:59'), [{ days: EVERY_DAY, open: 0, close: 1440 }]],
    [
      'a weekend-only unit',
      block(['SABADO', 'DOMINGO'], '09:00', '14:00'),
      [{ days: [6, 7], open: 540, close: 840 }],
    ],
    [
      'days in any case, with accents',
      block(['LUNES'], '08:00', '12:00').map((c) => (c === 'SI' ? ' sí ' : c)),
      [{ days: [1], open: 480, close: 720 }],
    ],
    ['every day NO', block([], '08:00', '20:00'), []],
    ['no time', block(WEEK, null, null), []],
    ['an empty row', [], []],
    [
      'the same block repeated (as some rows are)',
      [...block(DAYS, '00:00', '23:59'), ...block(DAYS, '00:00', '23:59')],
      [{ days: EVERY_DAY, open: 0, close: 1440 }],
    ],
    [
      'split shifts',
      [...block(WEEK, '08:00', '14:00'), ...block(WEEK, '16:00', '20:00')],
      [
        { days: MON_FRI, open: 480, close: 840 },
        { days: MON_FRI, open: 960, close: 1200 },
      ],
    ],
  ])('%s', (_, cells, expected) => {
    const columns = scheduleColumns('f.xlsx', 'header', header(14, 'repeated'));
    expect(parseSchedule(['X', ...cells], columns)).toEqual(expected);
  });

  it('finds CLUES and the blocks wherever they are, accents and case aside', () => {
    const columns = scheduleColumns('f.csv', 'header', [
      'Lunes',
      'Miércoles',
      'Hora Inicio',
      'Hora Fin',
      'clues',
    ]);
    expect(columns.clues).toBe(4);
    expect(parseSchedule(['SI', 'SI', '07:00', '15:00', 'X'], columns)).toEqual([
      { days: [1, 3], open: 420, close: 900 },
    ]);
  });

  it.each([
    [['LUNES', 'HORA INICIO', 'HORA FIN'], 'missing column "CLUES"'],
    [['CLUES', 'SUBCLUES', 'AREA'], 'no day and HORA INICIO/HORA FIN columns'],
    [['CLUES', 'LUNES', 'MARTES'], 'no day and HORA INICIO/HORA FIN columns'],
  ])('rejects a header %j', (cells, problem) => {
    expect(() => scheduleColumns('f.xlsx', 'sheet HORARIOS_202604, header', cells)).toThrow(DataError);
    expect(() => scheduleColumns('f.xlsx', 'sheet HORARIOS_202604, header', cells)).toThrow(problem);
  });
});
