import { join } from 'node:path';
import { z } from 'zod';
import { type Block, closeMinutes, toMinutes } from '../core/clock.js';
import type { Db } from '../db/open.js';
import { readJsonFile } from '../knowledge/read-data.js';
import { bumpFacilitiesVersion, FacilityStore } from './store.js';

const Time = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'a time as HH:MM (24-hour)');

const DemoFile = z
  .object({
    note: z.string(),
    units: z
      .array(
        z
          .object({
            clues: z
              .string()
              .regex(/^DEMO\d+$/, 'demo keys start with DEMO, so they can never collide with a real CLUES'),
            name: z.string().includes('demo', { message: 'a demo unit says "demo" in its name' }),
            municipality: z.string(),
            state: z.string(),
            lat: z.number().min(14).max(33),
            lon: z.number().min(-119).max(-86),
            schedule: z
              .array(
                z
                  .object({ days: z.array(z.number().int().min(1).max(7)).min(1), open: Time, close: Time })
                  .strict(),
              )
              .optional(),
          })
          .strict(),
      )
      .min(1),
  })
  .strict();

/**
 * Loads the bundled demo units into an empty facilities table, flagged demo = 1, so the bot
 * works out of the box; the bot says they are sample data, and an official import removes them.
 */
export function seedDemoFacilities(db: Db, dataDir: string): number {
  const store = new FacilityStore(db);
  if (store.count().total > 0) return 0;
  const file = readJsonFile(join(dataDir, 'demo', 'facilities.json'), DemoFile);
  db.transaction(() => {
    for (const u of file.units) {
      const schedule: Block[] | null =
        u.schedule?.map((b) => ({ days: b.days, open: toMinutes(b.open), close: closeMinutes(b.close) })) ??
        null;
      store.upsert({
        clues: u.clues,
        institution: 'DEMO',
        name: u.name,
        kind: null,
        typology: null,
        street: null,
        number: null,
        colonia: null,
        postalCode: null,
        locality: null,
        municipality: u.municipality,
        state: u.state,
        phone: null,
        lat: u.lat,
        lon: u.lon,
        schedule,
        source: 'demo',
        demo: true,
      });
    }
    bumpFacilitiesVersion(db);
  })();
  return file.units.length;
}
