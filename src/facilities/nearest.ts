import { around, distance } from 'geokdbush';
import KDBush from 'kdbush';

export interface Point {
  lat: number;
  lon: number;
}

/**
 * A static spatial index (kd-tree) over the units' coordinates, rebuilt when the catalogue
 * changes. Nearest-k queries use geokdbush's great-circle search, so they are exact on the sphere.
 */
export class NearestIndex<T extends Point> {
  private readonly index: KDBush | undefined;

  constructor(readonly items: readonly T[]) {
    if (!items.length) return;
    this.index = new KDBush(items.length);
    for (const item of items) this.index.add(item.lon, item.lat);
    this.index.finish();
  }

  /** The k nearest items with their distance in km, nearest first. */
  nearest(point: Point, k: number): { item: T; km: number }[] {
    if (!this.index) return [];
    return around(this.index, point.lon, point.lat, k).map((i) => {
      const item = this.items[i] as T;
      return { item, km: distance(point.lon, point.lat, item.lon, item.lat) };
    });
  }
}
