import { LruMap } from '../bounded.js';
import { type Block, mexicoCityClock, openState } from '../core/clock.js';
import type {
  FacilityFinder,
  NearestResult,
  Place,
  PlaceLookup,
  PlaceResolver,
  UnitHours,
  UnitView,
} from '../core/ports.js';
import { type Point, PointIndex } from './nearest.js';
import type { FacilityRow, FacilityRows } from './types.js';

/** Units kept parsed (a few hundred kB), so the towns people ask about are not read again. */
const UNITS_KEPT = 2_000;
/** How many units a reply lists. */
const RESULTS = 3;
/** How often, at most, we look for an import made by another process. */
const RELOAD_CHECK_MS = 10_000;

export function formatAddress(r: FacilityRow): string {
  const street = [r.street, r.number].filter(Boolean).join(' ');
  const colonia = r.colonia ? `Col. ${r.colonia}` : null;
  const cp = r.postalCode ? `C.P. ${r.postalCode}` : null;
  return [street, colonia, cp, r.municipality, r.state].filter(Boolean).join(', ');
}

/**
 * The facilities port on top of the facilities table (FacilityRows): a kd-tree over the units, opening hours from the
 * catalogue or the campaign default, and place resolution for postal codes and names.
 */
export class DirectoryFinder implements FacilityFinder {
  private index = new PointIndex(new Float64Array(0), new Float64Array(0));
  /** The rowid of the unit at each position of the index. */
  private keys: Int32Array = new Int32Array(0);
  /**
   * Units read lately, by position in the index, emptied with it when the catalogue's version
   * changes (checked every RELOAD_CHECK_MS, as the index is). People ask near the same towns, and
   * reading and parsing a row costs ~5 µs: without this the engine bench lost 13% (measured);
   * asking the version at every query instead cost 2% of its profile.
   */
  private units = new LruMap<FacilityRow>(UNITS_KEPT);
  private demoOnly = false;
  private version = -1;
  private checkedAt = 0;

  constructor(
    private readonly rows: FacilityRows,
    private readonly places: PlaceResolver,
    /** The campaign's standing hours, for units without a schedule in the catalogue. */
    private readonly defaultHours: Block[],
  ) {
    this.reload();
  }

  /** Rebuilds the index if the facilities changed since it was built (checked at most every 10 s). */
  private reload(now = Date.now(), force = false): void {
    if (!force && now - this.checkedAt < RELOAD_CHECK_MS && this.version >= 0) return;
    this.checkedAt = now;
    const version = this.rows.version();
    if (version === this.version && !force) return;
    const { keys, lat, lon } = this.rows.points();
    this.index = new PointIndex(lat, lon);
    this.keys = keys;
    this.units = new LruMap<FacilityRow>(UNITS_KEPT);
    const { total, demo } = this.rows.count();
    this.demoOnly = total > 0 && demo === total;
    this.version = version;
  }

  /**
   * The units at these positions of the index, read from the table. A unit gone or moved since the
   * index was built (an import by another process, within RELOAD_CHECK_MS) means the index is stale:
   * undefined, and the caller rebuilds it.
   */
  private unitsAt(found: { at: number; km: number }[]): { item: FacilityRow; km: number }[] | undefined {
    const units: { item: FacilityRow; km: number }[] = [];
    for (const { at, km } of found) {
      const item = this.units.get(String(at)) ?? this.rows.byKey(this.keys[at] as number);
      if (!item || item.lat !== this.index.lat[at] || item.lon !== this.index.lon[at]) return undefined;
      this.units.set(String(at), item);
      units.push({ item, km });
    }
    return units;
  }

  findPlace(text: string): PlaceLookup {
    return this.places.find(text);
  }

  nearest(place: Place, now: Date): NearestResult {
    this.reload();
    if (!this.index.size) return { kind: 'no-directory' };
    let point: Point;
    let near: Extract<NearestResult, { kind: 'found' }>['near'];
    if (place.kind === 'point') {
      point = { lat: place.point.lat, lon: place.point.lon };
      near = { kind: 'point' };
    } else if (place.kind === 'postal-code') {
      const found = this.places.postalCode(place.code);
      if (found.kind === 'unknown') return { kind: 'unknown-postal-code', code: place.code };
      point = found.point;
      near = {
        kind: 'postal-code',
        code: place.code,
        ...(found.kind === 'approximate' ? { approximate: found.state } : {}),
      };
    } else {
      const found = this.places.byId(place.id);
      if (!found) return { kind: 'unknown-place' };
      point = found.point;
      near = { kind: 'place', name: found.label };
    }
    const clock = mexicoCityClock(now);
    let found = this.unitsAt(this.index.nearest(point, RESULTS));
    if (!found) {
      this.reload(Date.now(), true);
      found = this.unitsAt(this.index.nearest(point, RESULTS)) ?? [];
    }
    const units = found.map(({ item, km }): UnitView => {
      const blocks = item.schedule ?? this.defaultHours;
      const state = openState(blocks, clock);
      const hours: UnitHours = {
        from: item.schedule ? 'catalogue' : 'default',
        today: blocks
          .filter((b) => b.days.includes(clock.weekday))
          .map((b) => ({ open: b.open, close: b.close })),
        open: state.open,
        ...(state.open ? { closesAt: state.closesAt } : state.opensAt ? { opensAt: state.opensAt } : {}),
      };
      return {
        id: item.clues,
        name: item.name,
        address: formatAddress(item),
        lat: item.lat,
        lon: item.lon,
        distanceKm: km,
        phone: item.phone,
        hours,
      };
    });
    return { kind: 'found', units, demo: this.demoOnly, near };
  }
}
