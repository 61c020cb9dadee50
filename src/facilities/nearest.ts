import { around, distance } from 'geokdbush';
import KDBush from 'kdbush';

export interface Point {
  lat: number;
  lon: number;
}

/**
 * A static spatial index (kd-tree) over coordinates alone, rebuilt when the catalogue changes.
 * Nearest-k queries use geokdbush's great-circle search, so they are exact on the sphere. It
 * answers with positions in the arrays it was given: a national catalogue is held as a few typed
 * arrays (~1.5 MB for 64,000 units) instead of one object per unit (~1.6 KB each).
 */
export class PointIndex {
  private readonly index: KDBush | undefined;

  constructor(
    readonly lat: Float64Array,
    readonly lon: Float64Array,
  ) {
    if (!lat.length) return;
    this.index = new KDBush(lat.length);
    for (let i = 0; i < lat.length; i++) this.index.add(lon[i] as number, lat[i] as number);
    this.index.finish();
  }

  get size(): number {
    return this.lat.length;
  }

  /** The positions of the k nearest points with their distance in km, nearest first. */
  nearest(point: Point, k: number): { at: number; km: number }[] {
    if (!this.index) return [];
    return around(this.index, point.lon, point.lat, k).map((at) => ({
      at,
      km: distance(point.lon, point.lat, this.lon[at] as number, this.lat[at] as number),
    }));
  }
}

/** The same index over objects that carry their coordinates. */
export class NearestIndex<T extends Point> {
  private readonly points: PointIndex;

  constructor(readonly items: readonly T[]) {
    this.points = new PointIndex(
      Float64Array.from(items, (i) => i.lat),
      Float64Array.from(items, (i) => i.lon),
    );
  }

  /** The k nearest items with their distance in km, nearest first. */
  nearest(point: Point, k: number): { item: T; km: number }[] {
    return this.points.nearest(point, k).map(({ at, km }) => ({ item: this.items[at] as T, km }));
  }
}
