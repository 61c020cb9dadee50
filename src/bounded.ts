/**
 * Small in-memory structures with a hard size bound: a long-running bot must not grow with the
 * number of people who ever wrote to it. Both rely on Map/Set keeping insertion order.
 */

/** Remembers the last `max` keys; `add` tells whether a key is new. */
export class BoundedSet {
  private readonly keys = new Set<string>();
  constructor(private readonly max: number) {}

  /** Adds the key; false when it was already there (a duplicate). */
  add(key: string): boolean {
    if (this.keys.has(key)) return false;
    this.keys.add(key);
    if (this.keys.size > this.max) this.keys.delete(this.keys.values().next().value as string);
    return true;
  }

  has(key: string): boolean {
    return this.keys.has(key);
  }

  delete(key: string): boolean {
    return this.keys.delete(key);
  }

  get size(): number {
    return this.keys.size;
  }
}

/** A map that forgets its least recently used entry beyond `max`. */
export class LruMap<V> {
  private readonly entries = new Map<string, V>();
  constructor(private readonly max: number) {}

  get(key: string): V | undefined {
    const value = this.entries.get(key);
    if (value !== undefined) {
      // Re-inserting marks it most recently used.
      this.entries.delete(key);
      this.entries.set(key, value);
    }
    return value;
  }

  set(key: string, value: V): void {
    this.entries.delete(key);
    this.entries.set(key, value);
    if (this.entries.size > this.max) this.entries.delete(this.entries.keys().next().value as string);
  }

  delete(key: string): void {
    this.entries.delete(key);
  }
}
