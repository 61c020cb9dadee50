import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Db, openDb } from '../../src/db/open.js';
import { SqlitePostalCodes } from '../../src/db/postal.js';
import { Gazetteer } from '../../src/places/gazetteer.js';
import { importPostalCodes } from '../../src/places/import/sepomex.js';
import { resolvePostalCode } from '../../src/places/postal.js';
import { tempDir } from '../harness.js';

const FIXTURE = 'test/fixtures/sepomex/CPdescarga.txt';

let gazetteer: Gazetteer;
let db: Db;
let cleanup: () => void;

beforeAll(() => {
  gazetteer = Gazetteer.load();
  const t = tempDir();
  cleanup = t.cleanup;
  db = openDb(join(t.dir, 'bot.db'));
});
afterAll(() => {
  db.close();
  cleanup();
});

const resolve = (code: string) => resolvePostalCode(new SqlitePostalCodes(db), gazetteer, code);

describe('a postal code before any import', () => {
  it('is approximate: the state from its first two digits, the point of its capital', () => {
    const oaxaca = gazetteer.stateCapital('20');
    expect(resolve('68000')).toEqual({
      kind: 'approximate',
      code: '68000',
      state: 'Oaxaca',
      lat: oaxaca?.lat,
      lon: oaxaca?.lon,
    });
    expect(resolve('06700')).toMatchObject({ kind: 'approximate', state: 'Ciudad de México' });
  });

  it.each(['00000', '17010', '6800', '680000', 'abcde', ''])('is unknown for %j', (code) => {
    expect(resolve(code)).toEqual({ kind: 'unknown', code });
  });
});

describe('a postal code after importing SEPOMEX', () => {
  beforeAll(async () => {
    await importPostalCodes(db, FIXTURE);
  });

  it('is exact, with the municipality and state SEPOMEX gives', () => {
    const r = resolve('06700');
    expect(r).toMatchObject({
      kind: 'exact',
      code: '06700',
      municipality: 'Cuauhtémoc',
      state: 'Ciudad de México',
    });
    if (r.kind !== 'exact') return;
    expect(r.lat).toBeCloseTo(19.44, 1);
    expect(r.lon).toBeCloseTo(-99.15, 1);
  });

  it('keeps the leading zero', () => {
    expect(resolve('01000')).toMatchObject({ kind: 'exact', municipality: 'Álvaro Obregón' });
  });

  it('stays approximate for a code the catalogue has no point for', () => {
    expect(resolve('29600')).toMatchObject({ kind: 'approximate', state: 'Chiapas' });
  });
});
