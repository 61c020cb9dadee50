import type { LatLon } from './messages.js';

/** Where the person is: a pin, a postal code, or a place picked from the gazetteer. */
export type Place =
  | { kind: 'point'; point: LatLon }
  | { kind: 'postal-code'; code: string }
  | { kind: 'place'; id: number };

/** Opening hours of one unit, for today and right now (Mexico City time). */
export interface UnitHours {
  /** 'default' when the catalogue has no schedule and the campaign's standing hours apply. */
  from: 'catalogue' | 'default';
  /** Today's opening blocks in minutes since midnight (close 1440 = until midnight). Empty: closed today. */
  today: { open: number; close: number }[];
  open: boolean;
  closesAt?: number;
  opensAt?: { weekday: number; minutes: number; daysAhead: number };
}

export interface UnitView {
  id: string;
  name: string;
  address: string;
  lat: number;
  lon: number;
  distanceKm: number;
  phone: string | null;
  hours: UnitHours;
}

export type NearestResult =
  | {
      kind: 'found';
      units: UnitView[];
      /** Only the bundled demo units are loaded: the bot must say so. */
      demo: boolean;
      /** How the place was understood, for the reply's first line. */
      near:
        | { kind: 'point' }
        | { kind: 'postal-code'; code: string; approximate?: string }
        | { kind: 'place'; name: string };
    }
  | { kind: 'no-directory' }
  | { kind: 'unknown-postal-code'; code: string }
  | { kind: 'unknown-place' };

export type PlaceLookup =
  | { kind: 'found'; id: number; label: string }
  | { kind: 'ambiguous'; candidates: { id: number; label: string }[] }
  | { kind: 'none' };

/**
 * What the facilities finder needs to turn postal codes and place names into points (the places
 * module implements it over the gazetteer and the postal-code table).
 */
export interface PlaceResolver {
  postalCode(
    code: string,
  ):
    | { kind: 'exact'; point: LatLon }
    | { kind: 'approximate'; point: LatLon; state: string }
    | { kind: 'unknown' };
  find(text: string): PlaceLookup;
  byId(id: number): { point: LatLon; label: string } | undefined;
}

/** No gazetteer: postal codes and place names are not understood. */
export const noPlaces: PlaceResolver = {
  postalCode: () => ({ kind: 'unknown' }),
  find: () => ({ kind: 'none' }),
  byId: () => undefined,
};

/**
 * The facilities port: where the nearest vaccination units are. The core renders whatever this
 * returns and never invents an address.
 */
export interface FacilityFinder {
  nearest(place: Place, now: Date): NearestResult;
  /** A place name in a message ("estoy en Iztapalapa"). */
  findPlace(text: string): PlaceLookup;
}

/** Used until a facility directory is plugged in. */
export const noFacilityDirectory: FacilityFinder = {
  nearest: () => ({ kind: 'no-directory' }),
  findPlace: () => ({ kind: 'none' }),
};
