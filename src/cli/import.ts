/**
 * `npm run import -- <kind> <file> [--dry-run] [--institution imss,imss-bienestar]` — loads official
 * data into the bot's database (DB_PATH). A bad file changes nothing; the rows are written in short
 * transactions, the removals last (see importClues).
 * A running bot picks the new units up within seconds (see DirectoryFinder).
 * The npm script runs node with --optimize-for-size: an import keeps a few MB alive (rows are staged in
 * SQLite), and V8's default young generation and heap growth would hold tens of MB of garbage instead
 * (64,000 rows: peak RSS 178 MB without it, about 120 MB with it; `npm run bench -- facilities`).
 */
import { parseArgs } from 'node:util';
import { loadConfig } from '../config.js';
import { openDb } from '../db/open.js';
import { ConfigError, DataError } from '../errors.js';

/** The importer connection's SQLite page cache. */
const IMPORT_CACHE_KB = 2048;

/** Rows listed one by one in the report; the rest are counted. */
const LIST_LIMIT = 50;

type Options = { dryRun: boolean; institution?: string; dataDir: string };
type Importer = (db: ReturnType<typeof openDb>, file: string, options: Options) => Promise<void>;

function listed<T>(title: string, items: readonly T[], line: (item: T) => string) {
  if (!items.length) return;
  console.log(`${title}:`);
  for (const item of items.slice(0, LIST_LIMIT)) console.log(`  ${line(item)}`);
  if (items.length > LIST_LIMIT) console.log(`  … and ${items.length - LIST_LIMIT} more`);
}

const importers: Record<string, Importer> = {
  // Each importer is loaded only when asked for: the process's memory is the import's, not the
  // gazetteer's, jszip's or exceljs's (see `npm run bench -- facilities`).
  async facilities(db, file, { dryRun, institution }) {
    const { importClues } = await import('../facilities/import/clues.js');
    const report = await importClues(db, file, {
      dryRun,
      ...(institution ? { institutions: institution.split(',') } : {}),
    });
    console.log(
      `${dryRun ? 'Dry run (nothing written): ' : ''}${report.file} (${report.layout}, ${report.columns} columns)`,
    );
    console.log(
      `rows read ${report.rowsRead} · imported ${report.imported} · updated ${report.updated} · unchanged ${report.unchanged} · skipped ${report.skipped.length}`,
    );
    console.log(
      `units with a schedule from HORARIOS: ${report.withSchedule}; closed units removed: ${report.retired}; demo units removed: ${report.demoRemoved}`,
    );
    listed('fixed', report.fixed, (f) => `line ${f.line} ${f.clues}: ${f.what}`);
    listed('skipped', report.skipped, (s) => `line ${s.line}${s.clues ? ` ${s.clues}` : ''}: ${s.reason}`);
    // Last, after the list of skipped rows, where it is seen.
    if (report.institutionHint) console.log(report.institutionHint);
  },
  async 'postal-codes'(db, file, { dryRun, dataDir }) {
    const { importPostalCodes } = await import('../places/import/sepomex.js');
    const { statesFileIn } = await import('../places/states.js');
    const report = await importPostalCodes(db, file, { dryRun, statesFile: statesFileIn(dataDir) });
    console.log(`${dryRun ? 'Dry run (nothing written): ' : ''}${report.file}`);
    console.log(
      `lines read ${report.linesRead} · postal codes ${report.codes} · imported ${report.imported} · updated ${report.updated} · unchanged ${report.unchanged} · skipped ${report.skipped.length} · ${(report.elapsedMs / 1000).toFixed(1)} s`,
    );
    listed('skipped', report.skipped, (s) => `line ${s.line} ${s.code}: ${s.reason}`);
  },
};

async function main(argv: string[]) {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: { 'dry-run': { type: 'boolean', default: false }, institution: { type: 'string' } },
  });
  const [kind, file] = positionals;
  const run = kind ? importers[kind] : undefined;
  if (!run || !file) {
    console.error(
      'Usage: npm run import -- <kind> <file> [--dry-run] [--institution imss,imss-bienestar,issste,ssa,all]',
    );
    console.error(`Kinds: ${Object.keys(importers).join(', ')}`);
    process.exit(2);
  }
  const config = loadConfig();
  const db = openDb(config.DB_PATH);
  // The imports stream and write each row once: SQLite's default 16 MB page cache would only add to the
  // importer's memory (the bot's own connection keeps its cache).
  db.pragma(`cache_size = -${IMPORT_CACHE_KB}`);
  try {
    await run(db, file, {
      dryRun: values['dry-run'] ?? false,
      dataDir: config.DATA_DIR,
      ...(values.institution ? { institution: values.institution } : {}),
    });
  } finally {
    db.close();
    // For `npm run bench -- facilities`, which runs the importer in a child process to measure it alone.
    if (process.env.IMPORT_PRINT_RSS === '1') {
      console.log(`importer peak RSS: ${process.resourceUsage().maxRSS} KB`);
    }
  }
}

main(process.argv.slice(2)).catch((err: unknown) => {
  // The operator's problem to fix: one clear line naming the file, the place and the problem.
  if (err instanceof ConfigError) console.error(`Configuration error: ${err.message}`);
  else if (err instanceof DataError) console.error(`Import failed, nothing was changed. ${err.message}`);
  else console.error(err instanceof Error ? err.message : err);
  process.exit(1);
});
