import { readFileSync } from 'node:fs';

/**
 * The node arguments of a package.json script (`node <args>`), so a bench runs what `npm start`,
 * `npm run chat` or `npm run import` run, V8 flags included, without npm's own process in between.
 */
export function scriptArgs(name: string): string[] {
  const scripts = (JSON.parse(readFileSync('package.json', 'utf8')) as { scripts: Record<string, string> })
    .scripts;
  const [node, ...args] = (scripts[name] ?? '').split(/\s+/);
  if (node !== 'node' || !args.length) throw new Error(`unexpected "${name}" script: ${scripts[name]}`);
  return args;
}
