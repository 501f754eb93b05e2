/** One read of the sources for every member of lab.yaml into the cache; a member whose read fails keeps the last good works. */
import type { Kysely } from 'kysely';
import { matchTitleKey } from '../corpus/ids.js';
import { mergeWorks, originOf } from '../corpus/merge.js';
import { papersOwnedBy } from '../corpus/names.js';
import type { Corpus, Paper } from '../corpus/schema.js';
import type { Database } from '../db/schema.js';
import { cachedWorks, recordRead, replaceMemberWorks, sourceReads, type AuthorRecord } from '../db/works.js';
import type { Logger } from '../log.js';
import { withoutVersion, type ArxivEntry } from './arxiv.js';
import type { Sources } from './cache.js';
import type { Lab, LabMember } from './lab.js';
import { shortId, type Author } from './openalex.js';
import { cachedPaper, paperFromWork, withArxiv } from './papers.js';

export type SourceClients = Pick<Sources, 'openalex' | 'arxiv'>;

/** One member's read: the author chosen, the works as papers (null when the read failed), and what was left out. */
type MemberRead = { author: AuthorRecord | null; papers: Paper[] | null; skipped: string[]; error: string | null };

/** What one member's read found. */
interface MemberReport {
  member: string;
  /** The OpenAlex author read, and why that one. */
  author: AuthorRecord | null;
  /** Works read now (0 when the read failed: the cached works serve). */
  found: number;
  /** Of the member's works served: those merged with a page's or .bib file's paper, and those that are papers of their own. */
  merged: number;
  new: number;
  /** The member's page and .bib papers that matched no work. */
  unmatched: Array<{ title: string; file: string; line: number }>;
  /** Works left apart from a paper of the same title, and why. */
  ambiguous: Array<{ work: string; paper: string; file: string; reason: string }>;
  /** Works that could not be read as papers. */
  skipped: string[];
  error: string | null;
  /** The member's first successful read (its works are the baseline, not news). */
  first: boolean;
}

/** What a read of every source found. */
export interface SourcesReport {
  at: string;
  members: MemberReport[];
  /** arXiv's entries read, and why it failed (its categories then come from the cache). */
  arxiv: { entries: number; error: string | null };
  failed: boolean;
  /** The cached works after this read, every member's. */
  works: Paper[];
}

/** Reads every member's works now, writes them to the cache and reports. Never throws for a source's failure. */
export async function refreshSources(options: { lab: Lab; pages: Corpus; db: Kysely<Database>; clients: SourceClients; log: Logger }): Promise<SourcesReport> {
  const { lab, pages, db, clients, log } = options;
  const now = new Date();
  const at = now.getTime();
  const readOn = now.toISOString().slice(0, 10);
  const before = new Map((await sourceReads(db)).filter((r) => r.source === 'openalex').map((r) => [r.member, r]));
  const cached = await cachedWorks(db, cachedPaper);
  const reads: Array<MemberRead & { member: LabMember }> = [];
  for (const member of lab.members) {
    const read = await readMember(member, pages, clients, readOn).catch((error: unknown) => ({ author: null, papers: null, skipped: [], error: errorText(error) }));
    reads.push({ member, ...read });
  }
  const ids = reads.flatMap((read) => (read.papers ?? []).flatMap((paper) => (paper.arxivId ? [paper.arxivId] : [])));
  let entries = new Map<string, ArxivEntry>();
  const arxiv: SourcesReport['arxiv'] = { entries: 0, error: null };
  if (ids.length > 0) {
    try {
      const found = await clients.arxiv.entries(ids);
      entries = found.entries;
      for (const line of found.skipped) log.warn('sources: an arXiv entry was left out', { reason: line });
    } catch (error) {
      arxiv.error = errorText(error);
    }
    arxiv.entries = entries.size;
    await recordRead(db, { source: 'arxiv', member: '*', at, error: arxiv.error });
  }
  const cachedById = new Map(cached.map((paper) => [paper.openalexId, paper]));
  for (const read of reads) {
    if (read.papers === null) {
      await recordRead(db, { source: 'openalex', member: read.member.name, at, error: read.error ?? 'unknown' });
      continue;
    }
    const papers = read.papers.map((paper) => {
      const entry = paper.arxivId ? entries.get(withoutVersion(paper.arxivId)) : undefined;
      if (entry) return withArxiv(paper, entry);
      const old = cachedById.get(paper.openalexId);
      return old?.categories ? { ...paper, categoryCode: old.categoryCode, category: old.category, categoryLabel: old.categoryLabel, categories: old.categories } : paper;
    });
    await replaceMemberWorks(db, read.member.name, papers, at);
    await recordRead(db, { source: 'openalex', member: read.member.name, at, error: null, author: read.author });
  }
  const works = await cachedWorks(db, cachedPaper);
  const { outcomes } = mergeWorks(pages, works);
  // A work merged with a page's or .bib file's paper (not with another work).
  const mergedWith = ({ mergedWith: paper }: (typeof outcomes)[number]): string | null => (paper && paper.origin !== 'openalex' ? paper.id : null);
  const matchedPaperIds = new Set(outcomes.map(mergedWith));
  const members = reads.map((read): MemberReport => {
    const mine = outcomes.filter((outcome) => outcome.work.owners.includes(read.member.name));
    const merged = mine.filter((outcome) => mergedWith(outcome) !== null).length;
    const own = papersOwnedBy(pages.papers, read.member.name);
    return {
      member: read.member.name,
      author: read.author,
      found: read.papers?.length ?? 0,
      merged,
      new: mine.length - merged,
      unmatched: own.filter((paper) => !matchedPaperIds.has(paper.id)).map((paper) => ({ title: paper.title, file: paper.source.file, line: paper.source.line })),
      ambiguous: mine.flatMap((outcome) => outcome.apart.filter((apart) => originOf({ source: { file: apart.file, line: 1 } }) !== 'openalex').map((apart) => ({ work: outcome.work.title, paper: apart.title, file: apart.file, reason: apart.reason }))),
      skipped: read.skipped,
      error: read.error,
      first: read.papers !== null && !before.get(read.member.name)?.lastOkAt,
    };
  });
  return { at: now.toISOString(), members, arxiv, failed: arxiv.error !== null || members.some((m) => m.error !== null), works };
}

function errorText(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

// One member's author and works; throws a SourceError when OpenAlex cannot be read.
async function readMember(member: LabMember, pages: Corpus, clients: SourceClients, readOn: string): Promise<MemberRead> {
  const chosen = await authorOf(member, pages, clients);
  if ('error' in chosen) return { author: null, papers: null, skipped: [], error: chosen.error };
  const read = await clients.openalex.worksOf(chosen.author.id);
  const papers: Paper[] = [];
  const skipped = [...read.skipped];
  for (const work of read.works) {
    if (work.is_paratext) continue;
    const made = paperFromWork(work, member.name, readOn);
    if ('paper' in made) papers.push(made.paper);
    else skipped.push(made.reason);
  }
  return { author: chosen.author, papers, skipped, error: null };
}

// The member's OpenAlex author: pinned in lab.yaml, found by ORCID, or chosen by the titles of the member's papers.
async function authorOf(member: LabMember, pages: Corpus, { openalex }: SourceClients): Promise<{ author: AuthorRecord } | { error: string }> {
  const given = member.openalex
    ? { id: member.openalex, why: 'pinned in lab.yaml', none: member.openalex }
    : member.orcid && { id: `orcid:${member.orcid}`, why: `found by ORCID ${member.orcid}`, none: `with ORCID ${member.orcid}` };
  if (given) {
    const author = await openalex.author(given.id);
    return author ? { author: record(author, given.why) } : { error: `OpenAlex has no author ${given.none} (lab.yaml line ${member.line})` };
  }
  const own = papersOwnedBy(pages.papers, member.name);
  if (own.length === 0) return { error: `no id in lab.yaml (line ${member.line}) and no page or .bib paper of ${member.name} to find the author by: add openalex or orcid` };
  const titles = new Set(own.map((paper) => matchTitleKey(paper.title)));
  const scored: Array<{ author: Author; matches: number }> = [];
  for (const candidate of (await openalex.searchAuthors(member.name)).slice(0, MAX_CANDIDATES)) {
    const works = await openalex.worksOf(shortId(candidate.id), ['id', 'title', 'display_name', 'authorships']);
    const matches = new Set(works.works.map((work) => matchTitleKey(work.title ?? work.display_name ?? '')).filter((key) => titles.has(key))).size;
    scored.push({ author: candidate, matches });
  }
  scored.sort((a, b) => b.matches - a.matches);
  const [best, next] = scored;
  if (!best || best.matches === 0) return { error: `no OpenAlex author named ${member.name} has any of the ${titles.size} titles of their papers: add openalex or orcid to lab.yaml (line ${member.line})` };
  if (next && next.matches === best.matches) return { error: `OpenAlex authors ${shortId(best.author.id)} and ${shortId(next.author.id)} match ${best.matches} titles each: pin one in lab.yaml (line ${member.line})` };
  const files = [...new Set(own.map((paper) => paper.source.file))].join(', ');
  const runnerUp = next ? `; next best ${shortId(next.author.id)} with ${next.matches}` : '';
  return { author: record(best.author, `chosen: ${best.matches} of ${titles.size} titles in ${files} match its works${runnerUp}`) };
}

function record(author: Author, why: string): AuthorRecord {
  return { id: shortId(author.id), name: author.display_name, worksCount: author.works_count ?? null, citations: author.cited_by_count ?? null, hIndex: author.summary_stats?.h_index ?? null, why };
}

/** How many OpenAlex authors of a member's name are checked against the member's titles. */
const MAX_CANDIDATES = 5;
