import type { FacilityView, LatLon } from './messages.js';

export type Place = { kind: 'point'; point: LatLon } | { kind: 'postal-code'; code: string };

export interface NearestResult {
  facilities: FacilityView[];
}

/**
 * The facilities port: nearest vaccination units to a place. `undefined` means there is no unit
 * directory loaded, and the engine says so instead of inventing addresses.
 */
export interface FacilityFinder {
  nearest(place: Place, now: Date): NearestResult | undefined;
}

/** Used until a facility directory is plugged in. */
export const noFacilityDirectory: FacilityFinder = { nearest: () => undefined };
