import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { NearestResult, UnitView } from '../../src/core/ports.js';
import { noPlaces } from '../../src/core/ports.js';
import { bumpFacilitiesVersion, FacilityStore, seedDemoFacilities } from '../../src/db/facilities.js';
import { type Db, openDb } from '../../src/db/open.js';
import { DirectoryFinder } from '../../src/facilities/finder.js';
import type { FacilityRow } from '../../src/facilities/types.js';
import { tempDir } from '../harness.js';

const WEEKDAYS_8_20 = [{ days: [1, 2, 3, 4, 5], open: 480, close: 1200 }];

let tmp: ReturnType<typeof tempDir>;
let db: Db;
beforeEach(() => {
  tmp = tempDir();
  db = openDb(`${tmp.dir}/bot.db`);
});
afterEach(() => {
  db.close();
  tmp.cleanup();
});

const unit = (over: Partial<FacilityRow>): FacilityRow => ({
  clues: 'DFIMS000001',
  institution: 'IMS',
  name: 'UNIDAD DE MEDICINA FAMILIAR NO. 1',
  kind: 'DE CONSULTA EXTERNA',
  typology: 'UNIDAD DE MEDICINA FAMILIAR',
  street: 'AV. CUAUHTEMOC',
  number: '330',
  colonia: 'DOCTORES',
  postalCode: '06720',
  locality: 'CUAUHTEMOC',
  municipality: 'CUAUHTEMOC',
  state: 'CIUDAD DE MEXICO',
  phone: '5555555555',
  lat: 19.41,
  lon: -99.15,
  schedule: null,
  source: 'test',
  demo: false,
  ...over,
});

function load(rows: FacilityRow[]) {
  const store = new FacilityStore(db);
  db.transaction(() => {
    for (const r of rows) store.upsert(r);
    bumpFacilitiesVersion(db);
  })();
  return new DirectoryFinder(new FacilityStore(db), noPlaces, WEEKDAYS_8_20);
}
const found = (r: NearestResult) => {
  if (r.kind !== 'found') throw new Error(`expected units, got ${r.kind}`);
  return r;
};
const hoursAt = (finder: DirectoryFinder, iso: string): UnitView['hours'] =>
  found(finder.nearest({ kind: 'point', point: { lat: 19.41, lon: -99.15 } }, new Date(iso))).units[0]
    ?.hours as UnitView['hours'];

describe('directory finder', () => {
  it('says there is no directory when the table is empty', () => {
    expect(
      new DirectoryFinder(new FacilityStore(db), noPlaces, WEEKDAYS_8_20).nearest(
        { kind: 'point', point: { lat: 19, lon: -99 } },
        new Date(),
      ).kind,
    ).toBe('no-directory');
  });

  it('serves the demo set, flagged as demo, with the campaign default hours where no schedule is given', () => {
    expect(seedDemoFacilities(db, 'data')).toBeGreaterThan(5);
    expect(seedDemoFacilities(db, 'data')).toBe(0); // only into an empty table
    const finder = new DirectoryFinder(new FacilityStore(db), noPlaces, WEEKDAYS_8_20);
    const r = found(
      finder.nearest(
        { kind: 'point', point: { lat: 25.69, lon: -100.32 } },
        new Date('2025-01-15T16:00:00Z'),
      ),
    );
    expect(r.demo).toBe(true);
    expect(r.units).toHaveLength(3);
    expect(r.units[0]?.name).toMatch(/demo, MTY/);
    expect(r.units[0]?.distanceKm).toBeLessThan(1);
    expect(r.units.every((u, i) => i === 0 || u.distanceKm >= (r.units[i - 1]?.distanceKm ?? 0))).toBe(true);
  });

  it('is not demo once real units are loaded, and gives address and phone', () => {
    seedDemoFacilities(db, 'data');
    new FacilityStore(db).removeDemo();
    const r = found(
      load([unit({})]).nearest({ kind: 'point', point: { lat: 19.4, lon: -99.15 } }, new Date()),
    );
    expect(r.demo).toBe(false);
    expect(r.units).toHaveLength(1);
    expect(r.units[0]).toMatchObject({
      id: 'DFIMS000001',
      address: 'AV. CUAUHTEMOC 330, Col. DOCTORES, C.P. 06720, CUAUHTEMOC, CIUDAD DE MEXICO',
      phone: '5555555555',
    });
  });

  it.each([
    [
      'Wednesday 7:59',
      '2025-01-15T07:59:00-06:00',
      false,
      { opensAt: { weekday: 3, minutes: 480, daysAhead: 0 } },
    ],
    ['Wednesday 8:00', '2025-01-15T08:00:00-06:00', true, { closesAt: 1200 }],
    ['Wednesday 19:59', '2025-01-15T19:59:00-06:00', true, { closesAt: 1200 }],
    ['Wednesday 20:00', '2025-01-15T20:00:00-06:00', false, { opensAt: { weekday: 4, daysAhead: 1 } }],
    ['Saturday 10:00', '2025-01-18T10:00:00-06:00', false, { opensAt: { weekday: 1, daysAhead: 2 } }],
  ])('campaign default hours at %s: open=%s', (_, iso, open, extra) => {
    const h = hoursAt(load([unit({})]), iso);
    expect(h).toMatchObject({ from: 'default', open, ...extra });
  });

  it('uses the catalogue schedule: a 24-hour unit is open on Sunday at 3:00, a weekend unit on Saturday', () => {
    const allDay = load([unit({ schedule: [{ days: [1, 2, 3, 4, 5, 6, 7], open: 0, close: 1440 }] })]);
    expect(hoursAt(allDay, '2025-01-19T03:00:00-06:00')).toMatchObject({
      from: 'catalogue',
      open: true,
      closesAt: 1440,
    });
    const weekend = load([
      unit({ clues: 'DFIMS000001', schedule: [{ days: [6, 7], open: 540, close: 840 }] }),
    ]);
    expect(hoursAt(weekend, '2025-01-18T10:00:00-06:00')).toMatchObject({
      open: true,
      closesAt: 840,
      today: [{ open: 540, close: 840 }],
    });
    expect(hoursAt(weekend, '2025-01-15T10:00:00-06:00')).toMatchObject({
      open: false,
      today: [],
      opensAt: { weekday: 6, daysAhead: 3 },
    });
  });

  it('says when a postal code or place cannot be resolved', () => {
    const finder = load([unit({})]);
    expect(finder.nearest({ kind: 'postal-code', code: '06720' }, new Date())).toEqual({
      kind: 'unknown-postal-code',
      code: '06720',
    });
    expect(finder.nearest({ kind: 'place', id: 42 }, new Date())).toEqual({ kind: 'unknown-place' });
  });

  it('reads the units it answers with from the table: a replaced catalogue is seen at the version check, or at once for units not read yet', () => {
    const replace = () => {
      const store = new FacilityStore(db);
      db.transaction(() => {
        store.remove('DFIMS000001');
        store.remove('DFIMS000002');
        store.upsert(unit({ clues: 'DFIMS000003', name: 'UMF 3', lat: 19.42, lon: -99.16 }));
        bumpFacilitiesVersion(db);
      })();
    };
    const units = [unit({}), unit({ clues: 'DFIMS000002', name: 'UMF 2', lat: 19.5, lon: -99.2 })];
    const at = { kind: 'point', point: { lat: 19.41, lon: -99.15 } } as const;
    const ids = (finder: ReturnType<typeof load>) =>
      found(finder.nearest(at, new Date())).units.map((u) => u.id);
    vi.useFakeTimers({ toFake: ['Date'] });
    try {
      // Units already answered with are kept until the version check (every 10 s), as the index is.
      const asked = load(units);
      expect(ids(asked)).toEqual(['DFIMS000001', 'DFIMS000002']);
      replace();
      expect(ids(asked)).toEqual(['DFIMS000001', 'DFIMS000002']);
      vi.setSystemTime(Date.now() + 10_001);
      expect(ids(asked)).toEqual(['DFIMS000003']);
      // Units not read yet: the rowids the index knows now name other units or none, so it is
      // rebuilt at once, well within the 10 s between version checks.
      const fresh = load(units);
      replace();
      expect(ids(fresh)).toEqual(['DFIMS000003']);
    } finally {
      vi.useRealTimers();
    }
  });
});
