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

/** Intl formatting costs microseconds a call, and the same few dates and days come back all the time. */
const formatted = new Map<string, string>();
function remember(key: string, make: () => string): string {
  let value = formatted.get(key);
  if (value === undefined) {
    value = make();
    if (formatted.size > 1000) formatted.clear();
    formatted.set(key, value);
  }
  return value;
}

/** "2025-03-28" → "28 de marzo de 2025" / "March 28, 2025" */
export function formatDate(isoDate: string, lang: Lang): string {
  return remember(`d${lang}${isoDate}`, () => dateFormat[lang].format(new Date(`${isoDate}T12:00:00Z`)));
}

/** ISO weekday (1 = Monday) → "lunes" / "Monday" */
export function weekdayName(isoWeekday: number, lang: Lang): string {
  // 2024-01-01 was a Monday
  return remember(`w${lang}${isoWeekday}`, () =>
    weekdayFormat[lang].format(new Date(Date.UTC(2024, 0, isoWeekday, 12))),
  );
}

const listFormat = (type: Intl.ListFormatType) =>
  Object.fromEntries(
    Object.entries(LOCALE).map(([l, loc]) => [l, new Intl.ListFormat(loc, { type })]),
  ) as Record<Lang, Intl.ListFormat>;
const lists = { and: listFormat('conjunction'), or: listFormat('disjunction') };

/** ["influenza", "COVID-19", "neumococo"] → "influenza, COVID-19 y neumococo" (or "… o …" with "or"). */
export function formatList(items: string[], lang: Lang, type: 'and' | 'or' = 'and'): string {
  return lists[type][lang].format(items);
}

/** "diabetes" → "Diabetes": a button label or a sentence made from a content word. */
export const capitalize = (s: string) => s.charAt(0).toLocaleUpperCase() + s.slice(1);
