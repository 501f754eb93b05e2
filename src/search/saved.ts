/**
 * A MiniSearch index as saved for a restart: MiniSearch's own `toJSON` for everything but the postings, and the
 * postings (term → field → document → frequency, nearly all of the index) as one array of 32-bit numbers, read
 * back lazily. MiniSearch's `loadJS` makes a `Map` for every posting of every term up front, which at 100,000
 * papers is 20 million entries and most of a restart (14 s, besides 6 s of `JSON.parse`); here a term's maps are
 * made the first time a search reaches the term, from its slice of the array.
 *
 * MiniSearch has no public way to hand it a term's postings other than `loadJS`, so loading sets the entries of its
 * term tree (`_index`, a `SearchableMap`, which `loadJS` itself fills with `set`). `test/search/persist.test.ts`
 * checks that an index loaded this way answers every kind of query as the one built, so a MiniSearch release that
 * changes that tree fails there, not in production.
 */
import MiniSearch, { type AsPlainObject, type Options } from 'minisearch';

/** An index as saved: `json` is plain JSON; `postings` is the array of numbers (native byte order: this machine's snapshot). */
export interface SavedMiniSearch {
  json: Omit<AsPlainObject, 'index'> & { terms: string[] };
  postings: Uint32Array;
}

/**
 * The postings array's layout, term after term in the order of `terms`: the number of fields, then for each field
 * its id, the number of documents, and that many pairs of short document id and frequency.
 */
export function saveMiniSearch<T>(miniSearch: MiniSearch<T>): SavedMiniSearch {
  const { index, ...rest } = miniSearch.toJSON();
  let length = 0;
  for (const [, fields] of index) {
    length += 1;
    for (const docs of Object.values(fields)) length += 2 + 2 * Object.keys(docs).length;
  }
  const postings = new Uint32Array(length);
  const terms: string[] = [];
  let at = 0;
  for (const [term, fields] of index) {
    terms.push(term);
    const fieldIds = Object.keys(fields);
    postings[at++] = fieldIds.length;
    for (const fieldId of fieldIds) {
      const docs = Object.entries(fields[fieldId] ?? {});
      postings[at++] = Number(fieldId);
      postings[at++] = docs.length;
      for (const [doc, frequency] of docs) {
        postings[at++] = Number(doc);
        postings[at++] = frequency;
      }
    }
  }
  return { json: { ...rest, terms }, postings };
}

/** The index `saveMiniSearch` saved, with the options it was built with; throws when the postings do not fit the terms. */
export function loadMiniSearch<T>(saved: SavedMiniSearch, options: Options<T>): MiniSearch<T> {
  const { terms, ...rest } = saved.json;
  const { postings } = saved;
  if (!Array.isArray(terms)) throw new Error('search: saved index has no term list');
  const miniSearch = MiniSearch.loadJS<T>({ ...rest, index: [] }, options);
  const tree = (miniSearch as unknown as { _index?: { set?: (term: string, data: LazyTermData) => unknown } })._index;
  if (typeof tree?.set !== 'function') throw new Error('search: this MiniSearch keeps its terms in another shape; rebuild the index');
  let at = 0;
  for (const [i, term] of terms.entries()) {
    const start = at;
    const fields = postings[at++] ?? Number.NaN;
    for (let field = 0; field < fields && at < postings.length; field++) at += 2 + 2 * (postings[at + 1] ?? 0);
    if (!(at <= postings.length) || typeof term !== 'string') throw new Error(`search: saved index's postings end before term ${i + 1} of ${terms.length}; rebuild it`);
    tree.set(term, new LazyTermData(postings, start));
  }
  if (at !== postings.length) throw new Error(`search: saved index has ${postings.length - at} numbers past its last term; rebuild it`);
  return miniSearch;
}

/**
 * A term's postings as MiniSearch holds them (field id → short document id → term frequency), made into its maps
 * the first time anything reads or changes them. Every Map method that reads or changes entries fills first, not only
 * the ones MiniSearch 7.2 calls, so a release that reads them another way still sees the postings.
 */
class LazyTermData extends Map<number, Map<number, number>> {
  #postings: Uint32Array | null;
  readonly #start: number;

  constructor(postings: Uint32Array, start: number) {
    super();
    this.#postings = postings;
    this.#start = start;
  }

  override get size(): number {
    this.#fill();
    return super.size;
  }

  override get(fieldId: number): Map<number, number> | undefined {
    this.#fill();
    return super.get(fieldId);
  }

  override has(fieldId: number): boolean {
    this.#fill();
    return super.has(fieldId);
  }

  override set(fieldId: number, docs: Map<number, number>): this {
    this.#fill();
    return super.set(fieldId, docs);
  }

  override delete(fieldId: number): boolean {
    this.#fill();
    return super.delete(fieldId);
  }

  override clear(): void {
    this.#postings = null;
    super.clear();
  }

  override forEach(callback: (docs: Map<number, number>, fieldId: number, map: Map<number, Map<number, number>>) => void, thisArg?: unknown): void {
    this.#fill();
    super.forEach(callback, thisArg);
  }

  override entries(): MapIterator<[number, Map<number, number>]> {
    this.#fill();
    return super.entries();
  }

  override keys(): MapIterator<number> {
    this.#fill();
    return super.keys();
  }

  override values(): MapIterator<Map<number, number>> {
    this.#fill();
    return super.values();
  }

  override [Symbol.iterator](): MapIterator<[number, Map<number, number>]> {
    return this.entries();
  }

  #fill(): void {
    const postings = this.#postings;
    if (postings === null) return;
    this.#postings = null;
    let at = this.#start;
    const fields = postings[at++] ?? 0;
    for (let field = 0; field < fields; field++) {
      const fieldId = postings[at++] ?? 0;
      const count = postings[at++] ?? 0;
      const docs = new Map<number, number>();
      for (let i = 0; i < count; i++, at += 2) docs.set(postings[at] ?? 0, postings[at + 1] ?? 0);
      super.set(fieldId, docs);
    }
  }
}
