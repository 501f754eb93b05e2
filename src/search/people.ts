/**
 * The people of a corpus: everyone printed as an author plus every page owner (who is an author of all
 * of the page's papers, even those cut short by "et al."), one entry per person key however the name is
 * spelled. People are numbered most prolific first, so the prefix walk yields them best first.
 */
import { nameParts, personKey, preferredSpelling } from '../corpus/names.js';
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
  readonly #byKey: Map<string, number>;
  /** Paper ordinals of each person, ascending. */
  readonly #papersOf: Int32Array[];
  /** Person numbers of each paper. */
  readonly #peopleOf: Int32Array[];
  /** `' ' + parts.join(' ')` per person: "does a part start with t" is `includes(' ' + t)`. */
  readonly #partsText: string[];
  readonly #parts: PrefixIndex;

  private constructor(people: Person[], papersOf: Int32Array[], peopleOf: Int32Array[]) {
    this.#people = people;
    this.#papersOf = papersOf;
    this.#peopleOf = peopleOf;
    this.#byKey = new Map(people.map((person, n) => [person.key, n]));
    this.#partsText = people.map((person) => ` ${nameParts(person.name).join(' ')}`);
    this.#parts = PrefixIndex.build(
      (function* entries(): Generator<[string, number]> {
        for (const [n, person] of people.entries()) for (const part of nameParts(person.name)) yield [part, n];
      })(),
    );
  }

  /** Builds the registry from papers in ordinal order (authors plus owners of each). */
  static build(papers: readonly Paper[]): PersonRegistry {
    const spellings = new Map<string, string[]>();
    const ordinals = new Map<string, number[]>();
    const keysOfPaper: string[][] = [];
    for (const [ordinal, paper] of papers.entries()) {
      const keys = new Set<string>();
      for (const name of [...paper.authors, ...paper.owners]) {
        const key = personKey(name);
        if (key === '') continue;
        const seen = spellings.get(key);
        if (seen === undefined) spellings.set(key, [name]);
        else if (!seen.includes(name)) seen.push(name);
        if (keys.has(key)) continue;
        keys.add(key);
        const list = ordinals.get(key);
        if (list === undefined) ordinals.set(key, [ordinal]);
        else list.push(ordinal);
      }
      keysOfPaper.push([...keys]);
    }
    const people = [...spellings.entries()]
      .map(([key, names]) => ({ key, name: preferredSpelling(names), paperCount: ordinals.get(key)?.length ?? 0 }))
      .sort((a, b) => b.paperCount - a.paperCount || compareCodeUnits(a.key, b.key));
    const number = new Map(people.map((person, n) => [person.key, n]));
    const papersOf = people.map((person) => Int32Array.from(ordinals.get(person.key) ?? []));
    const peopleOf = keysOfPaper.map((keys) => Int32Array.from(keys, (key) => number.get(key) ?? 0));
    return new PersonRegistry(people, papersOf, peopleOf);
  }

  /** Number of people. */
  get size(): number {
    return this.#people.length;
  }

  /** A person by exact key. */
  byKey(key: string): Person | undefined {
    const n = this.#byKey.get(key);
    return n === undefined ? undefined : this.#people[n];
  }

  /** The person meant by a key, any spelling, or a prefix of name parts that fits one person only. */
  resolve(input: string): Person | null {
    const exact = this.byKey(personKey(input));
    if (exact !== undefined) return exact;
    const found = this.#matching(input, 2);
    return found.length === 1 ? (this.#people[found[0] ?? 0] ?? null) : null;
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

// 0 … count - 1.
function range(count: number): number[] {
  return Array.from({ length: count }, (_, i) => i);
}
