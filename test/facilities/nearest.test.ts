import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { NearestIndex } from '../../src/facilities/nearest.js';

/** Great-circle distance, written out independently of geokdbush, as the reference. */
function haversineKm(a: { lat: number; lon: number }, b: { lat: number; lon: number }): number {
  const rad = Math.PI / 180;
  const dLat = (b.lat - a.lat) * rad;
  const dLon = (b.lon - a.lon) * rad;
  const h = Math.sin(dLat / 2) ** 2 + Math.cos(a.lat * rad) * Math.cos(b.lat * rad) * Math.sin(dLon / 2) ** 2;
  return 2 * 6371 * Math.asin(Math.sqrt(h));
}

const mexicoPoint = fc.record({
  lat: fc.double({ min: 14.5, max: 32.7, noNaN: true }),
  lon: fc.double({ min: -118.4, max: -86.7, noNaN: true }),
});

describe('nearest units', () => {
  it('equal a brute-force haversine search, for random units and random points', () => {
    fc.assert(
      fc.property(fc.array(mexicoPoint, { minLength: 1, maxLength: 400 }), mexicoPoint, (units, query) => {
        const items = units.map((u, id) => ({ ...u, id }));
        const index = new NearestIndex(items);
        const got = index.nearest(query, 3);
        const expected = items
          .map((item) => ({ item, km: haversineKm(query, item) }))
          .sort((a, b) => a.km - b.km)
          .slice(0, 3);
        expect(got).toHaveLength(expected.length);
        got.forEach((g, i) => {
          // same distances (ties between equally distant units may come in either order)
          expect(g.km).toBeCloseTo(expected[i]?.km as number, 6);
        });
      }),
      { numRuns: 200 },
    );
  });

  it('returns nothing from an empty index, and every unit when there are fewer than k', () => {
    expect(new NearestIndex([]).nearest({ lat: 19, lon: -99 }, 3)).toEqual([]);
    const two = new NearestIndex([
      { lat: 19, lon: -99 },
      { lat: 19, lon: -99 }, // two units sharing one coordinate, as in the real catalogue
    ]);
    expect(two.nearest({ lat: 20, lon: -99 }, 3).map((h) => Math.round(h.km))).toEqual([111, 111]);
  });
});
