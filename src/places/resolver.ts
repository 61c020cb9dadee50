import type { PlaceResolver } from '../core/ports.js';
import type { Gazetteer, PlaceHit } from './gazetteer.js';
import { type PostalCodes, type PostalResolution, resolvePostalCode } from './postal.js';

const label = (p: PlaceHit) => `${p.name}, ${p.state}`;

/** Postal code answers kept this long: a new SEPOMEX import shows within a minute. */
const POSTAL_TTL_MS = 60_000;

/** The facilities finder's view of places: postal codes (SEPOMEX table or state fallback) and GeoNames names. */
export function placeResolver(gazetteer: Gazetteer, codes: PostalCodes): PlaceResolver {
  const postal = new Map<string, { at: number; result: PostalResolution }>();
  const lookup = (code: string): PostalResolution => {
    const now = Date.now();
    const hit = postal.get(code);
    if (hit && now - hit.at < POSTAL_TTL_MS) return hit.result;
    const result = resolvePostalCode(codes, gazetteer, code);
    if (postal.size > 50_000) postal.clear();
    postal.set(code, { at: now, result });
    return result;
  };
  return {
    postalCode(code) {
      const r = lookup(code);
      if (r.kind === 'exact') return { kind: 'exact', point: { lat: r.lat, lon: r.lon } };
      if (r.kind === 'approximate')
        return { kind: 'approximate', point: { lat: r.lat, lon: r.lon }, state: r.state };
      return { kind: 'unknown' };
    },
    find(text) {
      const r = gazetteer.resolve(text);
      if (r.kind === 'found') return { kind: 'found', id: r.place.id, label: label(r.place) };
      if (r.kind === 'ambiguous')
        return { kind: 'ambiguous', candidates: r.candidates.map((c) => ({ id: c.id, label: label(c) })) };
      return { kind: 'none' };
    },
    byId(id) {
      const p = gazetteer.byId(id);
      return p && { point: { lat: p.lat, lon: p.lon }, label: label(p) };
    },
  };
}
