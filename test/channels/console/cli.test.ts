import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tempDir } from '../../harness.js';

let tmp: ReturnType<typeof tempDir>;
beforeAll(() => {
  tmp = tempDir();
});
afterAll(() => tmp.cleanup());

/** Runs `npm run chat -- --jsonl` as another tool would, feeding stdin and reading stdout. */
function chat(
  input: string,
  env: Record<string, string>,
): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    // A plain shell's environment: without the npm_* variables an outer `npm test --loglevel=…` exports.
    const clean = Object.fromEntries(Object.entries(process.env).filter(([k]) => !/^npm_/i.test(k)));
    const child = spawn('npm', ['run', 'chat', '--', '--jsonl'], {
      env: { ...clean, ...env },
      stdio: 'pipe',
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => {
      stdout += d;
    });
    child.stderr.on('data', (d) => {
      stderr += d;
    });
    const timer = setTimeout(() => child.kill('SIGKILL'), 25_000);
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
    child.stdin.end(input);
  });
}

describe('npm run chat -- --jsonl (the contract in DESIGN.md)', () => {
  it('writes exactly one JSON line per input, in order, logs only to stderr, and exits at end of input', async () => {
    const dbPath = `${tmp.dir}/var/cli.db`;
    const input = [
      '{"user":"u1","text":"hola"}',
      'this is not json',
      '{"user":"u1","text":"tengo 67 y soy diabetico"}',
      '{"user":"u2","location":{"lat":19.35,"lon":-99.16}}',
      '{"user":"u1","option":"hours","now":"2025-01-15T10:00:00-06:00"}',
      '{"user":"u2","start":"promo-7"}',
      '{"user":"u3","text":"my baby will not wake up"}',
    ].join('\n');
    const { code, stdout, stderr } = await chat(`${input}\n`, { DB_PATH: dbPath, LOG_LEVEL: 'info' });
    expect(code).toBe(0);
    const lines = stdout.split('\n').filter(Boolean);
    expect(lines).toHaveLength(7);
    const out = lines.map((l) => JSON.parse(l));
    expect(out.map((o) => o.intent ?? 'error')).toEqual([
      'greeting',
      'error',
      'eligibility',
      'facility',
      'hours',
      'greeting',
      'emergency',
    ]);
    expect(out[1]).toEqual({ error: 'invalid JSON' });
    expect(out[0]).toMatchObject({ user: 'u1', lang: 'es' });
    expect(out[4].replies[0].text).toMatch(/cierra a las 20:00/);
    expect(out[6]).toMatchObject({ user: 'u3', lang: 'en' });
    expect(out[6].replies[0].text).toMatch(/911/);
    // logs went to stderr, as JSON, and never carry the message text
    expect(stderr).toMatch(/HASH_SALT is not set/);
    expect(stderr).not.toMatch(/diabetico|will not wake/);
    expect(existsSync(dbPath)).toBe(true);
  });

  it('stops with one clear line when the configuration is wrong', async () => {
    const { code, stdout, stderr } = await chat('', { DEFAULT_LANG: 'fr', DB_PATH: `${tmp.dir}/x.db` });
    expect(code).toBe(1);
    expect(stdout).toBe('');
    expect(
      stderr
        .trim()
        .split('\n')
        .filter((l) => !l.includes('npm warn')),
    ).toEqual([expect.stringMatching(/^Configuration error: DEFAULT_LANG: .+/)]);
  });
});
