/**
 * The small structure behind autocomplete: folded words in one sorted array, each with the ascending
 * ids it belongs to. A prefix is two binary searches; the ids under a prefix come out in ascending
 * order through a k-way merge, so "best first" is "smallest id first" and the walk stops early.
 */
import { siftDown } from './collections.js';

/** Folded words → ascending ids, answering "which ids have a word starting with …". */
export class PrefixIndex {
  readonly #words: string[];
  /** `#postings[#starts[w] … #starts[w + 1])` are the ids of word `w`, ascending. */
  readonly #starts: Int32Array;
  readonly #postings: Int32Array;

  private constructor(words: string[], starts: Int32Array, postings: Int32Array) {
    this.#words = words;
    this.#starts = starts;
    this.#postings = postings;
  }

  /** Builds the index from (word, id) pairs; ids need not be unique or ordered. */
  static build(entries: Iterable<readonly [word: string, id: number]>): PrefixIndex {
    const byWord = new Map<string, number[]>();
    for (const [word, id] of entries) {
      if (word === '') continue;
      const ids = byWord.get(word);
      if (ids === undefined) byWord.set(word, [id]);
      else ids.push(id);
    }
    const words = [...byWord.keys()].sort(compareCodeUnits);
    const starts = new Int32Array(words.length + 1);
    let total = 0;
    for (const [i, word] of words.entries()) {
      starts[i] = total;
      total += new Set(byWord.get(word)).size;
    }
    starts[words.length] = total;
    const postings = new Int32Array(total);
    for (const [i, word] of words.entries()) {
      const ids = [...new Set(byWord.get(word))].sort((a, b) => a - b);
      postings.set(ids, starts[i] ?? 0);
    }
    return new PrefixIndex(words, starts, postings);
  }

  /** Number of distinct words. */
  get wordCount(): number {
    return this.#words.length;
  }

  /** The range of words starting with `prefix`, as [first, end) word positions. */
  range(prefix: string): [number, number] {
    const first = lowerBound(this.#words, prefix);
    const end = lowerBound(this.#words, `${prefix}\uffff`, first);
    return [first, end];
  }

  /** How many (word, id) entries lie under a range: an upper bound on the ids it yields. */
  weight([first, end]: readonly [number, number]): number {
    return (this.#starts[end] ?? 0) - (this.#starts[first] ?? 0);
  }

  /** True when some word is exactly `word`. */
  has(word: string): boolean {
    const at = lowerBound(this.#words, word);
    return this.#words[at] === word;
  }

  /**
   * Visits, ascending, the ids that have a word starting with each of `prefixes`: walks the most
   * selective prefix's range and checks the others against `wordsOf(id)` (`' ' + words.join(' ')`).
   */
  walkMatching(
    prefixes: readonly string[],
    wordsOf: (id: number) => string,
    visit: (id: number) => boolean,
    budget = Number.POSITIVE_INFINITY,
  ): void {
    if (prefixes.length === 0) return;
    const ranges = prefixes.map((prefix) => this.range(prefix));
    let anchor = 0;
    for (let i = 1; i < ranges.length; i += 1) {
      if (this.weight(ranges[i] ?? [0, 0]) < this.weight(ranges[anchor] ?? [0, 0])) anchor = i;
    }
    const others = prefixes.filter((_, i) => i !== anchor).map((prefix) => ` ${prefix}`);
    this.walk(
      ranges[anchor] ?? [0, 0],
      (id) => {
        const words = wordsOf(id);
        return others.every((prefix) => words.includes(prefix)) ? visit(id) : true;
      },
      budget,
    );
  }

  /**
   * Visits each distinct id under a range once, ascending, until `visit` returns false
   * or `budget` ids were visited. Returns the number visited.
   */
  walk([first, end]: readonly [number, number], visit: (id: number) => boolean, budget = Number.POSITIVE_INFINITY): number {
    const cursors = new CursorHeap(this.#starts, this.#postings, first, end);
    let visited = 0;
    let previous = -1;
    while (visited < budget) {
      const id = cursors.pop();
      if (id < 0) break;
      if (id === previous) continue;
      previous = id;
      visited += 1;
      if (!visit(id)) break;
    }
    return visited;
  }
}

// A min-heap of cursors, one per word of a range, each at its word's next unread id.
class CursorHeap {
  readonly #postings: Int32Array;
  readonly #at: Int32Array;
  readonly #end: Int32Array;
  #size = 0;

  constructor(starts: Int32Array, postings: Int32Array, first: number, end: number) {
    this.#postings = postings;
    const count = Math.max(0, end - first);
    this.#at = new Int32Array(count);
    this.#end = new Int32Array(count);
    for (let word = first; word < end; word += 1) {
      const from = starts[word] ?? 0;
      const to = starts[word + 1] ?? 0;
      if (from >= to) continue;
      this.#at[this.#size] = from;
      this.#end[this.#size] = to;
      this.#size += 1;
    }
    for (let i = (this.#size >> 1) - 1; i >= 0; i -= 1) this.#siftDown(i);
  }

  // The smallest next id over all cursors, advancing that cursor; -1 when all are spent.
  pop(): number {
    if (this.#size === 0) return -1;
    const top = this.#at[0] ?? 0;
    const id = this.#postings[top] ?? -1;
    if (top + 1 < (this.#end[0] ?? 0)) {
      this.#at[0] = top + 1;
    } else {
      this.#size -= 1;
      this.#at[0] = this.#at[this.#size] ?? 0;
      this.#end[0] = this.#end[this.#size] ?? 0;
    }
    this.#siftDown(0);
    return id;
  }

  #key(i: number): number {
    return this.#postings[this.#at[i] ?? 0] ?? 0;
  }

  #siftDown(start: number): void {
    siftDown(start, this.#size, (i, j) => this.#key(i) < this.#key(j), (i, j) => this.#swap(i, j));
  }

  #swap(i: number, j: number): void {
    const at = this.#at[i] ?? 0;
    const end = this.#end[i] ?? 0;
    this.#at[i] = this.#at[j] ?? 0;
    this.#end[i] = this.#end[j] ?? 0;
    this.#at[j] = at;
    this.#end[j] = end;
  }
}

/** Orders strings by UTF-16 code units, the order `range` relies on. */
export function compareCodeUnits(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** The first position in `sorted` (from `from`) whose string is not below `key`. */
export function lowerBound(sorted: readonly string[], key: string, from = 0): number {
  let low = from;
  let high = sorted.length;
  while (low < high) {
    const mid = (low + high) >>> 1;
    if ((sorted[mid] ?? '') < key) low = mid + 1;
    else high = mid;
  }
  return low;
}
