import type { DayRange, Report } from '../storage/ports.js';

export type { DayRange, Report } from '../storage/ports.js';

/** Sums `value` by `key`, largest first (ties by key). */
export function totalsBy<T>(rows: readonly T[], key: (row: T) => string, value: (row: T) => number) {
  const totals = new Map<string, number>();
  for (const row of rows) totals.set(key(row), (totals.get(key(row)) ?? 0) + value(row));
  return [...totals].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]));
}

export const sum = <T>(rows: readonly T[], value: (row: T) => number) =>
  rows.reduce((total, row) => total + value(row), 0);

/** Fixed-width columns, left aligned, numbers right aligned. */
function table(header: string[], rows: (string | number)[][]): string[] {
  const cells = [header, ...rows.map((r) => r.map(String))];
  const widths = header.map((_, i) => Math.max(...cells.map((r) => [...(r[i] ?? '')].length)));
  const numeric = header.map((_, i) => rows.length > 0 && rows.every((r) => typeof r[i] === 'number'));
  return cells.map((r) =>
    r
      .map((cell, i) => {
        const pad = ' '.repeat((widths[i] ?? 0) - [...cell].length);
        return numeric[i] ? pad + cell : cell + pad;
      })
      .join('  ')
      .trimEnd(),
  );
}

const describeRange = ({ from, to }: DayRange) =>
  from && to ? `${from} to ${to}` : from ? `from ${from}` : to ? `up to ${to}` : 'all dates';

/** The report as text for the terminal (English, like the other operator commands). */
export function formatReport(report: Report): string {
  const out: string[] = [];
  const total = sum(report.messages, (r) => r.messages);
  const people = sum(report.referrals, (r) => r.people);
  out.push(
    `VacunaBot statistics, ${describeRange(report.range)} (Mexico City dates). Anonymous: no ids are kept.`,
  );
  out.push('');
  out.push(`Messages answered: ${total}`);
  if (report.messages.length) {
    out.push(
      ...table(
        ['day', 'channel', 'language', 'intent', 'messages'],
        report.messages.map((r) => [r.day, r.channel, r.lang, r.intent, r.messages]),
      ).map((l) => `  ${l}`),
    );
    out.push('');
    out.push('By intent:');
    out.push(
      ...table(
        ['intent', 'messages'],
        totalsBy(
          report.messages,
          (r) => r.intent,
          (r) => r.messages,
        ),
      ).map((l) => `  ${l}`),
    );
  }
  out.push('');
  out.push(`People who started through a promoter's link or QR: ${people}`);
  if (report.referrals.length) {
    out.push(
      ...table(
        ['day', 'code', 'channel', 'people'],
        report.referrals.map((r) => [r.day, r.code, r.channel, r.people]),
      ).map((l) => `  ${l}`),
    );
    out.push('');
    out.push('By code:');
    out.push(
      ...table(
        ['code', 'people'],
        totalsBy(
          report.referrals,
          (r) => r.code,
          (r) => r.people,
        ),
      ).map((l) => `  ${l}`),
    );
  }
  out.push('');
  const asked = sum(report.missed, (r) => r.count);
  out.push(
    `Questions the bot did not understand: ${report.missed.length} different, ${asked} ${asked === 1 ? 'time' : 'times'} (most frequent first; phones, e-mails and long numbers redacted)`,
  );
  if (report.missed.length) {
    out.push(
      ...table(
        ['times', 'language', 'question'],
        report.missed.map((r) => [r.count, r.lang, r.text]),
      ).map((l) => `  ${l}`),
    );
  }
  return `${out.join('\n')}\n`;
}

/** A CSV field: quoted when needed; a leading = + - @ is defused so spreadsheets show it as text. */
function csvField(value: string | number): string {
  if (typeof value === 'number') return String(value);
  const text = /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
  return /[",\r\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

/**
 * The same tables in one CSV file (RFC 4180, UTF-8 with a byte-order mark so Excel shows accents):
 * one row per table line, the first column naming the table (messages, referrals, unanswered).
 */
export function reportCsv(report: Report): string {
  const rows: (string | number)[][] = [
    ['table', 'day', 'channel', 'language', 'intent', 'code', 'question', 'count'],
    ...report.messages.map((r) => ['messages', r.day, r.channel, r.lang, r.intent, '', '', r.messages]),
    ...report.referrals.map((r) => ['referrals', r.day, r.channel, '', '', r.code, '', r.people]),
    // Unanswered questions are deduplicated over the whole range: no day of their own.
    ...report.missed.map((r) => ['unanswered', '', '', r.lang, '', '', r.text, r.count]),
  ];
  return `\uFEFF${rows.map((r) => r.map(csvField).join(',')).join('\r\n')}\r\n`;
}
