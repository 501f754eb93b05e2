/** A map that keeps at most `capacity` entries, dropping the least recently used: recent searches and suggestions. */
export class LruCache<K, V> {
  readonly #capacity: number;
  readonly #entries = new Map<K, V>();

  constructor(capacity: number) {
    this.#capacity = Math.max(0, Math.floor(capacity));
  }

  /** The value for `key`, made when there is none, now the most recently used; the least recently used goes when full. */
  remember(key: K, make: () => V): V {
    const value = this.#entries.get(key) ?? make();
    this.#entries.delete(key);
    if (this.#capacity === 0) return value;
    this.#entries.set(key, value);
    if (this.#entries.size > this.#capacity) this.#entries.delete(this.#entries.keys().next().value as K);
    return value;
  }
}
