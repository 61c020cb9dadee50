/**
 * `npm run bench -- facilities` — nearest-unit queries over 64,000 synthetic units spread over
 * Mexico (targets: p99 ≤ 0.2 ms per query), and the import of a 64,000-row CLUES CSV (≤ 10 s).
 * Synthetic data only: made up here, never the official files.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createApp } from '../app.js';
import type { IncomingMessage } from '../core/messages.js';
import { noPlaces } from '../core/ports.js';
import { FacilityStore } from '../db/facilities.js';
import { openDb } from '../db/open.js';
import { DirectoryFinder } from '../facilities/finder.js';
import { importClues } from '../facilities/import/clues.js';
import { seededRandom } from '../random.js';
import { withTimeout } from '../timers.js';
import { scriptArgs } from './script-args.js';
import { percentile } from './stats.js';

const UNITS = 64_000;
const QUERIES = 10_000;
/** The importer's peak RSS in its own process, node and tsx included. */
const IMPORT_RSS_TARGET_MB = 150;

/** Rough population centres: units cluster around cities like the real catalogue's, plus a rural spread. */
const CENTRES: [number, number][] = [
  [19.43, -99.13],
  [20.67, -103.35],
  [25.69, -100.32],
  [19.04, -98.21],
  [32.51, -117.04],
  [21.12, -101.69],
  [31.69, -106.42],
  [20.97, -89.59],
  [17.06, -96.73],
  [16.75, -93.12],
  [19.17, -96.13],
  [22.15, -100.98],
  [28.63, -106.09],
  [29.07, -110.96],
  [24.8, -107.39],
  [20.59, -100.39],
  [18.92, -99.23],
  [21.88, -102.29],
  [17.99, -92.93],
  [19.7, -101.19],
  [16.85, -99.88],
  [20.1, -98.76],
  [25.54, -103.41],
  [22.24, -97.86],
];

export function syntheticUnits(random: () => number): { lat: number; lon: number }[] {
  return Array.from({ length: UNITS }, () => {
    if (random() < 0.3) return { lat: 15 + random() * 17, lon: -116 + random() * 28 };
    const [lat, lon] = CENTRES[Math.floor(random() * CENTRES.length)] as [number, number];
    // kept south of the border (Tijuana's cluster would spill into the US)
    return { lat: Math.min(32.5, lat + (random() - 0.5) * 1.2), lon: lon + (random() - 0.5) * 1.2 };
  });
}

/** A CSV in the 55-column per-institution layout, with the same headers as the DGIS export. */
const HEADER =
  'CLUES,ENTIDAD,CLAVE DEL MUNICIPIO,MUNICIPIO,CLAVE DE LA LOCALIDAD,LOCALIDAD,CLAVE DE LA JURISDICCION,JURISDICCION,CLAVE DEL TIPO ESTABLECIMIENTO,NOMBRE TIPO ESTABLECIMIENTO,CLAVE DE TIPOLOGIA,NOMBRE DE TIPOLOGIA,CLAVE DE SUBTIPOLOGIA,NOMBRE DE SUBTIPOLOGIA,NOMBRE DE LA UNIDAD,NOMBRE COMERCIAL,CLAVE TIPO DE VIALIDAD,TIPO DE VIALIDAD,VIALIDAD,NUMERO EXTERIOR,NUMERO INTERIOR,CLAVE TIPO DE ASENTAMIENTO,TIPO DE ASENTAMIENTO,ASENTAMIENTO,CODIGO POSTAL,REFERENCIAS DEL DOMICILIO,CLAVE ESTATUS DE OPERACION,ESTATUS DE OPERACION,RFC DEL ESTABLECIMIENTO,TELEFONO 1 DEL ESTABLECIMIENTO,EXTENSION TELEFONICA 1 DEL ESTABLECIMIENTO,TELEFONO 2 DEL ESTABLECIMIENTO,EXTENSION TELEFONICA 2 DEL ESTABLECIMIENTO,FECHA DE CONSTRUCCION,FECHA DE INICIO DE OPERACION,CLAVE DE LA INS ADM,NOMBRE DE LA INS ADM,CLAVE NIVEL ATENCION,NIVEL ATENCION,CLAVE ESTRATO UNIDAD,ESTRATO UNIDAD,CLAVE TIPO OBRA,TIPO OBRA,CLAVE PROPIEDAD DEL INMUEBLE,PROPIEDAD DEL INMUEBLE,OBSERVACIONES AL REGISTRO,LATITUD,LONGITUD,CLAVE ULTIMO MOVIMIENTO,ULTIMO MOVIMIENTO,FECHA ULTIMO MOVIMIENTO,COMENTARIOS DE LA VALIDACION,CLAVE MOTIVO BAJA,MOTIVO BAJA,FECHA EFECTIVA DE BAJA';

export function syntheticCsv(points: { lat: number; lon: number }[]): string {
  const lines = [HEADER];
  points.forEach((p, i) => {
    const clues = `SYIMS${String(i).padStart(6, '0')}`;
    const row = new Array<string>(55).fill('');
    row[0] = clues;
    row[1] = 'ESTADO SINTETICO';
    row[3] = 'MUNICIPIO SINTETICO';
    row[9] = 'DE CONSULTA EXTERNA';
    row[11] = 'UNIDAD DE MEDICINA FAMILIAR';
    row[14] = `UNIDAD SINTETICA ${i}`;
    row[18] = 'CALLE SINTETICA';
    row[19] = 'SIN NÚMERO';
    row[24] = String(10000 + (i % 89999));
    row[27] = 'EN OPERACION';
    row[29] = '0000000000';
    row[46] = p.lat.toFixed(6);
    row[47] = p.lon.toFixed(6);
    lines.push(row.join(','));
  });
  return `${lines.join('\n')}\n`;
}

/** `npm run import -- facilities <csv>` in a child process, so its peak RSS is the importer's own. */
function importInChild(
  csv: string,
  dbPath: string,
): { result: Promise<{ ms: number; maxRssKb: number }>; stop: () => void } {
  let child: ReturnType<typeof spawn> | undefined;
  const result = new Promise<{ ms: number; maxRssKb: number }>((resolve, reject) => {
    const t0 = performance.now();
    child = spawn(process.execPath, [...scriptArgs('import'), 'facilities', csv, '--institution', 'all'], {
      env: { ...process.env, DB_PATH: dbPath, IMPORT_PRINT_RSS: '1' },
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    let out = '';
    child.stdout?.on('data', (chunk: Buffer) => {
      out += chunk.toString();
    });
    child.on('error', reject);
    child.on('exit', (code) => {
      const ms = performance.now() - t0;
      const rss = /importer peak RSS: (\d+) KB/.exec(out)?.[1];
      if (code !== 0 || !rss) reject(new Error(`import failed (exit ${code}):\n${out}`));
      else resolve({ ms, maxRssKb: Number(rss) });
    });
  });
  // Stopped by its pid if the bench gives up on it.
  return { result, stop: () => child?.exitCode === null && child.kill('SIGKILL') };
}

/** The longest the bot is measured while an import runs: the loop is bounded even if the child's end is missed. */
const DURING_IMPORT_MAX_MS = 120_000;

/** The engine's reply latency (ms, sorted) over `count` messages, or for as long as `until` is pending. */
async function engineLatencies(
  app: ReturnType<typeof createApp>,
  write: () => void,
  count: number,
  until?: Promise<unknown>,
): Promise<Float64Array> {
  let running = true;
  until?.then(
    () => {
      running = false;
    },
    () => {
      running = false;
    },
  );
  const deadline = performance.now() + DURING_IMPORT_MAX_MS;
  const latencies: number[] = [];
  const texts = [
    'me toca vacuna?',
    'donde me vacuno',
    'a q hora abren el sabado',
    'tengo 67 y soy diabetico',
  ];
  for (let i = 0; until ? running && performance.now() < deadline : i < count; i++) {
    const message = {
      kind: 'text',
      text: texts[i % texts.length],
      channel: 'bench',
      userId: `user-${i % 50}`,
      receivedAt: new Date(),
    } as IncomingMessage;
    const s = performance.now();
    await app.runner.handle(message);
    write();
    latencies.push(performance.now() - s);
    // Let the child's output and exit through, as a bot's event loop would between messages.
    if (i % 20 === 0) await new Promise((r) => setImmediate(r));
  }
  return Float64Array.from(latencies).sort();
}

async function importWhileServing(dir: string, csv: string) {
  const dbPath = join(dir, 'bot.db');
  const app = createApp({
    DB_PATH: dbPath,
    HASH_SALT: 'bench-salt-0123456789abcdef',
    DATA_DIR: process.env.DATA_DIR ?? 'data',
    LOCALES_DIR: 'locales',
    DEFAULT_LANG: 'es',
  });
  // Each reply is followed by one small write, as a session save is: it needs the write lock.
  const db = openDb(dbPath);
  const save = db.prepare(
    "INSERT INTO meta (key, value) VALUES ('bench_session', ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value",
  );
  const write = () => {
    save.run(String(Date.now()));
  };
  try {
    const idle = await engineLatencies(app, write, 5_000);
    const child = importInChild(csv, dbPath);
    try {
      const during = await engineLatencies(app, write, 0, child.result);
      // Its failure, or an end the loop missed, is the bench's failure, not a silent number.
      await withTimeout(child.result, 5_000, () => new Error('the import did not end in time'));
      const ms = (x: Float64Array, p: number) => percentile(x, p).toFixed(2);
      console.log(
        `  bot reply latency (engine path + one session-sized write), idle: p50 ${ms(idle, 50)} ms, p99 ${ms(idle, 99)} ms, max ${ms(idle, 100)} ms`,
      );
      console.log(
        `  … while another process imports the same CSV into its database (${during.length} replies): p50 ${ms(during, 50)} ms, p99 ${ms(during, 99)} ms, max ${ms(during, 100)} ms`,
      );
    } finally {
      child.stop();
    }
  } finally {
    db.close();
    await app.close();
  }
}

export async function benchFacilities(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'vacunabot-bench-facilities-'));
  try {
    const random = seededRandom(7);
    const points = syntheticUnits(random);
    const csv = join(dir, 'clues_synthetic_202604.csv');
    writeFileSync(csv, syntheticCsv(points));
    const db = openDb(join(dir, 'bench.db'));

    const t0 = performance.now();
    const report = await importClues(db, csv, { institutions: 'all' });
    const importMs = performance.now() - t0;

    const finder = new DirectoryFinder(new FacilityStore(db), noPlaces, [
      { days: [1, 2, 3, 4, 5], open: 480, close: 1200 },
    ]);
    const queries = Array.from({ length: QUERIES }, () => ({
      lat: 15 + random() * 17,
      lon: -116 + random() * 28,
    }));
    const now = new Date('2025-01-15T16:00:00Z');
    for (let i = 0; i < 1000; i++)
      finder.nearest({ kind: 'point', point: queries[i % QUERIES] as { lat: number; lon: number } }, now);
    const latencies = new Float64Array(QUERIES);
    queries.forEach((point, i) => {
      const s = performance.now();
      finder.nearest({ kind: 'point', point }, now);
      latencies[i] = performance.now() - s;
    });
    latencies.sort();
    console.log(
      `facilities benchmark: ${UNITS.toLocaleString('en-US')} synthetic units, ${QUERIES.toLocaleString('en-US')} queries`,
    );
    console.log(
      `  import of a ${UNITS.toLocaleString('en-US')}-row CLUES CSV: ${(importMs / 1000).toFixed(2)} s (${report.imported} imported, ${report.skipped.length} skipped)`,
    );
    console.log(
      `  nearest 3 units (kd-tree + opening hours) p50: ${(percentile(latencies, 50) * 1000).toFixed(1)} µs`,
    );
    console.log(
      `  nearest 3 units (kd-tree + opening hours) p99: ${(percentile(latencies, 99) * 1000).toFixed(1)} µs`,
    );
    console.log(`  peak RSS (this process): ${(process.resourceUsage().maxRSS / 1024).toFixed(0)} MB`);
    db.close();

    const child = await importInChild(csv, join(dir, 'child.db')).result;
    const rssMb = child.maxRssKb / 1024;
    console.log(
      `  import in its own process (npm run import, node + tsx): ${(child.ms / 1000).toFixed(2)} s, importer peak RSS ${rssMb.toFixed(0)} MB (target ≤ ${IMPORT_RSS_TARGET_MB} MB: ${rssMb <= IMPORT_RSS_TARGET_MB ? 'met' : 'NOT met'})`,
    );
    await importWhileServing(dir, csv);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
