/** The people of a corpus: every author and page owner (an author of all its page's papers, even past "et al."), one per name key. */
import MiniSearch from 'minisearch';
import { nameKeys, nameParts, personKey, preferredSpelling } from '../corpus/names.js';
import type { Paper } from '../corpus/schema.js';
import { type Steps, addAllPaced } from './pacing.js';
import { type SavedMiniSearch, loadMiniSearch, saveMiniSearch } from './saved.js';
import { MAX_TYPOS, typoRatio } from './plan.js';
import { MAX_LIMIT, MAX_NAME_CHARS, MAX_SUGGEST_CHARS, type Suggestion, clampInt } from './query.js';
import { compareCodeUnits, foldedWords } from './text.js';

/** A person in the corpus. */
export interface Person {
  /** `personKey` of the spelling shown. */
  key: string;
  name: string;
  paperCount: number;
}

/** Papers, or people, handled between two yields of the build. */
const CHUNK = 100;
/** MiniSearch's options for the name parts: a person's parts are one space-separated text, indexed as they are. */
const PARTS_OPTIONS = { fields: ['parts'], storeFields: [], tokenize: (text: string) => text.split(' '), processTerm: (term: string) => term };

/** What `People.load` needs besides the papers: plain data, Maps and typed arrays (for `node:v8`). */
export interface SavedPeople {
  /** Most papers first, ties by key: a person's number is its position here. */
  people: Person[];
  /** Every key of every spelling → its person's number. */
  byKey: Map<string, number>;
  /** Paper ordinals of each person, ascending. */
  papersOf: Int32Array[];
  /** Person numbers of each paper. */
  peopleOf: Int32Array[];
  /** Each person's name parts over all spellings, by person number. */
  parts: SavedMiniSearch;
}

/** People, their papers and who wrote with whom. Never throws on any input text. */
export class People {
  /** `papers` in index order: a person's papers are ordinals into them. */
  private constructor(
    private readonly papers: readonly Paper[],
    private readonly tables: Omit<SavedPeople, 'parts'>,
    private readonly parts: MiniSearch<number>,
  ) {}

  /** Finds the people of papers in index order, a step at a time. */
  static *build(papers: readonly Paper[]): Steps<People> {
    // Each distinct spelling key is a node; nodes are numbered in order of first appearance.
    const nodeOf = new Map<string, number>();
    // A name is printed on many papers: its key is worked out once (`personKey` is most of this loop's time).
    const keyOfName = new Map<string, string>();
    const printed: string[][] = [];
    const nodePapers: number[][] = [];
    const nodesOfPaper: number[][] = [];
    for (const [ordinal, paper] of papers.entries()) {
      const nodes = new Set<number>();
      for (const name of [...paper.authors, ...paper.owners]) {
        let key = keyOfName.get(name);
        if (key === undefined) keyOfName.set(name, (key = personKey(name)));
        if (key === '') continue;
        let node = nodeOf.get(key);
        if (node === undefined) nodeOf.set(key, (node = printed.push([]) - 1));
        const names = printed[node] ?? [];
        if (!names.includes(name)) names.push(name);
        if (nodes.has(node)) continue;
        nodes.add(node);
        (nodePapers[node] ??= []).push(ordinal);
      }
      nodesOfPaper.push([...nodes]);
      if (ordinal % CHUNK === CHUNK - 1) yield;
    }
    // Nodes sharing a key are one person: union-find with path halving, a set's smallest node its representative.
    const parent = Int32Array.from(printed, (_, node) => node);
    const find = (node: number): number => {
      let at = node;
      while ((parent[at] ?? at) !== at) {
        parent[at] = parent[parent[at] ?? at] ?? at;
        at = parent[at] ?? at;
      }
      return at;
    };
    const keyOwner = new Map<string, number>();
    for (const [node, names] of printed.entries()) {
      for (const key of names.flatMap(nameKeys)) {
        const owner = keyOwner.get(key);
        if (owner === undefined) keyOwner.set(key, node);
        else {
          const [x, y] = [find(owner), find(node)];
          parent[Math.max(x, y)] = Math.min(x, y);
        }
      }
      if (node % CHUNK === CHUNK - 1) yield;
    }
    // One group per person, in order of first appearance (a root comes before its set), so its spellings are in that order too.
    const groups = new Map<number, number[]>();
    for (let node = 0; node < printed.length; node += 1) {
      const root = find(node);
      if (root === node) groups.set(node, [node]);
      else groups.get(root)?.push(node);
      if (node % CHUNK === CHUNK - 1) yield;
    }
    yield;
    const found: Array<{ person: Person; nodes: number[]; parts: string; ordinals: number[] }> = [];
    for (const nodes of groups.values()) {
      const names = nodes.flatMap((node) => printed[node] ?? []);
      const ordinals = [...new Set(nodes.flatMap((node) => nodePapers[node] ?? []))].sort((a, b) => a - b);
      const name = preferredSpelling(names);
      const parts = [...new Set(names.flatMap(nameParts))].join(' ');
      found.push({ person: { key: personKey(name), name, paperCount: ordinals.length }, nodes, parts, ordinals });
      if (found.length % CHUNK === 0) yield;
    }
    found.sort((a, b) => b.person.paperCount - a.person.paperCount || compareCodeUnits(a.person.key, b.person.key));
    const numberOfNode = new Int32Array(printed.length);
    for (const [n, { nodes }] of found.entries()) for (const node of nodes) numberOfNode[node] = n;
    const byKey = new Map<string, number>();
    for (const [key, node] of keyOwner) byKey.set(key, numberOfNode[node] ?? 0);
    yield;
    const parts = new MiniSearch<number>({ ...PARTS_OPTIONS, extractField: (n, field) => (field === 'id' ? n : found[n]?.parts) });
    yield* addAllPaced(parts, found.length, CHUNK);
    const papersOf = found.map(({ ordinals }) => Int32Array.from(ordinals));
    const peopleOf = nodesOfPaper.map((nodes) => Int32Array.from(new Set(nodes.map((node) => numberOfNode[node] ?? 0))));
    return new People(papers, { people: found.map(({ person }) => person), byKey, papersOf, peopleOf }, parts);
  }

  /** The people `save` saved for these papers; throws when the saved parts do not fit them. */
  static load(papers: readonly Paper[], saved: SavedPeople): People {
    const { people, byKey, papersOf, peopleOf } = saved;
    if (!Array.isArray(people) || !(byKey instanceof Map) || papersOf?.length !== people.length || peopleOf?.length !== papers.length) {
      throw new Error(`search: saved people do not fit these ${papers.length} papers; rebuild the index`);
    }
    return new People(papers, { people, byKey, papersOf, peopleOf }, loadMiniSearch(saved.parts, PARTS_OPTIONS));
  }

  /** What `load` needs besides the papers. */
  save(): SavedPeople {
    return { ...this.tables, parts: saveMiniSearch(this.parts) };
  }

  /** The one person `match` finds; null when it finds none or several. */
  resolve(input: string): Person | null {
    const { people } = this.match(input, 2);
    return people.length === 1 ? (people[0] ?? null) : null;
  }

  /** Who `input` may mean, at most `limit`: a key or spelling, else name parts starting with every word, else (not `exact`) close spellings. */
  match(input: string, limit: number): { people: Person[]; exact: boolean } {
    if (typeof input !== 'string') return { people: [], exact: false };
    const text = input.slice(0, MAX_NAME_CHARS);
    const count = clampInt(limit, 0, MAX_LIMIT, 0);
    const exact = [...new Set(nameKeys(text).map((key) => this.tables.byKey.get(key)).filter((n) => n !== undefined))].sort((a, b) => a - b);
    const prefixed = exact.length > 0 ? exact.slice(0, count) : this.#matching(text, count, false);
    if (prefixed.length > 0) return { people: this.#persons(prefixed), exact: true };
    return { people: this.#persons(this.#matching(text, count, true)), exact: false };
  }

  /** True when `input` spells the person's name in full (any spelling or key), not only a prefix of it. */
  isSpellingOf(input: string, personKey: string): boolean {
    if (typeof input !== 'string' || typeof personKey !== 'string') return false;
    const n = this.tables.byKey.get(personKey);
    return n !== undefined && nameKeys(input.slice(0, MAX_NAME_CHARS)).some((spelled) => this.tables.byKey.get(spelled) === n);
  }

  /** People for autocomplete (value: the key): name parts starting with every word, else close spellings; no input, the most prolific. */
  suggest(input: string, limit: number): Suggestion[] {
    const text = typeof input === 'string' ? input.slice(0, MAX_SUGGEST_CHARS) : '';
    const count = clampInt(limit, 0, MAX_LIMIT, 0);
    const prolific = Array.from({ length: Math.min(count, this.tables.people.length) }, (_, n) => n);
    const numbers = foldedWords(text).length === 0 ? prolific : this.#matching(text, count, false);
    const found = numbers.length > 0 ? numbers : this.#matching(text, count, true);
    return this.#persons(found).map((person) => ({ name: person.name, value: person.key }));
  }

  /** All papers of a person (key or any spelling), newest first. */
  papersOf(person: string): Paper[] {
    return Array.from(this.ordinalsOf(this.resolve(person)?.key ?? ''), (ordinal) => this.#paperAt(ordinal));
  }

  /** The index ordinals of a person's papers (by key), ascending; empty when unknown. */
  ordinalsOf(key: string): Int32Array {
    return this.tables.papersOf[this.tables.byKey.get(key) ?? -1] ?? new Int32Array(0);
  }

  /** A person's coauthors (key or any spelling) with the papers they share, most first, ties by name. */
  coauthorsOf(person: string, limit = 10): Array<{ person: Person; shared: number }> {
    const self = this.tables.byKey.get(this.resolve(person)?.key ?? '');
    if (self === undefined) return [];
    const shared = new Map<number, number>();
    for (const ordinal of this.tables.papersOf[self] ?? []) {
      for (const other of this.tables.peopleOf[ordinal] ?? []) if (other !== self) shared.set(other, (shared.get(other) ?? 0) + 1);
    }
    return [...shared.entries()]
      .map(([n, count]) => ({ person: this.tables.people[n] as Person, shared: count }))
      .sort((a, b) => b.shared - a.shared || compareCodeUnits(a.person.name, b.person.name) || compareCodeUnits(a.person.key, b.person.key))
      .slice(0, clampInt(limit, 0, Number.MAX_SAFE_INTEGER, 10));
  }

  /** The papers two people share, newest first. */
  sharedPapers(a: string, b: string): Paper[] {
    const right = new Set(this.ordinalsOf(this.resolve(b)?.key ?? ''));
    return Array.from(this.ordinalsOf(this.resolve(a)?.key ?? '')).filter((ordinal) => right.has(ordinal)).map((ordinal) => this.#paperAt(ordinal));
  }

  // At most `limit` person numbers whose parts start with every word (with `typos`, or close to it), best score, then most prolific, first.
  #matching(input: string, limit: number, typos: boolean): number[] {
    const words = foldedWords(input);
    if (words.length === 0 || limit <= 0) return [];
    const results = this.parts.search(
      { combineWith: 'AND', queries: words },
      { prefix: true, fuzzy: typos ? typoRatio : false, maxFuzzy: MAX_TYPOS, tokenize: (text) => [text], processTerm: (term) => term },
    );
    const byScore = new Map(results.map((result) => [result.id as number, typos ? result.score : 0]));
    return [...byScore.keys()]
      .sort((a, b) => (byScore.get(b) ?? 0) - (byScore.get(a) ?? 0) || a - b)
      .slice(0, limit);
  }

  #paperAt(ordinal: number): Paper {
    const paper = this.papers[ordinal];
    if (paper === undefined) throw new Error(`people: no paper at ordinal ${ordinal}`);
    return paper;
  }

  #persons(numbers: readonly number[]): Person[] {
    return numbers.map((n) => this.tables.people[n]).filter((person): person is Person => person !== undefined);
  }
}
