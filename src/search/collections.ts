/** Two small containers the index needs: a least-recently-used cache and a top-k selection. */

/** A map that keeps at most `capacity` entries, dropping the least recently used. */
export class LruCache<K, V> {
  readonly #capacity: number;
  readonly #entries = new Map<K, V>();

  constructor(capacity: number) {
    this.#capacity = Math.max(0, Math.floor(capacity));
  }

  /** The value for `key`, marking it as recently used. */
  get(key: K): V | undefined {
    const value = this.#entries.get(key);
    if (value === undefined) return undefined;
    this.#entries.delete(key);
    this.#entries.set(key, value);
    return value;
  }

  /** Stores `value`, dropping the least recently used entry when full. */
  set(key: K, value: V): void {
    if (this.#capacity === 0) return;
    this.#entries.delete(key);
    this.#entries.set(key, value);
    if (this.#entries.size > this.#capacity) {
      const oldest = this.#entries.keys().next();
      if (oldest.done !== true) this.#entries.delete(oldest.value);
    }
  }

  /** Number of entries held. */
  get size(): number {
    return this.#entries.size;
  }
}

/**
 * The `k` best of a stream of (id, score) pairs without sorting the stream: a min-heap of the best so
 * far. Higher score is better; equal scores go to the smaller id (the newer paper).
 */
export class TopK {
  readonly #k: number;
  readonly #ids: Int32Array;
  readonly #scores: Float64Array;
  #size = 0;

  constructor(k: number) {
    this.#k = Math.max(0, Math.floor(k));
    this.#ids = new Int32Array(this.#k);
    this.#scores = new Float64Array(this.#k);
  }

  /** Offers one candidate. */
  push(id: number, score: number): void {
    if (this.#k === 0) return;
    if (this.#size < this.#k) {
      let i = this.#size;
      this.#size += 1;
      this.#ids[i] = id;
      this.#scores[i] = score;
      while (i > 0) {
        const parent = (i - 1) >> 1;
        if (!this.#worse(i, parent)) break;
        this.#swap(i, parent);
        i = parent;
      }
      return;
    }
    const worstScore = this.#scores[0] ?? 0;
    const worstId = this.#ids[0] ?? 0;
    if (score < worstScore || (score === worstScore && id > worstId)) return;
    this.#ids[0] = id;
    this.#scores[0] = score;
    this.#siftDown(0);
  }

  /** The kept ids, best first. */
  sorted(): number[] {
    const order = Array.from({ length: this.#size }, (_, i) => i);
    order.sort((a, b) => (this.#scores[b] ?? 0) - (this.#scores[a] ?? 0) || (this.#ids[a] ?? 0) - (this.#ids[b] ?? 0));
    return order.map((i) => this.#ids[i] ?? 0);
  }

  // Entry i ranks below entry j.
  #worse(i: number, j: number): boolean {
    const a = this.#scores[i] ?? 0;
    const b = this.#scores[j] ?? 0;
    return a < b || (a === b && (this.#ids[i] ?? 0) > (this.#ids[j] ?? 0));
  }

  #swap(i: number, j: number): void {
    const id = this.#ids[i] ?? 0;
    const score = this.#scores[i] ?? 0;
    this.#ids[i] = this.#ids[j] ?? 0;
    this.#scores[i] = this.#scores[j] ?? 0;
    this.#ids[j] = id;
    this.#scores[j] = score;
  }

  #siftDown(start: number): void {
    siftDown(start, this.#size, (i, j) => this.#worse(i, j), (i, j) => this.#swap(i, j));
  }
}

/**
 * Moves entry `start` of an array-backed binary heap of `size` entries down to its place:
 * `before(i, j)` is true when entry i belongs above entry j; `swap` exchanges two entries.
 */
export function siftDown(start: number, size: number, before: (i: number, j: number) => boolean, swap: (i: number, j: number) => void): void {
  let i = start;
  for (;;) {
    const left = 2 * i + 1;
    if (left >= size) return;
    const right = left + 1;
    const child = right < size && before(right, left) ? right : left;
    if (!before(child, i)) return;
    swap(i, child);
    i = child;
  }
}
