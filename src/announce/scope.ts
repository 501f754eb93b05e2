/**
 * What one scope (a server, or the follows) has seen, in memory and in the database (src/db/seen.ts): its keys, read
 * once; its baseline, taken from its first corpus; and, for each later corpus, the new keys of the papers it has seen
 * (an abstract reworded) and of the corrected versions of gone papers (src/announce/seen.ts). What it has not seen
 * is pending, oldest first.
 */
import type { Kysely } from 'kysely';
import type { Corpus, Paper } from '../corpus/schema.js';
import type { Database } from '../db/schema.js';
import { hasBaseline, rememberKeys, seenKeys, takeBaseline, type SeenKey } from '../db/seen.js';
import { SeenPapers, type Retitle } from './seen.js';

/** One scope's seen papers. */
export class SeenScope {
  /** The corpus last taken in: papers unchanged since need no new keys. */
  reconciled: Corpus | null = null;

  private constructor(readonly name: string, public seen: SeenPapers, public baselined: boolean) {}

  /** The scope as stored (papers remembered before its baseline included). */
  static async load(db: Kysely<Database>, name: string): Promise<SeenScope> {
    // The baseline first: keys read after it include a baseline another process took meanwhile.
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
    const previous = this.reconciled?.papers;
    const changed = await this.seen.refresh(corpus.papers, previous);
    const retitles = this.seen.classify(corpus.papers, previous).retitles;
    for (const retitle of retitles) this.seen.add(retitle.paper);
    const papers = [...changed, ...retitles.map((retitle) => retitle.paper)];
    if (papers.length > 0) await rememberKeys(db, this.name, keysOf(papers), now);
    this.reconciled = corpus;
    return retitles;
  }

  /** Records `papers` as seen here, in the database and then in memory. */
  async remember(db: Kysely<Database>, papers: readonly Paper[], now: number): Promise<void> {
    await rememberKeys(db, this.name, keysOf(papers), now);
    for (const paper of papers) this.seen.add(paper);
  }
}

/** Papers of `corpus` to announce (neither seen nor a retitle of a gone paper: src/announce/seen.ts), oldest first. */
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
