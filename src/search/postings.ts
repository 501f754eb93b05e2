/**
 * One text field of every paper as compact postings (typed arrays, not MiniSearch's nested Maps), its terms
 * in MiniSearch's radix tree (`SearchableMap`: prefix and fuzzy look-ups), scored with MiniSearch's own BM25
 * and prefix/fuzzy weights, so a query ranks exactly as it would in a MiniSearch index of the same fields.
 * At 100,000 papers the abstracts are ten million (term, paper) pairs: MiniSearch keeps them in about 450 MB
 * of Maps and builds a result object per match; these arrays take about 50 MB and are scored in place.
 */
import SearchableMap from 'minisearch/SearchableMap';

/**
 * How a query term is looked up: exactly (also under its other exact `forms`), under its other word `stems`
 * at a lower weight, and as a prefix and/or within `fuzzy` edits.
 */
export interface TermLookup {
  prefix: boolean;
  fuzzy: number | false;
  /** Other exact spellings ("loewe" for "löwe"), scored as the term itself. */
  forms?: readonly string[];
  /** Other word forms ("forecasts" for "forecasting"), scored at `STEM_WEIGHT`. */
  stems?: readonly string[];
}

/** One paper's terms in one field, and other spellings of them indexed without counting in the field's length. */
export interface AnalyzedField {
  terms: readonly string[];
  variants: readonly string[];
}

/** Per-paper score sums and matched-term bits of one query, filled by the fields it runs over; reused across queries. */
export class ScoreBoard {
  readonly scores: Float64Array;
  readonly bits: Uint32Array;
  /** Papers with a score, in the order first reached. */
  readonly touched: number[] = [];

  /**
   * Papers one term's exact forms reached in one field, so its word forms skip them: a paper is marked when its
   * entry holds the current `#round`, so clearing every mark is one increment, not a pass over the papers.
   */
  readonly #marks: Uint32Array;
  #round = 1;

  constructor(papers: number) {
    this.scores = new Float64Array(papers);
    this.bits = new Uint32Array(papers);
    this.#marks = new Uint32Array(papers);
  }

  /** Marks a paper; true when it was not marked yet. */
  mark(doc: number): boolean {
    if (this.#marks[doc] === this.#round) return false;
    this.#marks[doc] = this.#round;
    return true;
  }

  /** Unmarks every marked paper. */
  clearMarks(): void {
    this.#round += 1;
    if (this.#round === 2 ** 32) {
      this.#marks.fill(0);
      this.#round = 1;
    }
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
  /** Each paper's BM25 length normalisation, `k · (1 − b + b · length / average length)`, computed once at build. */
  readonly #norms: Float64Array;

  private constructor(terms: SearchableMap<number>, starts: Int32Array, docs: Int32Array, counts: Uint8Array, lengths: Uint16Array) {
    this.#terms = terms;
    this.#starts = starts;
    this.#docs = docs;
    this.#counts = counts;
    this.#lengths = lengths;
    let total = 0;
    for (const length of lengths) total += length;
    const average = (lengths.length === 0 ? 0 : total / lengths.length) || 1;
    this.#norms = Float64Array.from(lengths, (length) => BM25_K * (1 - BM25_B + (BM25_B * length) / average));
  }

  /**
   * Builds the postings from each paper's field terms, papers in ordinal order. A field's `variants` (other
   * spellings of its words) are indexed too but leave its length as it is, so a name printed with an umlaut
   * weighs what the same name printed without one does.
   */
  static build(fields: Iterable<AnalyzedField>): FieldPostings {
    const ids = new Map<string, number>();
    const frequency: number[] = [];
    const perDoc: Array<{ terms: Int32Array; counts: Uint8Array; length: number }> = [];
    for (const field of fields) {
      const counts = new Map<number, number>();
      let length = 0;
      for (const [i, term] of [...field.terms, ...field.variants].entries()) {
        let id = ids.get(term);
        if (id === undefined) {
          id = ids.size;
          ids.set(term, id);
          frequency.push(0);
        }
        if (i < field.terms.length && !counts.has(id)) length += 1;
        counts.set(id, (counts.get(id) ?? 0) + 1);
      }
      for (const id of counts.keys()) frequency[id] = (frequency[id] ?? 0) + 1;
      perDoc.push({ terms: Int32Array.from(counts.keys()), counts: Uint8Array.from(counts.values(), (count) => Math.min(count, 255)), length });
    }
    const starts = new Int32Array(ids.size + 1);
    for (let id = 0; id < ids.size; id += 1) starts[id + 1] = (starts[id] ?? 0) + (frequency[id] ?? 0);
    const total = starts[ids.size] ?? 0;
    const docs = new Int32Array(total);
    const counts = new Uint8Array(total);
    const next = starts.slice(0, ids.size);
    const lengths = new Uint16Array(perDoc.length);
    for (const [doc, entry] of perDoc.entries()) {
      lengths[doc] = Math.min(entry.length, 65_535);
      for (const [i, id] of entry.terms.entries()) {
        const at = next[id] ?? 0;
        docs[at] = doc;
        counts[at] = entry.counts[i] ?? 0;
        next[id] = at + 1;
      }
    }
    return new FieldPostings(SearchableMap.from(ids), starts, docs, counts, lengths);
  }

  /** The field's distinct terms. */
  terms(): IterableIterator<string> {
    return this.#terms.keys();
  }

  /** Number of distinct terms. */
  get termCount(): number {
    return this.#starts.length - 1;
  }

  /**
   * Adds to `board` the BM25 score (times `boost`) of every paper the term reaches, under `bit`: the exact
   * term and its other exact forms at full weight, its other word forms at `STEM_WEIGHT`, prefix extensions
   * and fuzzy neighbours at MiniSearch's reduced weights; each field term once, at its best weight. Papers
   * whose `mask` entry is 0, or that lack a bit of `need` on the board, are skipped. Every field term scored
   * is added to `reached`.
   */
  score(term: string, lookup: TermLookup, boost: number, mask: Uint8Array | null, board: ScoreBoard, bit: number, reached?: Set<string>, need = 0): void {
    const forms = lookup.forms ?? [];
    const stems = lookup.stems ?? [];
    // A paper counts one form of the term, its best: a paper printed with an umlaut holds both exact forms
    // ("lowe", "loewe"), and a paper with "slot" may have "slots" too. Exact forms share one idf, that of all
    // their papers, so papers printing "Loewe" and "Löwe" weigh the same.
    const once = forms.length > 0 || stems.length > 0;
    const matching = forms.length > 0 ? this.#papersWithAny([term, ...forms]) : undefined;
    const scoreForm = (word: string, weight: number, papers?: number): void => {
      const id = this.#terms.get(word);
      if (id === undefined) return;
      this.#scoreTerm(id, weight, mask, board, bit, need, once, papers);
      reached?.add(word);
    };
    scoreForm(term, boost, matching);
    for (const form of forms) scoreForm(form, boost, matching);
    for (const form of stems) scoreForm(form, boost * STEM_WEIGHT);
    if (once) board.clearMarks();
    const scored = (word: string): boolean => word === term || forms.includes(word) || stems.includes(word);
    if (lookup.prefix) {
      for (const [found, id] of this.#terms.atPrefix(term)) {
        const distance = found.length - term.length;
        if (distance === 0 || scored(found)) continue;
        this.#scoreTerm(id, (boost * PREFIX_WEIGHT * found.length) / (found.length + 0.3 * distance), mask, board, bit, need);
        reached?.add(found);
      }
    }
    if (lookup.fuzzy !== false) {
      for (const [found, [id, distance]] of this.#terms.fuzzyGet(term, lookup.fuzzy)) {
        if (distance === 0 || (lookup.prefix && found.startsWith(term)) || scored(found)) continue;
        this.#scoreTerm(id, (boost * FUZZY_WEIGHT * found.length) / (found.length + distance), mask, board, bit, need);
        reached?.add(found);
      }
    }
  }

  /** True when the paper (by ordinal) has `term` in this field. */
  has(term: string, doc: number): boolean {
    const id = this.#terms.get(term);
    if (id === undefined) return false;
    let low = this.#starts[id] ?? 0;
    let high = this.#starts[id + 1] ?? 0;
    while (low < high) {
      const mid = (low + high) >>> 1;
      if ((this.#docs[mid] ?? 0) < doc) low = mid + 1;
      else high = mid;
    }
    return low < (this.#starts[id + 1] ?? 0) && this.#docs[low] === doc;
  }

  /** True when some term of the field is within `distance` edits of `term`. */
  hasNear(term: string, distance: number): boolean {
    return this.#terms.fuzzyGet(term, distance).size > 0;
  }

  // The number of papers with any of `words`.
  #papersWithAny(words: readonly string[]): number {
    const docs = new Set<number>();
    for (const word of words) {
      const id = this.#terms.get(word);
      if (id === undefined) continue;
      for (let at = this.#starts[id] ?? 0; at < (this.#starts[id + 1] ?? 0); at += 1) docs.add(this.#docs[at] ?? 0);
    }
    return docs.size;
  }

  // MiniSearch's BM25 (k 1.2, b 0.7, d 0.5) for one term's papers that have every bit of `need`; with `once`,
  // only papers the board has not marked, which it marks; with `papersMatching`, that many papers' idf.
  #scoreTerm(id: number, weight: number, mask: Uint8Array | null, board: ScoreBoard, bit: number, need: number, once = false, papersMatching?: number): void {
    const from = this.#starts[id] ?? 0;
    const to = this.#starts[id + 1] ?? 0;
    const papers = this.#lengths.length;
    const matching = papersMatching ?? to - from;
    const idf = Math.log(1 + (papers - matching + 0.5) / (matching + 0.5));
    const scale = weight * idf;
    const docs = this.#docs;
    const counts = this.#counts;
    const norms = this.#norms;
    const { bits, scores, touched } = board;
    for (let at = from; at < to; at += 1) {
      const doc = docs[at] ?? 0;
      if (mask !== null && mask[doc] === 0) continue;
      const had = bits[doc] ?? 0;
      if ((had & need) !== need) continue;
      if (once && !board.mark(doc)) continue;
      const count = counts[at] ?? 0;
      const tf = (count * (BM25_K + 1)) / (count + (norms[doc] ?? 0));
      if (had === 0) touched.push(doc);
      scores[doc] = (scores[doc] ?? 0) + scale * (BM25_D + tf);
      bits[doc] = had | bit;
    }
  }
}

const BM25_K = 1.2;
const BM25_B = 0.7;
const BM25_D = 0.5;
/** MiniSearch's default weights of prefix and fuzzy matches. */
const PREFIX_WEIGHT = 0.375;
const FUZZY_WEIGHT = 0.45;
/** The weight of another word form of a query term ("slots" for "slot"): below the exact form, above a typo's. */
const STEM_WEIGHT = 0.6;
