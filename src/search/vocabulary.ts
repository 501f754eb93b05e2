/**
 * Every indexed term with the number of papers it occurs in, sorted, so the cost of a query term
 * (its papers, or all papers under a prefix) is known before MiniSearch is asked.
 */
import { compareCodeUnits, lowerBound } from './prefix.js';

/** Indexed terms and their document frequencies. */
export class Vocabulary {
  readonly #frequency: ReadonlyMap<string, number>;
  readonly #terms: string[];
  /** `#cumulative[i]` is the sum of the frequencies of `#terms[0 … i)`. */
  readonly #cumulative: Float64Array;

  constructor(frequency: ReadonlyMap<string, number>) {
    this.#frequency = frequency;
    this.#terms = [...frequency.keys()].sort(compareCodeUnits);
    this.#cumulative = new Float64Array(this.#terms.length + 1);
    for (const [i, term] of this.#terms.entries()) this.#cumulative[i + 1] = (this.#cumulative[i] ?? 0) + (frequency.get(term) ?? 0);
  }

  /** True when `term` is indexed exactly. */
  has(term: string): boolean {
    return this.#frequency.has(term);
  }

  /** The number of papers `term` occurs in; 0 when it is not indexed. */
  frequency(term: string): number {
    return this.#frequency.get(term) ?? 0;
  }

  /** Summed frequencies of every term starting with `prefix`: an upper bound on the papers it reaches. */
  prefixFrequency(prefix: string): number {
    const first = lowerBound(this.#terms, prefix);
    const end = lowerBound(this.#terms, `${prefix}\uffff`, first);
    return (this.#cumulative[end] ?? 0) - (this.#cumulative[first] ?? 0);
  }
}
