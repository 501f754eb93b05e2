/**
 * The index's terms as the query layer needs them and MiniSearch does not expose: how many field texts each
 * term occurs in (is a word known, or a typo to forgive; how rare is it), which terms occur outside the names
 * (matched by word form), their word forms (`root`), and a transliterated word's accent-dropped twin
 * ("loewe" → "lowe", for bolding). Counted by the tokenizer while MiniSearch adds the papers, and saved beside
 * MiniSearch's own JSON, since its `processTerm` does not run when an index is loaded. The terms also sit in
 * MiniSearch's own radix tree (`SearchableMap`), so "does a typed prefix or a typo reach any term" is a walk of
 * the terms alone, not a search of the papers.
 */
import SearchableMap from 'minisearch/SearchableMap';
import { root } from './stem.js';

/** A vocabulary as plain JSON. */
export interface PersistedVocabulary {
  /** Each term once: [term, field texts it occurs in, 1 when it occurs outside the names else 0]. */
  terms: Array<[term: string, count: number, stemmed: 0 | 1]>;
  /** [transliterated word, accent-dropped word]. */
  plainOf: Array<[german: string, plain: string]>;
}

/** Counts terms as field texts are tokenized. */
export class VocabularyCounter {
  readonly #counts = new Map<string, number>();
  readonly #stemmed = new Set<string>();
  readonly #plainOf = new Map<string, string>();

  /** Records one field text's distinct terms; `stemmed` when the field is matched by word form (all but names). */
  addField(terms: ReadonlySet<string>, stemmed: boolean): void {
    for (const term of terms) {
      this.#counts.set(term, (this.#counts.get(term) ?? 0) + 1);
      if (stemmed) this.#stemmed.add(term);
    }
  }

  /** Records a transliterated word beside the accent-dropped word it was indexed with. */
  addTransliteration(german: string, plain: string): void {
    if (!this.#plainOf.has(german)) this.#plainOf.set(german, plain);
  }

  /** The counts as plain JSON, terms sorted. */
  toJSON(): PersistedVocabulary {
    const terms = [...this.#counts.keys()].sort();
    return {
      terms: terms.map((term) => [term, this.#counts.get(term) ?? 0, this.#stemmed.has(term) ? 1 : 0]),
      plainOf: [...this.#plainOf.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)),
    };
  }
}

/** Indexed terms, their counts and word forms; immutable. */
export class Vocabulary {
  readonly #counts: Map<string, number>;
  /** Root → the terms (outside the names) with that root, where more than one term shares it or it differs from its root. */
  readonly #forms: Map<string, string[]>;
  readonly #plainOf: Map<string, string>;
  readonly #tree: SearchableMap<number>;
  readonly #persisted: PersistedVocabulary;

  private constructor(persisted: PersistedVocabulary, counts: Map<string, number>, forms: Map<string, string[]>, tree: SearchableMap<number>) {
    this.#persisted = persisted;
    this.#counts = counts;
    this.#forms = forms;
    this.#tree = tree;
    this.#plainOf = new Map(persisted.plainOf);
  }

  /**
   * Builds the vocabulary from its JSON, a step at a time: the generator yields every `CHUNK` terms so an
   * async caller can let the event loop run (see pacing.ts); its return value is the vocabulary.
   */
  static *load(persisted: PersistedVocabulary): Generator<void, Vocabulary> {
    const counts = new Map<string, number>();
    const forms = new Map<string, string[]>();
    const tree = new SearchableMap<number>();
    for (const [i, [term, count, stemmed]] of persisted.terms.entries()) {
      counts.set(term, count);
      tree.set(term, count);
      if (stemmed === 1) {
        const base = root(term);
        const list = forms.get(base);
        if (list === undefined) forms.set(base, [term]);
        else list.push(term);
      }
      if (i % CHUNK === CHUNK - 1) yield;
    }
    // A term alone under a root equal to itself is found exactly: no entry needed.
    let seen = 0;
    for (const [base, list] of forms) {
      if (list.length === 1 && list[0] === base) forms.delete(base);
      if (++seen % CHUNK === 0) yield;
    }
    return new Vocabulary(persisted, counts, forms, tree);
  }

  /** Number of distinct terms. */
  get size(): number {
    return this.#counts.size;
  }

  /** True when `term` is indexed exactly. */
  has(term: string): boolean {
    return this.#counts.has(term);
  }

  /** The number of field texts `term` occurs in; 0 when it is not indexed. */
  count(term: string): number {
    return this.#counts.get(term) ?? 0;
  }

  /**
   * The other word forms of `term` outside the names ("forecasting" → forecast, forecasts; "disentangled" →
   * disentanglement): the terms with its root, itself excluded, in no particular order.
   */
  wordForms(term: string): string[] {
    const base = root(term);
    const forms = this.#forms.get(base) ?? (base !== term && this.#counts.has(base) ? [base] : []);
    return forms.filter((form) => form !== term);
  }

  /** True when some indexed term starts with `prefix` and is longer. */
  hasLonger(prefix: string): boolean {
    for (const term of this.#tree.atPrefix(prefix).keys()) if (term !== prefix) return true;
    return false;
  }

  /** True when some indexed term is within `distance` edits of `term`. */
  hasNear(term: string, distance: number): boolean {
    return this.#tree.fuzzyGet(term, distance).size > 0;
  }

  /** The accent-dropped word a transliterated one was indexed beside ("loewe" → "lowe"); undefined for others. */
  plainOf(term: string): string | undefined {
    return this.#plainOf.get(term);
  }

  /** The vocabulary as plain JSON. */
  toJSON(): PersistedVocabulary {
    return this.#persisted;
  }
}

/** Terms handled between two yields of `Vocabulary.load` (the runner pauses only once its time slice is used up). */
const CHUNK = 200;
