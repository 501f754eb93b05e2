/**
 * Every indexed term with the number of papers it occurs in, sorted, so the cost of a query term
 * (its papers, or all papers under a prefix) is known before MiniSearch is asked; and the word forms of
 * each term (`stem`), from the fields that are stemmed.
 */
import { compareCodeUnits, lowerBound } from './prefix.js';
import { stem } from './stem.js';

/** Indexed terms and their document frequencies. */
export class Vocabulary {
  readonly #frequency: ReadonlyMap<string, number>;
  readonly #terms: string[];
  /** `#cumulative[i]` is the sum of the frequencies of `#terms[0 … i)`. */
  readonly #cumulative: Float64Array;
  /** Stem → the stemmed fields' terms with that stem, only where a term differs from its stem or shares it. */
  readonly #forms: Map<string, string[]>;

  /** `frequency`: every indexed term; `stemmed`: the terms of the fields whose words are matched by their stem. */
  constructor(frequency: ReadonlyMap<string, number>, stemmed: Iterable<string> = []) {
    this.#frequency = frequency;
    this.#forms = new Map();
    for (const term of stemmed) {
      const root = stem(term);
      const forms = this.#forms.get(root);
      if (forms === undefined) this.#forms.set(root, [term]);
      else forms.push(term);
    }
    // A term alone under a stem equal to itself is found exactly: no entry needed.
    for (const [root, forms] of this.#forms) if (forms.length === 1 && forms[0] === root) this.#forms.delete(root);
    this.#terms = [...frequency.keys()].sort(compareCodeUnits);
    this.#cumulative = new Float64Array(this.#terms.length + 1);
    for (const [i, term] of this.#terms.entries()) this.#cumulative[i + 1] = (this.#cumulative[i] ?? 0) + (frequency.get(term) ?? 0);
  }

  /** True when `term` is indexed exactly. */
  has(term: string): boolean {
    return this.#frequency.has(term);
  }

  /**
   * The other word forms of `term` in the stemmed fields ("forecasting" → forecast, forecasts): the
   * terms with its stem, itself excluded, in no particular order.
   */
  wordForms(term: string): string[] {
    const root = stem(term);
    const forms = this.#forms.get(root) ?? (root !== term && this.#frequency.has(root) ? [root] : []);
    return forms.filter((form) => form !== term);
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
