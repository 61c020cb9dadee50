/**
 * The clock and opening hours in Mexico City time, shared by the core, the content and the directory.
 * `America/Mexico_City` has had no daylight saving time since 2022 (UTC-6 all year), but we let the
 * time-zone database decide so past dates stay right too.
 */
export const TIME_ZONE = 'America/Mexico_City';

/** One opening block: ISO weekdays (1 = Monday … 7 = Sunday), minutes since midnight, close exclusive. */
export interface Block {
  days: readonly number[];
  open: number;
  close: number;
}

export interface LocalClock {
  /** ISO weekday, 1 = Monday … 7 = Sunday */
  weekday: number;
  /** minutes since local midnight */
  minutes: number;
  /** local calendar date, YYYY-MM-DD */
  date: string;
}

export type OpenState =
  | { open: true; closesAt: number }
  | { open: false; opensAt?: { weekday: number; minutes: number; daysAhead: number } };

const WEEKDAYS: Record<string, number> = { Mon: 1, Tue: 2, Wed: 3, Thu: 4, Fri: 5, Sat: 6, Sun: 7 };

// Built once: constructing an Intl formatter costs far more than using it.
const parts = new Intl.DateTimeFormat('en-US', {
  timeZone: TIME_ZONE,
  hourCycle: 'h23',
  weekday: 'short',
  year: 'numeric',
  month: '2-digit',
  day: '2-digit',
  hour: '2-digit',
  minute: '2-digit',
});

/** The clock only changes once a minute, and messages come in time order: remember the last minute. */
let lastMinute = Number.NaN;
let lastClock: LocalClock | undefined;

export function mexicoCityClock(at: Date): LocalClock {
  const minute = Math.floor(at.getTime() / 60_000);
  if (minute === lastMinute && lastClock) return lastClock;
  lastClock = computeClock(at);
  lastMinute = minute;
  return lastClock;
}

function computeClock(at: Date): LocalClock {
  const p: Record<string, string> = {};
  for (const { type, value } of parts.formatToParts(at)) p[type] = value;
  return {
    weekday: WEEKDAYS[p.weekday ?? ''] ?? 1,
    minutes: Number(p.hour) * 60 + Number(p.minute),
    date: `${p.year}-${p.month}-${p.day}`,
  };
}

/** "08:00" → 480 */
export const toMinutes = (hhmm: string): number => {
  const [h, m] = hhmm.split(':').map(Number);
  return (h ?? 0) * 60 + (m ?? 0);
};

/** A closing time in minutes: "23:59" is the end of the day (a block's close is exclusive), the way 24-hour service is written. */
export const closeMinutes = (hhmm: string): number => (hhmm === '23:59' ? 24 * 60 : toMinutes(hhmm));

/** 480 → "8:00" (the way times are written on Mexican notices) */
export const formatMinutes = (minutes: number): string =>
  `${Math.floor(minutes / 60)}:${String(minutes % 60).padStart(2, '0')}`;

/** Whether the blocks are open at that local time, and when they close or next open. */
export function openState(blocks: readonly Block[], clock: LocalClock): OpenState {
  for (const b of blocks) {
    if (b.days.includes(clock.weekday) && clock.minutes >= b.open && clock.minutes < b.close) {
      return { open: true, closesAt: b.close };
    }
  }
  for (let daysAhead = 0; daysAhead <= 7; daysAhead++) {
    const weekday = ((clock.weekday - 1 + daysAhead) % 7) + 1;
    const starts = blocks
      .filter((b) => b.days.includes(weekday) && (daysAhead > 0 || b.open > clock.minutes))
      .map((b) => b.open);
    if (starts.length) return { open: false, opensAt: { weekday, minutes: Math.min(...starts), daysAhead } };
  }
  return { open: false };
}
