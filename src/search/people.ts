/**
 * The people of a corpus: everyone printed as an author plus every page owner (who is an author of all
 * of the page's papers, even those cut short by "et al."). Spellings that share a name key (`nameKeys`:
 * "Matthäus" answers to `matthaus` and `matthaeus`, "Matthaeus" to `matthaeus`) are one person, joined
 * across the whole corpus; a person's key is the key of the spelling shown. People are numbered most
 * prolific first, so the prefix walk yields them best first.
 */
import { nameKeys, nameParts, personKey, preferredSpelling } from '../corpus/names.js';
import type { Paper } from '../corpus/schema.js';
import { PrefixIndex, compareCodeUnits } from './prefix.js';
import { foldedWords } from './text.js';
import type { Coauthor, Person } from './types.js';

/** How many candidate people a name prefix may visit before the walk stops. */
const SUGGEST_BUDGET = 5_000;

/** People, their papers (as paper ordinals, ascending) and who wrote with whom. */
export class PersonRegistry {
  /** Most papers first, ties by key. */
  readonly #people: Person[];
  /** Every key of every spelling → its person's number. */
  readonly #byKey: Map<string, number>;
  /** Paper ordinals of each person, ascending. */
  readonly #papersOf: Int32Array[];
  /** Person numbers of each paper. */
  readonly #peopleOf: Int32Array[];
  /** `' ' + parts.join(' ')` per person, over all its spellings: "does a part start with t" is `includes(' ' + t)`. */
  readonly #partsText: string[];
  readonly #parts: PrefixIndex;

  private constructor(people: Person[], spellings: string[][], byKey: Map<string, number>, papersOf: Int32Array[], peopleOf: Int32Array[]) {
    this.#people = people;
    this.#papersOf = papersOf;
    this.#peopleOf = peopleOf;
    this.#byKey = byKey;
    const partsOf = spellings.map((names) => [...new Set(names.flatMap(nameParts))]);
    this.#partsText = partsOf.map((parts) => ` ${parts.join(' ')}`);
    this.#parts = PrefixIndex.build(
      (function* entries(): Generator<[string, number]> {
        for (const [n, parts] of partsOf.entries()) for (const part of parts) yield [part, n];
      })(),
    );
  }

  /** Builds the registry from papers in ordinal order (authors plus owners of each). */
  static build(papers: readonly Paper[]): PersonRegistry {
    // Each distinct spelling key is a node; nodes are numbered in order of first appearance.
    const nodeOf = new Map<string, number>();
    const printed: string[][] = [];
    const nodePapers: number[][] = [];
    const nodesOfPaper: number[][] = [];
    for (const [ordinal, paper] of papers.entries()) {
      const nodes = new Set<number>();
      for (const name of [...paper.authors, ...paper.owners]) {
        const key = personKey(name);
        if (key === '') continue;
        let node = nodeOf.get(key);
        if (node === undefined) {
          node = printed.length;
          nodeOf.set(key, node);
          printed.push([]);
          nodePapers.push([]);
        }
        const names = printed[node] ?? [];
        if (!names.includes(name)) names.push(name);
        if (nodes.has(node)) continue;
        nodes.add(node);
        nodePapers[node]?.push(ordinal);
      }
      nodesOfPaper.push([...nodes]);
    }
    const sets = new DisjointSets(printed.length);
    const keyOwner = new Map<string, number>();
    for (const [node, names] of printed.entries()) {
      for (const key of names.flatMap(nameKeys)) {
        const owner = keyOwner.get(key);
        if (owner === undefined) keyOwner.set(key, node);
        else sets.union(owner, node);
      }
    }
    // One group per person, in order of first appearance, so its spellings are in that order too.
    const groups = new Map<number, number[]>();
    for (let node = 0; node < printed.length; node += 1) {
      const root = sets.find(node);
      const group = groups.get(root);
      if (group === undefined) groups.set(root, [node]);
      else group.push(node);
    }
    const found = [...groups.values()].map((nodes) => {
      const names = nodes.flatMap((node) => printed[node] ?? []);
      const ordinals = [...new Set(nodes.flatMap((node) => nodePapers[node] ?? []))].sort((a, b) => a - b);
      const name = preferredSpelling(names);
      return { person: { key: personKey(name), name, paperCount: ordinals.length }, nodes, names, ordinals };
    });
    found.sort((a, b) => b.person.paperCount - a.person.paperCount || compareCodeUnits(a.person.key, b.person.key));
    const numberOfNode = new Int32Array(printed.length);
    for (const [n, { nodes }] of found.entries()) for (const node of nodes) numberOfNode[node] = n;
    const byKey = new Map<string, number>();
    for (const [key, node] of keyOwner) byKey.set(key, numberOfNode[node] ?? 0);
    return new PersonRegistry(
      found.map(({ person }) => person),
      found.map(({ names }) => names),
      byKey,
      found.map(({ ordinals }) => Int32Array.from(ordinals)),
      nodesOfPaper.map((nodes) => Int32Array.from(new Set(nodes.map((node) => numberOfNode[node] ?? 0)))),
    );
  }

  /** Number of people. */
  get size(): number {
    return this.#people.length;
  }

  /** A person by any key of any of its spellings. */
  byKey(key: string): Person | undefined {
    const n = this.#byKey.get(key);
    return n === undefined ? undefined : this.#people[n];
  }

  /** The person meant by a key, any spelling, or a prefix of name parts that fits one person only. */
  resolve(input: string): Person | null {
    const exact = new Set(nameKeys(input).map((key) => this.#byKey.get(key)).filter((n) => n !== undefined));
    if (exact.size === 1) return this.#people[[...exact][0] ?? 0] ?? null;
    const found = this.#matching(input, 2);
    return found.length === 1 ? (this.#people[found[0] ?? 0] ?? null) : null;
  }

  /** True when `input` is a spelling (or key) of the person with key `key`, not just a prefix of their name. */
  isSpellingOf(input: string, key: string): boolean {
    const n = this.#byKey.get(key);
    return n !== undefined && nameKeys(input).some((spelled) => this.#byKey.get(spelled) === n);
  }

  /** People whose name parts start with every word of the input, most prolific first; empty input: the most prolific. */
  suggest(input: string, limit: number): Person[] {
    const numbers = foldedWords(input).length === 0 ? range(Math.min(limit, this.#people.length)) : this.#matching(input, limit);
    return numbers.map((n) => this.#people[n]).filter((person): person is Person => person !== undefined);
  }

  /** Paper ordinals of a person (by key), ascending; empty when unknown. */
  papersOf(key: string): Int32Array {
    const n = this.#byKey.get(key);
    return (n === undefined ? undefined : this.#papersOf[n]) ?? new Int32Array(0);
  }

  /** The person numbers on a paper. */
  peopleOf(ordinal: number): Int32Array {
    return this.#peopleOf[ordinal] ?? new Int32Array(0);
  }

  /** Coauthors of a person ranked by shared papers, ties by name. */
  coauthorsOf(key: string, limit: number): Coauthor[] {
    const self = this.#byKey.get(key);
    if (self === undefined) return [];
    const shared = new Map<number, number>();
    for (const ordinal of this.papersOf(key)) {
      for (const other of this.peopleOf(ordinal)) if (other !== self) shared.set(other, (shared.get(other) ?? 0) + 1);
    }
    return [...shared.entries()]
      .map(([n, count]) => ({ person: this.#people[n] as Person, shared: count }))
      .sort((a, b) => b.shared - a.shared || compareCodeUnits(a.person.name, b.person.name) || compareCodeUnits(a.person.key, b.person.key))
      .slice(0, limit);
  }

  /** The paper ordinals two people share, ascending. */
  shared(a: string, b: string): number[] {
    const left = this.papersOf(a);
    const right = this.papersOf(b);
    const both: number[] = [];
    let i = 0;
    let j = 0;
    while (i < left.length && j < right.length) {
      const x = left[i] ?? 0;
      const y = right[j] ?? 0;
      if (x === y) both.push(x);
      if (x <= y) i += 1;
      if (y <= x) j += 1;
    }
    return both;
  }

  // Person numbers whose parts start with every word of `input`, ascending, at most `limit`.
  #matching(input: string, limit: number): number[] {
    const words = foldedWords(input);
    if (words.length === 0 || limit <= 0) return [];
    const found: number[] = [];
    this.#parts.walkMatching(
      words,
      (n) => this.#partsText[n] ?? '',
      (n) => {
        found.push(n);
        return found.length < limit;
      },
      SUGGEST_BUDGET,
    );
    return found;
  }
}

/** Union-find over 0 … size - 1, with path halving. */
class DisjointSets {
  readonly #parent: Int32Array;

  constructor(size: number) {
    this.#parent = Int32Array.from({ length: size }, (_, i) => i);
  }

  /** The representative of `x`'s set. */
  find(x: number): number {
    let at = x;
    while ((this.#parent[at] ?? at) !== at) {
      const grand = this.#parent[this.#parent[at] ?? at] ?? at;
      this.#parent[at] = grand;
      at = grand;
    }
    return at;
  }

  /** Joins the sets of `a` and `b`; the smaller representative stays. */
  union(a: number, b: number): void {
    const x = this.find(a);
    const y = this.find(b);
    if (x !== y) this.#parent[Math.max(x, y)] = Math.min(x, y);
  }
}

// 0 … count - 1.
function range(count: number): number[] {
  return Array.from({ length: count }, (_, i) => i);
}
