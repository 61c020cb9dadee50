import { existsSync, writeFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { loadConfig } from '../config.js';
import { openDb } from '../db/open.js';
import { readReport } from '../db/stats.js';
import { isIsoDay } from './day.js';
import { formatReport, reportCsv } from './report.js';

export interface Io {
  out: (text: string) => void;
  err: (line: string) => void;
}

const REPORT_USAGE = 'Usage: npm run report [-- --from YYYY-MM-DD --to YYYY-MM-DD --csv <file>]';

/**
 * `npm run report [-- --from YYYY-MM-DD --to YYYY-MM-DD --csv <file>]`: the anonymous statistics
 * from the bot's database (DB_PATH), as tables on stdout and, with --csv, in a CSV file. Dates are
 * Mexico City dates, both ends included. Returns the exit status (2: bad arguments; 1: no database).
 */
export function reportCommand(argv: string[], env: NodeJS.ProcessEnv, io: Io): number {
  let values: { from?: string; to?: string; csv?: string; help?: boolean };
  try {
    ({ values } = parseArgs({
      args: argv,
      options: {
        from: { type: 'string' },
        to: { type: 'string' },
        csv: { type: 'string' },
        help: { type: 'boolean', short: 'h' },
      },
    }));
  } catch (err) {
    io.err(`${(err as Error).message}\n${REPORT_USAGE}`);
    return 2;
  }
  if (values.help) {
    io.out(`${REPORT_USAGE}\n`);
    return 0;
  }
  for (const option of ['from', 'to'] as const) {
    const day = values[option];
    if (day !== undefined && !isIsoDay(day)) {
      io.err(`--${option} must be a date written YYYY-MM-DD, like 2025-01-15 (got "${day}")`);
      return 2;
    }
  }
  if (values.from && values.to && values.from > values.to) {
    io.err(`--from ${values.from} is after --to ${values.to}`);
    return 2;
  }
  const config = loadConfig(env);
  if (config.DB_PATH !== ':memory:' && !existsSync(config.DB_PATH)) {
    io.err(
      `No database at ${config.DB_PATH} (DB_PATH): the bot has not run with it yet, so there is nothing to report.`,
    );
    return 1;
  }
  const db = openDb(config.DB_PATH);
  try {
    const report = readReport(db, {
      ...(values.from ? { from: values.from } : {}),
      ...(values.to ? { to: values.to } : {}),
    });
    io.out(formatReport(report));
    if (values.csv) {
      writeFileSync(values.csv, reportCsv(report));
      io.out(`CSV written to ${values.csv}\n`);
    }
  } finally {
    db.close();
  }
  return 0;
}
