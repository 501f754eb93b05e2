/**
 * How a query's words are looked up in MiniSearch: each word is one OR group of its exact spellings (with
 * prefix search while it is the word being typed, or unknown; typo tolerance only for unknown words of 5 to 24
 * letters) and its other word forms at a lower weight outside the names; the groups are combined with AND
 * (every word) or OR (some words). Within a group a paper is scored by the first form that reaches it only, so
 * a paper printing "slot" and "slots" weighs what one printing "slot" does, and an exact form always comes
 * first. The groups' `boostDocument` also applies the filters: a paper outside them scores 0, which MiniSearch
 * skips before building a result for it.
 */
import type { Query, SearchOptions } from 'minisearch';
import { FIELDS, FIELD_BOOST, type Field, STEMMED_FIELDS } from './documents.js';
import type { QueryTerm } from './query.js';
import type { Vocabulary } from './vocabulary.js';

/** How one query word is looked up. */
export interface WordPlan {
  /** The word as folded. */
  term: string;
  /** The word and its other exact spellings ("lowe", "loewe"). */
  exact: string[];
  /** Other word forms in the corpus ("forecasts" for "forecasting"), matched outside names at `FORM_WEIGHT`. */
  forms: string[];
  prefix: boolean;
  /** Edits a typo may take; false for none. */
  fuzzy: number | false;
  /** Field texts the exact spellings and word forms occur in (0 for a word known only by prefix or typo). */
  reach: number;
  /**
   * A boost per exact spelling that evens out their rarity: a paper printing "Matthaeus" weighs what one printing
   * "Matthäus" (indexed as matthaus and matthaeus) does, though MiniSearch scores each term by its own rarity.
   */
  spellingBoost?: Map<string, number>;
}

/** How loosely the words are matched: `search` as above; `titles` with prefix on every word of 3+ letters and more typos (did you mean). */
export type Looseness = 'search' | 'titles';

/** The plan of a query: the words looked up, in query order. */
export interface QueryPlan {
  words: WordPlan[];
}

/**
 * Per query, how each word's group has scored each paper in each field, so no field counts one word twice: the
 * first exact spelling to reach a paper's field is the only one scored there ("lowe" or "loewe", not both); a
 * word form scores only in a field no exact spelling reached, and only the first form to reach it; the longer
 * words a typed prefix reaches score unless they are a spelling or form already looked up. Typo and prefix
 * matches of an unknown word all score, as MiniSearch scores them. The boosts also apply the filters.
 */
export class Claims {
  readonly #groups: Array<{ exact: Set<string>; forms: Set<string>; byExact: Array<Map<number, string>>; byForm: Array<Map<number, string>> }>;
  readonly #allowed: Uint8Array | null;
  /** Terms that reached a paper but were not scored there: still bolded. */
  readonly others = new Map<number, string[]>();

  constructor(plan: QueryPlan, allowed: Uint8Array | null) {
    this.#groups = plan.words.map((word) => ({
      exact: new Set(word.exact),
      forms: new Set(word.forms),
      byExact: FIELDS.map(() => new Map<number, string>()),
      byForm: FIELDS.map(() => new Map<number, string>()),
    }));
    this.#allowed = allowed;
  }

  /** MiniSearch's `boostDocument` for a leaf (0 exact, 1 word forms, 2 prefix) of word `group` over `field`: 1 to score, 0 not to. */
  boost(group: number, leaf: 0 | 1 | 2, field: Field | null): (id: number, term: string) => number {
    const claims = this.#groups[group];
    const allowed = this.#allowed;
    if (claims === undefined) return () => 0;
    const at = field === null ? 0 : FIELDS.indexOf(field);
    const { exact, forms } = claims;
    const byExact = claims.byExact[at] ?? new Map<number, string>();
    const byForm = claims.byForm[at] ?? new Map<number, string>();
    const claim = (map: Map<number, string>, id: number, term: string): number => {
      const claimed = map.get(id);
      if (claimed === undefined) map.set(id, term);
      else if (claimed !== term) return this.#skip(id, term);
      return 1;
    };
    return (id, term) => {
      if (allowed !== null && allowed[id] !== 1) return 0;
      if (leaf === 0) return exact.has(term) ? claim(byExact, id, term) : 1;
      if (leaf === 1) return byExact.has(id) ? this.#skip(id, term) : claim(byForm, id, term);
      return exact.has(term) || forms.has(term) ? 0 : 1;
    };
  }

  // Notes a term not scored in a paper, for bolding; 0.
  #skip(id: number, term: string): number {
    const list = this.others.get(id);
    if (list === undefined) this.others.set(id, [term]);
    else if (!list.includes(term)) list.push(term);
    return 0;
  }
}

/**
 * Plans the words of a query: a word is known when the corpus has it, another exact spelling or another word
 * form of it. `hasNear(term, prefix, fuzzy)` tells whether an unknown word reaches anything by prefix or typo;
 * a word that reaches nothing is left out (`ignored`).
 */
export function planQuery(
  query: readonly QueryTerm[],
  vocabulary: Vocabulary,
  hasNear: (term: string, prefix: boolean, fuzzy: number | false) => boolean,
  papers: number,
  looseness: Looseness = 'search',
): { plan: QueryPlan; ignored: string[] } {
  const words: WordPlan[] = [];
  const ignored: string[] = [];
  for (const [i, { term, forms: spellings }] of query.entries()) {
    const exact = [term, ...spellings];
    const last = i === query.length - 1;
    const known = exact.some((word) => vocabulary.has(word));
    const titles = looseness === 'titles';
    // Prefix search only where it reaches longer words: otherwise MiniSearch would walk the word's papers again.
    const prefix = term.length >= MIN_PREFIX_LENGTH && (titles || last || !known) && vocabulary.hasLonger(term);
    const forms = [...new Set(exact.flatMap((word) => vocabulary.wordForms(word)))].filter((form) => !exact.includes(form));
    const reach = [...exact, ...forms].reduce((sum, word) => sum + vocabulary.count(word), 0);
    const fuzzy = titles
      ? editDistance(term, LOOSE_MIN_FUZZY_LENGTH, LOOSE_FUZZY, LOOSE_MAX_FUZZY)
      : reach > 0
        ? false
        : editDistance(term, MIN_FUZZY_LENGTH, FUZZY, MAX_FUZZY);
    if (reach === 0 && !hasNear(term, prefix, fuzzy)) {
      ignored.push(term);
      continue;
    }
    const plan: WordPlan = { term, exact, forms, prefix, fuzzy, reach };
    const counts = exact.map((word) => vocabulary.count(word));
    const most = Math.max(...counts);
    if (exact.length > 1 && most > 0) {
      plan.spellingBoost = new Map(exact.map((word, j) => [word, (counts[j] ?? 0) > 0 ? idf(most, papers) / idf(counts[j] ?? 0, papers) : 1]));
    }
    words.push(plan);
  }
  return { plan: { words }, ignored };
}

/**
 * The MiniSearch query of a plan: every word (`AND`) or any (`OR`). Each word's group has leaves run in this
 * order, so the best way a paper's field has the word claims it (`Claims`): its exact spellings, field by field
 * (an unknown word: within typos and by prefix, over all fields at once), its other word forms outside the
 * names, field by field, and the longer words it starts while it is being typed.
 */
export function miniSearchQuery(plan: QueryPlan, combineWith: 'AND' | 'OR', claims: Claims): Query {
  return {
    combineWith,
    queries: plan.words.map((word, group) => {
      const boostTerm = word.spellingBoost === undefined ? {} : { boostTerm: spellingBoost(word.spellingBoost) };
      if (word.reach === 0) {
        return { queries: word.exact, prefix: word.prefix, fuzzy: word.fuzzy, boostDocument: claims.boost(group, 0, null), combineWith: 'OR' };
      }
      const queries: Query[] = FIELDS.map((field) => ({
        queries: word.exact,
        fields: [field],
        prefix: false,
        fuzzy: word.fuzzy,
        boostDocument: claims.boost(group, 0, field),
        ...boostTerm,
      }));
      if (word.forms.length > 0) {
        for (const field of STEMMED_FIELDS) {
          queries.push({ queries: word.forms, fields: [field], prefix: false, fuzzy: false, boostTerm: () => FORM_WEIGHT, boostDocument: claims.boost(group, 1, field) });
        }
      }
      if (word.prefix) queries.push({ queries: word.exact, prefix: true, fuzzy: false, boostDocument: claims.boost(group, 2, null) });
      return { combineWith: 'OR', queries };
    }),
  };
}

/** The MiniSearch query of one word alone, every way it is looked up, without claims (which papers have the word at all). */
export function wordQuery(word: WordPlan): Query {
  if (word.reach === 0) return { queries: word.exact, prefix: word.prefix, fuzzy: word.fuzzy };
  const queries: Query[] = [{ queries: word.exact, prefix: word.prefix, fuzzy: false }];
  if (word.forms.length > 0) queries.push({ queries: word.forms, fields: [...STEMMED_FIELDS], prefix: false, fuzzy: false });
  return { combineWith: 'OR', queries };
}

/** Search options every query of a plan runs with: its terms are already analyzed, so each leaf is one term as it is. */
export const PLANNED: SearchOptions = {
  tokenize: (text) => [text],
  processTerm: (term) => term,
  boost: { ...FIELD_BOOST },
  maxFuzzy: 3,
};

/** Which query word a paper's term stands for: an exact spelling, a word form, a prefix or a typo of it; -1 for none. */
export function wordOf(plan: QueryPlan, term: string): number {
  for (const [i, word] of plan.words.entries()) if (word.exact.includes(term) || word.forms.includes(term)) return i;
  for (const [i, word] of plan.words.entries()) if (word.prefix && word.exact.some((form) => term.startsWith(form))) return i;
  for (const [i, word] of plan.words.entries()) {
    if (word.fuzzy !== false && word.exact.some((form) => boundedEditDistance(form, term, word.fuzzy as number) <= (word.fuzzy as number))) return i;
  }
  return -1;
}

// A `boostTerm` from a word's spelling boosts.
function spellingBoost(boosts: ReadonlyMap<string, number>): (term: string) => number {
  return (term) => boosts.get(term) ?? 1;
}

/** BM25's inverse document frequency of a term in `reach` of `total` documents, as MiniSearch computes it; always above 0. */
export function idf(reach: number, total: number): number {
  return Math.log(1 + (total - reach + 0.5) / (reach + 0.5));
}

// The edits a term may take: `ratio` per character, at most `max`, none below `minLength` or above MAX_FUZZY_TERM_LENGTH.
function editDistance(term: string, minLength: number, ratio: number, max: number): number | false {
  if (term.length < minLength || term.length > MAX_FUZZY_TERM_LENGTH) return false;
  const distance = Math.min(max, Math.round(term.length * ratio));
  return distance >= 1 ? distance : false;
}

/** Levenshtein distance of a and b, or `bound + 1` as soon as it must exceed `bound`. */
export function boundedEditDistance(a: string, b: string, bound: number): number {
  if (Math.abs(a.length - b.length) > bound) return bound + 1;
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i += 1) {
    const current = [i];
    let best = i;
    for (let j = 1; j <= b.length; j += 1) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      const value = Math.min((previous[j] ?? 0) + 1, (current[j - 1] ?? 0) + 1, (previous[j - 1] ?? 0) + cost);
      current.push(value);
      best = Math.min(best, value);
    }
    if (best > bound) return bound + 1;
    previous = current;
  }
  return previous[b.length] ?? bound + 1;
}

/** A word form other than the one typed weighs this much of an exact match. */
export const FORM_WEIGHT = 0.6;
const MIN_PREFIX_LENGTH = 3;
const MIN_FUZZY_LENGTH = 5;
const MAX_FUZZY_TERM_LENGTH = 24;
/** Edits allowed per character of a term (MiniSearch's fuzzy ratio), capped by `MAX_FUZZY`. */
const FUZZY = 0.2;
const MAX_FUZZY = 2;
const LOOSE_FUZZY = 0.34;
const LOOSE_MIN_FUZZY_LENGTH = 4;
const LOOSE_MAX_FUZZY = 3;
