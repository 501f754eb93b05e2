/**
 * The papers already announced (or in the baseline), and how a paper is recognised as one of them.
 * Ids are derived from the folded title (src/corpus/ids.ts), so correcting a title's spelling changes
 * the id; such a paper is still the same paper. A paper counts as seen when any of these match:
 * its id; its normalized title; its abstract (folded, hashed; a retitle keeps the abstract);
 * or its date and first author together with a title that differs by little (a typo fixed).
 * Every key is folded with `foldIdentity`, as ids are, so keys stored by earlier versions still match.
 */
import { createHash } from 'node:crypto';
import { foldIdentity } from '../corpus/names.js';
import type { Paper } from '../corpus/schema.js';

/** How alike two titles of one date and first author must be (character-bigram Dice, 0–1) to be one paper. */
export const RETITLE_SIMILARITY = 0.7;

/** The record's lists, as stored. */
export interface SeenLists {
  announcedIds: string[];
  announcedTitles: string[];
  /** Hashes of folded abstracts. */
  announcedAbstracts: string[];
  /** `date|first author key|normalized title`. */
  announcedSignatures: string[];
}

/** The set of papers seen, matched by any of their keys. */
export class SeenPapers {
  readonly #ids: Set<string>;
  readonly #titles: Set<string>;
  readonly #abstracts: Set<string>;
  readonly #signatures: Set<string>;
  /** `date|first author key` → normalized titles seen with it. */
  readonly #titlesByAuthorDay = new Map<string, string[]>();

  constructor(lists: SeenLists = { announcedIds: [], announcedTitles: [], announcedAbstracts: [], announcedSignatures: [] }) {
    this.#ids = new Set(lists.announcedIds);
    this.#titles = new Set(lists.announcedTitles);
    this.#abstracts = new Set(lists.announcedAbstracts);
    this.#signatures = new Set();
    for (const signature of lists.announcedSignatures) this.#addSignature(signature);
  }

  /** True when the paper is one already seen, under any of its keys. */
  has(paper: Paper): boolean {
    const keys = keysOf(paper);
    if (this.#ids.has(paper.id) || this.#titles.has(keys.title)) return true;
    if (keys.abstract !== null && this.#abstracts.has(keys.abstract)) return true;
    const sameDay = this.#titlesByAuthorDay.get(keys.authorDay) ?? [];
    return sameDay.some((title) => titleSimilarity(title, keys.title) >= RETITLE_SIMILARITY);
  }

  /** Records every key of the paper; true when any key was not known before. */
  add(paper: Paper): boolean {
    const keys = keysOf(paper);
    let added = addTo(this.#ids, paper.id);
    added = addTo(this.#titles, keys.title) || added;
    if (keys.abstract !== null) added = addTo(this.#abstracts, keys.abstract) || added;
    return this.#addSignature(`${keys.authorDay}|${keys.title}`) || added;
  }

  /** The lists to store, sorted so the file is stable. */
  toLists(): SeenLists {
    return {
      announcedIds: [...this.#ids].sort(),
      announcedTitles: [...this.#titles].sort(),
      announcedAbstracts: [...this.#abstracts].sort(),
      announcedSignatures: [...this.#signatures].sort(),
    };
  }

  #addSignature(signature: string): boolean {
    if (this.#signatures.has(signature)) return false;
    this.#signatures.add(signature);
    const cut = signature.lastIndexOf('|');
    const authorDay = signature.slice(0, cut);
    const titles = this.#titlesByAuthorDay.get(authorDay) ?? [];
    titles.push(signature.slice(cut + 1));
    this.#titlesByAuthorDay.set(authorDay, titles);
    return true;
  }
}

/** Character-bigram Dice coefficient of two normalized titles (1 = same bigrams, 0 = none shared). */
export function titleSimilarity(a: string, b: string): number {
  if (a === b) return 1;
  const left = bigrams(a);
  const right = bigrams(b);
  if (left.size === 0 || right.size === 0) return 0;
  let shared = 0;
  for (const [gram, count] of left) shared += Math.min(count, right.get(gram) ?? 0);
  const total = [...left.values(), ...right.values()].reduce((sum, count) => sum + count, 0);
  return (2 * shared) / total;
}

function keysOf(paper: Paper): { title: string; abstract: string | null; authorDay: string } {
  const abstract = foldIdentity(paper.abstract);
  return {
    title: foldIdentity(paper.title),
    // Short abstracts ("no abstract") are too common to identify a paper.
    abstract: abstract.length >= MIN_ABSTRACT_CHARS ? createHash('sha1').update(abstract, 'utf8').digest('hex').slice(0, 20) : null,
    authorDay: `${paper.date}|${foldIdentity(paper.authors[0] ?? '')}`,
  };
}

function bigrams(text: string): Map<string, number> {
  const grams = new Map<string, number>();
  for (let i = 0; i + 2 <= text.length; i += 1) {
    const gram = text.slice(i, i + 2);
    grams.set(gram, (grams.get(gram) ?? 0) + 1);
  }
  return grams;
}

function addTo(set: Set<string>, value: string): boolean {
  if (set.has(value)) return false;
  set.add(value);
  return true;
}

const MIN_ABSTRACT_CHARS = 80;
