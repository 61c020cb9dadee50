import type { Gazetteer } from './gazetteer.js';

export type PostalResolution =
  /** The code is in the imported SEPOMEX table: a point in its municipality. */
  | { kind: 'exact'; code: string; lat: number; lon: number; municipality: string; state: string }
  /** Only the state is known (from the first two digits): the point is its capital, so the bot says
   *  it is approximate and asks for a location pin or the municipality. */
  | { kind: 'approximate'; code: string; state: string; lat: number; lon: number }
  /** Not five digits, or a prefix no state uses ("00…"). */
  | { kind: 'unknown'; code: string };

/** One imported SEPOMEX code: the point of its municipality. */
export interface PostalCodeRow {
  lat: number;
  lon: number;
  municipality: string;
  state: string;
}

/** The imported postal-code table, read one code at a time (db/postal.ts on SQLite). */
export interface PostalCodes {
  get(code: string): PostalCodeRow | undefined;
}

export function resolvePostalCode(codes: PostalCodes, gazetteer: Gazetteer, code: string): PostalResolution {
  if (!/^\d{5}$/.test(code)) return { kind: 'unknown', code };
  const row = codes.get(code);
  if (row) return { kind: 'exact', code, ...row };
  const state = gazetteer.states.byPostalCode(code);
  const capital = state && gazetteer.stateCapital(state.code);
  if (!state || !capital) return { kind: 'unknown', code };
  return { kind: 'approximate', code, state: state.name, lat: capital.lat, lon: capital.lon };
}
