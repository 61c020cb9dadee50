import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { DataError } from '../../src/errors.js';
import { normalizePlace, STATES_FILE, States } from '../../src/places/states.js';
import { tempDir } from '../harness.js';

describe('the state table', () => {
  const states = States.load();

  it('has the 32 states with INEGI codes 01 to 32 and a source', () => {
    expect(states.all.map((s) => s.code)).toEqual(
      Array.from({ length: 32 }, (_, i) => String(i + 1).padStart(2, '0')),
    );
    expect(states.source).toBe('INEGI Marco Geoestadístico state codes; SEPOMEX postal code ranges');
  });

  it.each([
    ['06700', '09'],
    ['01000', '09'],
    ['16000', '09'],
    ['20000', '01'],
    ['23000', '03'],
    ['31000', '08'],
    ['57000', '15'],
    ['68000', '20'],
    ['77500', '23'],
    ['97000', '31'],
    ['99000', '32'],
  ])('places postal code %s in state %s', (code, state) => {
    expect(states.byPostalCode(code)?.code).toBe(state);
  });

  it.each(['00000', '17000', '18000', '19000', '6800', 'abcde'])('has no state for %s', (code) => {
    expect(states.byPostalCode(code)).toBeUndefined();
  });

  it('maps the four GeoNames admin1 codes that differ from INEGI ones', () => {
    expect(states.byGeonamesAdmin1('05')?.name).toBe('Chiapas');
    expect(states.byGeonamesAdmin1('06')?.name).toBe('Chihuahua');
    expect(states.byGeonamesAdmin1('07')?.name).toBe('Coahuila de Zaragoza');
    expect(states.byGeonamesAdmin1('08')?.name).toBe('Colima');
    expect(states.byGeonamesAdmin1('09')?.code).toBe('09');
  });

  it('normalises place text like the rest of the bot', () => {
    expect(normalizePlace('  Juchitán   de Zaragoza, OAX. ')).toBe('juchitan de zaragoza oax');
    expect(normalizePlace('Xalapa-Enríquez')).toBe('xalapa enriquez');
  });
});

describe('a broken state table', () => {
  let cleanup = () => {};
  afterEach(() => cleanup());

  function write(mutate: (file: { states: Record<string, unknown>[] }) => void): string {
    const t = tempDir();
    cleanup = t.cleanup;
    const data = JSON.parse(readFileSync(STATES_FILE, 'utf8'));
    mutate(data);
    const file = join(t.dir, 'states.json');
    writeFileSync(file, JSON.stringify(data));
    return file;
  }

  it('names the file, the place and the problem of a postal prefix used twice', () => {
    const file = write((d) => {
      (d.states[1] as { postalPrefixes: string[] }).postalPrefixes.push('20');
    });
    expect(() => States.load(file)).toThrowError(DataError);
    expect(() => States.load(file)).toThrowError(
      `${file} at states[1].postalPrefixes[2]: postal prefix "20"`,
    );
  });

  it('reports an alias that two states claim once normalised', () => {
    const file = write((d) => {
      (d.states[19] as { aliases: string[] }).aliases.push('NUEVO LEÓN');
    });
    expect(() => States.load(file)).toThrowError(/states\[19\]\.aliases\[\d\]: alias "nuevo leon"/);
  });

  it('reports a missing field', () => {
    const file = write((d) => {
      delete d.states[3]?.capital;
    });
    expect(() => States.load(file)).toThrowError(/states\[3\]\.capital/);
  });
});
