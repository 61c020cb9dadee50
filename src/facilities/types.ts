import type { Block } from '../core/clock.js';

/** One vaccination unit as stored (table facilities). */
export interface FacilityRow {
  clues: string;
  institution: string;
  name: string;
  kind: string | null;
  typology: string | null;
  street: string | null;
  number: string | null;
  colonia: string | null;
  postalCode: string | null;
  locality: string | null;
  municipality: string | null;
  state: string | null;
  phone: string | null;
  lat: number;
  lon: number;
  /** From the catalogue's HORARIOS sheet; null means "no schedule: campaign default applies". */
  schedule: Block[] | null;
  source: string;
  demo: boolean;
}

/** Every unit's coordinates, by position, and the key to read the unit back (`FacilityRows.byKey`). */
export interface UnitPoints {
  keys: Int32Array;
  lat: Float64Array;
  lon: Float64Array;
}

/**
 * What the finder reads from the facilities table: every unit's coordinates, a unit by its key when
 * answering, and a version that changes whenever they change (an import, possibly by another
 * process), so it rebuilds its index only then. Implemented by db/facilities.ts (FacilityStore).
 */
export interface FacilityRows {
  version(): number;
  points(): UnitPoints;
  byKey(key: number): FacilityRow | undefined;
  count(): { total: number; demo: number };
}
