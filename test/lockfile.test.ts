import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';

interface LockEntry {
  version?: string;
  optionalDependencies?: Record<string, string>;
}

const lock = JSON.parse(readFileSync(new URL('../package-lock.json', import.meta.url), 'utf8')) as {
  lockfileVersion: number;
  packages: Record<string, LockEntry>;
};

/** Where Node (and npm) would find `name` from the package at `path`: its own node_modules, then its ancestors'. */
function resolveEntry(path: string, name: string): LockEntry | undefined {
  let dir = path;
  for (;;) {
    const found = lock.packages[dir === '' ? `node_modules/${name}` : `${dir}/node_modules/${name}`];
    if (found) return found;
    if (dir === '') return undefined;
    const cut = dir.lastIndexOf('/node_modules/');
    dir = cut < 0 ? '' : dir.slice(0, cut);
  }
}

// README and CI install with `npm ci`, which never rewrites the lock but refuses one that lacks an optional
// platform package (npm can drop other platforms' Biome/esbuild binaries when it writes the lock over an
// existing node_modules): this catches such a lock before a newcomer on another platform does.
describe('package-lock.json', () => {
  it('is lockfileVersion 3', () => {
    expect(lock.lockfileVersion).toBe(3);
  });

  it('pins every optional (platform) dependency, for every platform', () => {
    const missing: string[] = [];
    for (const [path, entry] of Object.entries(lock.packages)) {
      for (const name of Object.keys(entry.optionalDependencies ?? {})) {
        if (!resolveEntry(path, name)) missing.push(`${path || '(root)'} → ${name}`);
      }
    }
    expect(missing).toEqual([]);
  });

  it('has every @biomejs/biome platform binary at the same version as biome', () => {
    const biome = lock.packages['node_modules/@biomejs/biome'];
    const platforms = Object.keys(biome?.optionalDependencies ?? {});
    expect(platforms.length).toBeGreaterThanOrEqual(8);
    for (const name of platforms) expect(lock.packages[`node_modules/${name}`]?.version).toBe(biome?.version);
  });
});
