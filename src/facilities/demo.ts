import { join } from 'node:path';
import { z } from 'zod';
import { type Block, closeMinutes, toMinutes } from '../core/clock.js';
import { readJsonFile } from '../knowledge/read-data.js';
import type { FacilityRow } from './types.js';

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

/** The bundled demo units (data/demo/facilities.json), validated, as rows flagged demo. */
export function readDemoFacilities(dataDir: string): FacilityRow[] {
  const file = readJsonFile(join(dataDir, 'demo', 'facilities.json'), DemoFile);
  return file.units.map((u) => ({
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
    schedule:
      u.schedule?.map(
        (b): Block => ({ days: b.days, open: toMinutes(b.open), close: closeMinutes(b.close) }),
      ) ?? null,
    source: 'demo',
    demo: true,
  }));
}
