import type { Lang } from '../nlu/index.js';

/** Dates and weekday names come from Intl in the person's language; formatters are built once. */
const LOCALE: Record<Lang, string> = { es: 'es-MX', en: 'en-US' };
const dateFormat = Object.fromEntries(
  Object.entries(LOCALE).map(([l, loc]) => [
    l,
    new Intl.DateTimeFormat(loc, { day: 'numeric', month: 'long', year: 'numeric', timeZone: 'UTC' }),
  ]),
) as Record<Lang, Intl.DateTimeFormat>;
const weekdayFormat = Object.fromEntries(
  Object.entries(LOCALE).map(([l, loc]) => [
    l,
    new Intl.DateTimeFormat(loc, { weekday: 'long', timeZone: 'UTC' }),
  ]),
) as Record<Lang, Intl.DateTimeFormat>;

/** "2025-03-28" → "28 de marzo de 2025" / "March 28, 2025" */
export function formatDate(isoDate: string, lang: Lang): string {
  return dateFormat[lang].format(new Date(`${isoDate}T12:00:00Z`));
}

/** ISO weekday (1 = Monday) → "lunes" / "Monday" */
export function weekdayName(isoWeekday: number, lang: Lang): string {
  // 2024-01-01 was a Monday
  return weekdayFormat[lang].format(new Date(Date.UTC(2024, 0, isoWeekday, 12)));
}
