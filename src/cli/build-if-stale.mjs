// Compiles src/ to dist/ (`npm run build`) when dist/ is missing or older than a source file, on import
// (src/cli/start.mjs) or run alone (the tests that start the bot through npm, before their clock starts).
// Plain JavaScript, so that it needs neither tsx nor a build of its own.
import { spawnSync } from 'node:child_process';
import { readdirSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The project's folder (data/ and locales/ are still read from the working directory, as always). */
const ROOT = fileURLToPath(new URL('../..', import.meta.url));
/** What the build reads: a change to any of them makes dist/ stale. */
const INPUTS = ['src', 'tsconfig.json', 'tsconfig.build.json', 'package.json'].map((p) => join(ROOT, p));
const ENTRY = join(ROOT, 'dist', 'main.js');

/** The newest modification time under `path` (a file or a folder, walked whole). */
function newest(path) {
  const stat = statSync(path);
  if (!stat.isDirectory()) return stat.mtimeMs;
  let max = 0;
  for (const entry of readdirSync(path)) max = Math.max(max, newest(join(path, entry)));
  return max;
}

function builtAt() {
  try {
    return statSync(ENTRY).mtimeMs;
  } catch {
    return -1;
  }
}

const built = builtAt();
if (built < Math.max(...INPUTS.map(newest))) {
  // stderr only: in `--jsonl` mode stdout carries nothing but answers.
  console.error(built < 0 ? 'Building dist/ (first start)…' : 'Building dist/ (sources changed)…');
  let tsc;
  try {
    tsc = createRequire(import.meta.url).resolve('typescript/bin/tsc');
  } catch {
    console.error(
      'dist/ is missing or stale and TypeScript is not installed: run `npm install`, then `npm run build`.',
    );
    process.exit(1);
  }
  const result = spawnSync(process.execPath, [tsc, '-p', 'tsconfig.build.json'], {
    cwd: ROOT,
    stdio: ['ignore', process.stderr, process.stderr],
  });
  if (result.status !== 0) {
    console.error('The build failed (see above): fix it, or run the sources with `npm run chat`.');
    process.exit(1);
  }
}
