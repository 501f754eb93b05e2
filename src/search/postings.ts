/**
 * One text field of every paper as compact postings (typed arrays, not MiniSearch's nested Maps), its terms
 * in MiniSearch's radix tree (`SearchableMap`: prefix and fuzzy look-ups), scored with MiniSearch's own BM25
 * and prefix/fuzzy weights, so a query ranks exactly as it would in a MiniSearch index of the same fields.
 * At 100,000 papers the abstracts are ten million (term, paper) pairs: MiniSearch keeps them in about 450 MB
 * of Maps and builds a result object per match; these arrays take about 50 MB and are scored in place.
 */
import SearchableMap from 'minisearch/SearchableMap';

/** How a query term is looked up: exactly, and also as a prefix and/or within `fuzzy` edits. */
export interface TermLookup {
  prefix: boolean;
  fuzzy: number | false;
}

/** Per-paper score sums and matched-term bits of one query, filled by the fields it runs over; reused across queries. */
export class ScoreBoard {
  readonly scores: Float64Array;
  readonly bits: Uint32Array;
  /** Papers with a score, in the order first reached. */
  readonly touched: number[] = [];

  constructor(papers: number) {
    this.scores = new Float64Array(papers);
    this.bits = new Uint32Array(papers);
  }

  /** Clears the papers reached, so the board serves the next query without a new allocation. */
  clear(): void {
    for (const doc of this.touched) {
      this.scores[doc] = 0;
      this.bits[doc] = 0;
    }
    this.touched.length = 0;
  }

  /** Adds `score` to a paper and marks query term `bit` as matched there. */
  add(doc: number, score: number, bit: number): void {
    if (this.bits[doc] === 0) this.touched.push(doc);
    this.scores[doc] = (this.scores[doc] ?? 0) + score;
    this.bits[doc] = (this.bits[doc] ?? 0) | bit;
  }
}

/** A field's terms → ascending paper ordinals with term counts, and each paper's field length. */
export class FieldPostings {
  readonly #terms: SearchableMap<number>;
  /** `#docs[#starts[t] … #starts[t + 1])` are the papers of term `t`, ascending. */
  readonly #starts: Int32Array;
  readonly #docs: Int32Array;
  /** Occurrences of the term in the paper's field, at most 255. */
  readonly #counts: Uint8Array;
  /** Distinct terms in each paper's field (MiniSearch's field length). */
  readonly #lengths: Uint16Array;
  readonly #averageLength: number;

  private constructor(terms: SearchableMap<number>, starts: Int32Array, docs: Int32Array, counts: Uint8Array, lengths: Uint16Array) {
    this.#terms = terms;
    this.#starts = starts;
    this.#docs = docs;
    this.#counts = counts;
    this.#lengths = lengths;
    let total = 0;
    for (const length of lengths) total += length;
    this.#averageLength = lengths.length === 0 ? 0 : total / lengths.length;
  }

  /** Builds the postings from each paper's field terms, papers in ordinal order. */
  static build(fields: Iterable<readonly string[]>): FieldPostings {
    const ids = new Map<string, number>();
    const frequency: number[] = [];
    const perDoc: Array<{ terms: Int32Array; counts: Uint8Array }> = [];
    for (const field of fields) {
      const counts = new Map<number, number>();
      for (const term of field) {
        let id = ids.get(term);
        if (id === undefined) {
          id = ids.size;
          ids.set(term, id);
          frequency.push(0);
        }
        counts.set(id, (counts.get(id) ?? 0) + 1);
      }
      for (const id of counts.keys()) frequency[id] = (frequency[id] ?? 0) + 1;
      perDoc.push({ terms: Int32Array.from(counts.keys()), counts: Uint8Array.from(counts.values(), (count) => Math.min(count, 255)) });
    }
    const starts = new Int32Array(ids.size + 1);
    for (let id = 0; id < ids.size; id += 1) starts[id + 1] = (starts[id] ?? 0) + (frequency[id] ?? 0);
    const total = starts[ids.size] ?? 0;
    const docs = new Int32Array(total);
    const counts = new Uint8Array(total);
    const next = starts.slice(0, ids.size);
    const lengths = new Uint16Array(perDoc.length);
    for (const [doc, entry] of perDoc.entries()) {
      lengths[doc] = Math.min(entry.terms.length, 65_535);
      for (const [i, id] of entry.terms.entries()) {
        const at = next[id] ?? 0;
        docs[at] = doc;
        counts[at] = entry.counts[i] ?? 0;
        next[id] = at + 1;
      }
    }
    return new FieldPostings(SearchableMap.from(ids), starts, docs, counts, lengths);
  }

  /** Number of distinct terms. */
  get termCount(): number {
    return this.#starts.length - 1;
  }

  /**
   * Adds to `board` the BM25 score (times `boost`) of every paper the term reaches, under `bit`: the exact
   * term at full weight, prefix extensions and fuzzy neighbours at MiniSearch's reduced weights. Papers
   * whose `mask` entry is 0 are skipped.
   */
  score(term: string, lookup: TermLookup, boost: number, mask: Uint8Array | null, board: ScoreBoard, bit: number): void {
    const exact = this.#terms.get(term);
    if (exact !== undefined) this.#scoreTerm(exact, boost, mask, board, bit);
    if (lookup.prefix) {
      for (const [found, id] of this.#terms.atPrefix(term)) {
        const distance = found.length - term.length;
        if (distance > 0) this.#scoreTerm(id, (boost * PREFIX_WEIGHT * found.length) / (found.length + 0.3 * distance), mask, board, bit);
      }
    }
    if (lookup.fuzzy !== false) {
      for (const [found, [id, distance]] of this.#terms.fuzzyGet(term, lookup.fuzzy)) {
        if (distance === 0 || (lookup.prefix && found.startsWith(term))) continue;
        this.#scoreTerm(id, (boost * FUZZY_WEIGHT * found.length) / (found.length + distance), mask, board, bit);
      }
    }
  }

  // MiniSearch's BM25 (k 1.2, b 0.7, d 0.5) for one term's papers.
  #scoreTerm(id: number, weight: number, mask: Uint8Array | null, board: ScoreBoard, bit: number): void {
    const from = this.#starts[id] ?? 0;
    const to = this.#starts[id + 1] ?? 0;
    const papers = this.#lengths.length;
    const matching = to - from;
    const idf = Math.log(1 + (papers - matching + 0.5) / (matching + 0.5));
    const average = this.#averageLength || 1;
    for (let at = from; at < to; at += 1) {
      const doc = this.#docs[at] ?? 0;
      if (mask !== null && mask[doc] === 0) continue;
      const count = this.#counts[at] ?? 0;
      const length = this.#lengths[doc] ?? 0;
      const tf = (count * (BM25_K + 1)) / (count + BM25_K * (1 - BM25_B + (BM25_B * length) / average));
      board.add(doc, weight * idf * (BM25_D + tf), bit);
    }
  }
}

const BM25_K = 1.2;
const BM25_B = 0.7;
const BM25_D = 0.5;
/** MiniSearch's default weights of prefix and fuzzy matches. */
const PREFIX_WEIGHT = 0.375;
const FUZZY_WEIGHT = 0.45;
