import type { Statement } from 'better-sqlite3';
import type { Db } from '../db/open.js';
import type { Gazetteer } from './gazetteer.js';

export type PostalResolution =
  /** The code is in the imported SEPOMEX table: a point in its municipality. */
  | { kind: 'exact'; code: string; lat: number; lon: number; municipality: string; state: string }
  /** Only the state is known (from the first two digits): the point is its capital, so the bot says
   *  it is approximate and asks for a location pin or the municipality. */
  | { kind: 'approximate'; code: string; state: string; lat: number; lon: number }
  /** Not five digits, or a prefix no state uses ("00…"). */
  | { kind: 'unknown'; code: string };

interface Row {
  lat: number;
  lon: number;
  municipality: string;
  state: string;
}

// One prepared statement per database: preparing costs more than the lookup itself.
const lookups = new WeakMap<Db, Statement<[string], Row>>();

function lookup(db: Db): Statement<[string], Row> {
  let stmt = lookups.get(db);
  if (!stmt) {
    stmt = db.prepare<[string], Row>('SELECT lat, lon, municipality, state FROM postal_codes WHERE code = ?');
    lookups.set(db, stmt);
  }
  return stmt;
}

export function resolvePostalCode(db: Db, gazetteer: Gazetteer, code: string): PostalResolution {
  if (!/^\d{5}$/.test(code)) return { kind: 'unknown', code };
  const row = lookup(db).get(code);
  if (row) return { kind: 'exact', code, ...row };
  const state = gazetteer.states.byPostalCode(code);
  const capital = state && gazetteer.stateCapital(state.code);
  if (!state || !capital) return { kind: 'unknown', code };
  return { kind: 'approximate', code, state: state.name, lat: capital.lat, lon: capital.lon };
}
