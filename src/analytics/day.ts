import { TIME_ZONE } from '../facilities/schedule.js';

// Built once: constructing an Intl formatter costs far more than using it.
const dateParts = new Intl.DateTimeFormat('en-US', {
  timeZone: TIME_ZONE,
  year: 'numeric',
  month: '2-digit',
  day: '2-digit',
});

const HOUR_MS = 3_600_000;
/** Mexico City's offsets (and their changes) have been whole hours since 1922: the date only changes on the hour. */
let lastHour = Number.NaN;
let lastDay = '';

/** The calendar date in Mexico City (America/Mexico_City), YYYY-MM-DD. Cheap for messages in time order. */
export function mexicoDay(at: Date): string {
  const hour = Math.floor(at.getTime() / HOUR_MS);
  if (hour === lastHour) return lastDay;
  const p: Record<string, string> = {};
  for (const { type, value } of dateParts.formatToParts(at)) p[type] = value;
  lastDay = `${p.year}-${p.month}-${p.day}`;
  lastHour = hour;
  return lastDay;
}

const ISO_DAY = /^(\d{4})-(\d{2})-(\d{2})$/;

/** Whether the text is a real calendar date written YYYY-MM-DD. */
export function isIsoDay(text: string): boolean {
  const m = ISO_DAY.exec(text);
  if (!m) return false;
  const d = new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3])));
  return d.toISOString().slice(0, 10) === text;
}

/** The YYYY-MM-DD date `days` days before (negative: after) the given one. */
export function addDays(day: string, days: number): string {
  const d = new Date(`${day}T12:00:00Z`);
  d.setUTCDate(d.getUTCDate() + days);
  return d.toISOString().slice(0, 10);
}
