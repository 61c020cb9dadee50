import { mexicoCityClock } from '../core/clock.js';

/** The calendar date in Mexico City (America/Mexico_City), YYYY-MM-DD. */
export const mexicoDay = (at: Date): string => mexicoCityClock(at).date;

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
