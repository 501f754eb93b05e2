/**
 * A MiniSearch index as saved for a restart: its `toJSON` but for the postings, which are one array of 32-bit numbers
 * read back lazily: `loadJS` makes a Map for every posting up front (20 million at 100,000 papers, most of a restart).
 */
import MiniSearch, { type AsPlainObject, type Options } from 'minisearch';

/** An index as saved: `postings` in native byte order (this machine's snapshot). */
export interface SavedMiniSearch {
  json: Omit<AsPlainObject, 'index'> & { terms: string[] };
  postings: Uint32Array;
}

/** Postings, term after term in the order of `terms`: the field count, then per field its id, the document count, and (document, frequency) pairs. */
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
  const { json: { terms, ...rest }, postings } = saved;
  if (!Array.isArray(terms)) throw new Error('search: saved index has no term list');
  const miniSearch = MiniSearch.loadJS<T>({ ...rest, index: [] }, options);
  // No public way to hand MiniSearch a term's postings: set them in its term tree as `loadJS` does (persist.test.ts guards this).
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

/** A term's postings (field id → document id → frequency), made into maps when any Map method is called, not only those MiniSearch 7.2 calls. */
class LazyTermData extends Map<number, Map<number, number>> {
  #postings: Uint32Array | null;
  readonly #start: number;

  constructor(postings: Uint32Array, start: number) {
    super();
    this.#postings = postings;
    this.#start = start;
  }

  static {
    for (const name of ['has', 'set', 'delete', 'clear', 'forEach', 'entries', 'keys', 'values', Symbol.iterator] as const) {
      const method = Map.prototype[name] as (...args: unknown[]) => unknown;
      Object.defineProperty(LazyTermData.prototype, name, {
        value(this: LazyTermData, ...args: unknown[]): unknown {
          this.#fill();
          return method.apply(this, args);
        },
      });
    }
  }

  override get size(): number {
    this.#fill();
    return super.size;
  }

  // Written out: the one a search calls.
  override get(fieldId: number): Map<number, number> | undefined {
    this.#fill();
    return super.get(fieldId);
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
