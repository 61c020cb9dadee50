import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';

const load = (lang: string) => JSON.parse(readFileSync(`locales/${lang}/translation.json`, 'utf8'));
const keys = (o: Record<string, unknown>, prefix = ''): string[] =>
  Object.entries(o).flatMap(([k, v]) =>
    v && typeof v === 'object' ? keys(v as Record<string, unknown>, `${prefix}${k}.`) : [`${prefix}${k}`],
  );
const vars = (s: string) => [...s.matchAll(/\{\{(\w+)/g)].map((m) => m[1]).sort();

describe('locales', () => {
  const es = load('es');
  const en = load('en');

  it('have the same keys in Spanish and English', () => {
    expect(keys(es).sort()).toEqual(keys(en).sort());
  });

  it('use the same interpolation variables in both languages', () => {
    for (const key of keys(es)) {
      const get = (o: any) => key.split('.').reduce((x, k) => x[k], o) as string;
      expect(vars(get(en)), key).toEqual(vars(get(es)));
    }
  });

  it('send emergencies to 911 first in both languages', () => {
    expect(es.emergency.text).toMatch(/^🚨 .{0,40}911/);
    expect(en.emergency.text).toMatch(/^🚨 .{0,40}911/);
  });
});
