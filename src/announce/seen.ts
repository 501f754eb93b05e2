/** The papers already announced in a scope (a server, or the follows), by id, title or as a retitle; and the older announced.json, imported once. */
import { createHash } from 'node:crypto';
import { readFile, rename } from 'node:fs/promises';
import { join } from 'node:path';
import { setImmediate } from 'node:timers/promises';
import type { Kysely } from 'kysely';
import { z } from 'zod';
import { paperId, titleKey } from '../corpus/ids.js';
import { foldIdentity } from '../corpus/names.js';
import type { Corpus, Paper } from '../corpus/schema.js';
import type { Database } from '../db/schema.js';
import { hasBaseline, rememberKeys, seenKeys, takeBaseline, type SeenKey, type SeenKind } from '../db/seen.js';
import { backgroundTurn } from '../foreground.js';
import { pushTo } from './messages.js';
import { isCode } from './retry.js';

/** How alike two titles of one date and first author must be (character-bigram Dice, 0–1) to be one paper. */
export const RETITLE_SIMILARITY = 0.7;

/** A paper recognised as a corrected version of an announced paper that has left the corpus. */
export interface Retitle {
  paper: Paper;
  /** The gone paper's title as last shown, else as recorded; null when an old record kept only its abstract. */
  previousTitle: string | null;
  matchedBy: 'abstract' | 'title';
}

/** The set of papers seen, matched by any of their keys. */
export class SeenPapers {
  // Every key by kind: an abstract is `hash of the folded abstract|normalized title of its paper` (older records: the hash
  // alone), a signature `date|first author key|normalized title`.
  readonly #keys: Record<SeenKind, Set<string>> = { id: new Set(), title: new Set(), abstract: new Set(), signature: new Set() };
  /** Abstract hash → normalized titles of the papers that had it (null: an older record that did not say). */
  readonly #ownersByAbstract = new Map<string, Array<string | null>>();
  /** `date|first author key` → normalized titles seen with it. */
  readonly #titlesByAuthorDay = new Map<string, string[]>();

  constructor(keys: Iterable<SeenKey> = []) {
    for (const { kind, value } of keys) this.#add(kind, value);
  }

  /** True when this very paper (its id or normalized title) was recorded. */
  has(paper: Paper): boolean {
    return this.#keys.id.has(paper.id) || this.#keys.title.has(titleKey(paper.title));
  }

  /** Sorts a whole corpus into new papers (to announce) and retitles of gone ones; `previous` lends the gone ones' titles. */
  classify(papers: readonly Paper[], previous: readonly Paper[] = []): { fresh: Paper[]; retitles: Retitle[] } {
    // An id is derived from the title key, and the ids are at hand.
    const presentIds = new Set(papers.map((paper) => paper.id));
    const present = (title: string): boolean => presentIds.has(paperId(title));
    // Counted once, on first need (only an older record's abstracts ask, rarely), from keys prepareKeys has worked out.
    let abstractCounts: Map<string | null, number> | null = null;
    const abstractCount = (hash: string): number => {
      abstractCounts ??= papers.reduce((counts, paper) => {
        const key = paperKeys(paper).abstract;
        return counts.set(key, (counts.get(key) ?? 0) + 1);
      }, new Map<string | null, number>());
      return abstractCounts.get(hash) ?? 0;
    };
    const unseen = [...new Map(papers.filter((paper) => !this.has(paper)).map((paper) => [paper.id, paper])).values()];
    // Only a recorded paper that has left the corpus can have been retitled; usually none has.
    if (unseen.length === 0 || [...this.#keys.id].every((id) => presentIds.has(id))) return { fresh: unseen, retitles: [] };
    const candidates: Array<{ paper: Paper; gone: string; previousKey: string | null; matchedBy: Retitle['matchedBy']; score: number }> = [];
    for (const paper of unseen) {
      const keys = paperKeys(paper);
      if (keys.abstract !== null) {
        for (const owner of this.#ownersByAbstract.get(keys.abstract) ?? []) {
          // An older record did not say whose abstract it was: gone when no other paper present has it.
          const gone = owner === null ? abstractCount(keys.abstract) === 1 : !present(owner);
          if (gone) candidates.push({ paper, gone: owner ?? `abstract:${keys.abstract}`, previousKey: owner, matchedBy: 'abstract', score: 2 });
        }
      }
      for (const title of this.#titlesByAuthorDay.get(keys.authorDay) ?? []) {
        const score = titleSimilarity(title, keys.title);
        if (score >= RETITLE_SIMILARITY && !present(title)) candidates.push({ paper, gone: title, previousKey: title, matchedBy: 'title', score });
      }
    }
    // Best matches first; each paper replaces at most one gone paper, and each gone paper is replaced at most once.
    candidates.sort((a, b) => b.score - a.score || a.paper.id.localeCompare(b.paper.id) || a.gone.localeCompare(b.gone));
    const previousTitles = new Map(previous.map((paper) => [titleKey(paper.title), paper.title]));
    const retitled = new Set<Paper>();
    const replaced = new Set<string>();
    const retitles: Retitle[] = [];
    for (const candidate of candidates) {
      if (retitled.has(candidate.paper) || replaced.has(candidate.gone)) continue;
      retitled.add(candidate.paper);
      replaced.add(candidate.gone);
      const previousTitle = candidate.previousKey === null ? null : (previousTitles.get(candidate.previousKey) ?? candidate.previousKey);
      retitles.push({ paper: candidate.paper, previousTitle, matchedBy: candidate.matchedBy });
    }
    return { fresh: unseen.filter((paper) => !retitled.has(paper)), retitles };
  }

  /** Records every key of the paper; true when any key was not known before. */
  add(paper: Paper): boolean {
    const keys = paperKeys(paper);
    let added = this.#add('id', paper.id);
    added = this.#add('title', keys.title) || added;
    if (keys.abstract !== null) added = this.#add('abstract', `${keys.abstract}|${keys.title}`) || added;
    return this.#add('signature', `${keys.authorDay}|${keys.title}`) || added;
  }

  /** Every key, as stored (src/db/seen.ts). */
  keys(): SeenKey[] {
    return Object.entries(this.#keys).flatMap(([kind, values]) => [...values].map((value) => ({ kind: kind as SeenKind, value })));
  }

  // Records one key, indexing abstracts and signatures; false when it was known.
  #add(kind: SeenKind, value: string): boolean {
    if (this.#keys[kind].has(value)) return false;
    this.#keys[kind].add(value);
    if (kind === 'abstract') {
      const cut = value.indexOf('|');
      pushTo(this.#ownersByAbstract, cut < 0 ? value : value.slice(0, cut), cut < 0 ? null : value.slice(cut + 1));
    } else if (kind === 'signature') {
      const cut = value.lastIndexOf('|');
      pushTo(this.#titlesByAuthorDay, value.slice(0, cut), value.slice(cut + 1));
    }
    return true;
  }
}

/** One scope's seen papers, read once from the database. */
export class SeenScope {
  /** The corpus last taken in: papers unchanged since need no new keys. */
  reconciled: Corpus | null = null;

  private constructor(readonly name: string, public seen: SeenPapers, public baselined: boolean) {}

  /** The scope as stored. */
  static async load(db: Kysely<Database>, name: string): Promise<SeenScope> {
    // The baseline first: keys read after it include one another process took meanwhile.
    const baselined = await hasBaseline(db, name);
    return new SeenScope(name, new SeenPapers(await seenKeys(db, name)), baselined);
  }

  /** Takes `papers` as the baseline unless another process took one first (then its keys are read); true when this one took it. */
  async takeBaseline(db: Kysely<Database>, papers: readonly Paper[], corpus: Corpus, now: number): Promise<boolean> {
    const took = await takeBaseline(db, this.name, keysOf(papers), papers.length, now);
    if (took) for (const paper of papers) this.seen.add(paper);
    else this.seen = new SeenPapers(await seenKeys(db, this.name));
    this.baselined = true;
    this.reconciled = corpus;
    return took;
  }

  /** Records the new keys `corpus` brings for papers seen, and its retitles of gone papers; returns the retitles. */
  async takeIn(db: Kysely<Database>, corpus: Corpus, now: number): Promise<Retitle[]> {
    if (this.reconciled === corpus) return [];
    const previous = this.reconciled?.papers ?? [];
    const before = new Map(previous.map((paper) => [paper.id, paper]));
    // New keys (an abstract reworded, a date fixed) of seen papers changed since; folding abstracts is slow: yield often.
    const withNewKeys: Paper[] = [];
    await inSlices(corpus.papers, setImmediate, (paper) => {
      const earlier = before.get(paper.id);
      const unchanged = earlier !== undefined && earlier.title === paper.title && earlier.abstract === paper.abstract && earlier.date === paper.date && earlier.authors[0] === paper.authors[0];
      if (!unchanged && this.seen.has(paper) && this.seen.add(paper)) withNewKeys.push(paper);
    });
    const retitles = this.seen.classify(corpus.papers, previous).retitles;
    for (const retitle of retitles) if (this.seen.add(retitle.paper)) withNewKeys.push(retitle.paper);
    if (withNewKeys.length > 0) await rememberKeys(db, this.name, keysOf(withNewKeys), now);
    this.reconciled = corpus;
    return retitles;
  }

  /** Records `papers` as seen here, in the database and then in memory. */
  async remember(db: Kysely<Database>, papers: readonly Paper[], now: number): Promise<void> {
    await rememberKeys(db, this.name, keysOf(papers), now);
    for (const paper of papers) this.seen.add(paper);
  }
}

/** Papers of `corpus` to announce (neither seen nor a retitle), oldest first. */
export function pendingPapers(corpus: Corpus, seen: SeenPapers): Paper[] {
  return seen.classify(corpus.papers).fresh.sort(oldestFirst);
}

/** Date ascending, then title, then id: a stable order for announcing. */
export function oldestFirst(a: Paper, b: Paper): number {
  return a.date.localeCompare(b.date) || a.title.localeCompare(b.title) || a.id.localeCompare(b.id);
}

/** The keys a set of papers is recognised by, as stored in the database. */
export function keysOf(papers: Iterable<Paper>): SeenKey[] {
  const seen = new SeenPapers();
  for (const paper of papers) seen.add(paper);
  return seen.keys();
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

interface PaperKeys {
  title: string;
  abstract: string | null;
  authorDay: string;
}

// Papers are never changed once read: each one's keys are worked out once, folded as ids are (so stored keys match).
const keysByPaper = new WeakMap<Paper, PaperKeys>();

function paperKeys(paper: Paper): PaperKeys {
  let keys = keysByPaper.get(paper);
  if (keys === undefined) {
    keys = { title: titleKey(paper.title), abstract: abstractKey(paper), authorDay: `${paper.date}|${foldIdentity(paper.authors[0] ?? '')}` };
    keysByPaper.set(paper, keys);
  }
  return keys;
}

/** Works out the keys of `papers` ahead, a slice at a time between interactions: a 19 MB page brings 15,000 abstracts to fold. */
export async function prepareKeys(papers: readonly Paper[]): Promise<void> {
  await inSlices(papers, backgroundTurn, paperKeys);
}

// Runs `each` over `items`, handing the event loop back (`pause`) whenever a slice has run SLICE_MS.
async function inSlices<T>(items: readonly T[], pause: () => Promise<unknown>, each: (item: T) => unknown): Promise<void> {
  let sliceStart = performance.now();
  for (const item of items) {
    each(item);
    if (performance.now() - sliceStart > SLICE_MS) {
      await pause();
      sliceStart = performance.now();
    }
  }
}

/** The file in STATE_DIR that holds the record. */
export const STATE_FILE = 'announced.json';

const AnnounceStateSchema = z.object({
  version: z.literal(1),
  baseline: z.boolean(),
  announcedIds: z.array(z.string()),
  announcedTitles: z.array(z.string()),
  // Later versions of the file added these.
  announcedAbstracts: z.array(z.string()).default([]),
  announcedSignatures: z.array(z.string()).default([]),
});

/** The record's keys as the database stores them, and how many papers it holds. */
export interface ImportedSeen {
  keys: SeenKey[];
  papers: number;
}

/** Reads the record from `stateDir`: null when there is none with a baseline; an invalid file is moved aside (kept). */
export async function loadState(stateDir: string): Promise<ImportedSeen | null> {
  const file = join(stateDir, STATE_FILE);
  const text = await readFile(file, 'utf8').catch((error: unknown) => (isCode(error, 'ENOENT') ? null : Promise.reject(error)));
  if (text === null) return null;
  let state: z.infer<typeof AnnounceStateSchema>;
  try {
    state = AnnounceStateSchema.parse(JSON.parse(text));
  } catch {
    await rename(file, `${file}.unreadable-${Date.now()}`);
    return null;
  }
  if (!state.baseline) return null;
  const byKind = { id: state.announcedIds, title: state.announcedTitles, abstract: state.announcedAbstracts, signature: state.announcedSignatures };
  const keys = Object.entries(byKind).flatMap(([kind, values]) => values.map((value) => ({ kind: kind as SeenKind, value })));
  return { keys, papers: state.announcedIds.length };
}

function abstractKey(paper: Paper): string | null {
  const abstract = foldIdentity(paper.abstract);
  // Short abstracts ("no abstract") are too common to identify a paper.
  return abstract.length >= MIN_ABSTRACT_CHARS ? createHash('sha1').update(abstract, 'utf8').digest('hex').slice(0, 20) : null;
}

function bigrams(text: string): Map<string, number> {
  const grams = new Map<string, number>();
  for (let i = 0; i + 2 <= text.length; i += 1) {
    const gram = text.slice(i, i + 2);
    grams.set(gram, (grams.get(gram) ?? 0) + 1);
  }
  return grams;
}

const MIN_ABSTRACT_CHARS = 80;
const SLICE_MS = 20;
