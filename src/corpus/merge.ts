/** Several pages, BibTeX files and sources' works → one corpus: the copies of one paper merged into one. */
import { categoryFor, NO_CATEGORY } from './categories.js';
import { nameKeys, preferredSpelling } from './names.js';
import { matchTitleKey, paperId, titleKey } from './ids.js';
import type { ParsedPage } from './parse.js';
import type { Corpus, Diagnostic, Paper, PaperOrigin, Profile } from './schema.js';

/** Merges parsed pages (profile pages and BibTeX files alike); a paper's copies are merged by `mergePaper`, whatever their order. */
export function mergePages(pages: readonly ParsedPage[]): Corpus {
  const profiles: Profile[] = [];
  const diagnostics: Diagnostic[] = [];
  const byTitle = new Map<string, Paper>();
  const ids = new Set<string>();
  const withOwnersCategory = ownersCategoryGiver(pages);
  for (const page of pages) {
    if (page.profile) profiles.push(page.profile);
    const pageStart = diagnostics.length;
    diagnostics.push(...page.diagnostics);
    // A BibTeX export lists a preprint and its published version as two entries: only a page's repeat is reported.
    const reportRepeats = page.profile?.format !== 'bibtex';
    for (const read of page.papers) {
      const paper = withOwnersCategory(read);
      const key = titleKey(paper.title) || paper.id;
      const seen = byTitle.get(key);
      if (seen) {
        if (reportRepeats && seen.source.file === paper.source.file) {
          const reason = `paper "${paper.title}" is listed twice on the page (first at line ${seen.source.line}); merged`;
          diagnostics.push({ ...paper.source, reason });
        }
        byTitle.set(key, mergePaper(seen, paper));
      } else if (ids.has(paper.id)) {
        // Ids are 48 bits of a hash: a clash is (nearly) impossible by chance, but the index needs ids unique.
        diagnostics.push({ ...paper.source, reason: `paper "${paper.title}" has the id ${paper.id} of another title; skipped` });
      } else {
        ids.add(paper.id);
        byTitle.set(key, paper);
      }
    }
    // The parser's diagnostics and the duplicates found here, in line order within the page (a stable sort).
    diagnostics.splice(pageStart, Infinity, ...diagnostics.slice(pageStart).sort((a, b) => a.line - b.line));
  }
  return { profiles, papers: [...byTitle.values()].sort(newestFirst), diagnostics };
}

/** Two copies of one paper as one, whichever comes first: the copy with the more precise date gives source, title and date. */
export function mergePaper(first: Paper, second: Paper): Paper {
  const [primary, secondary] = isPrimary(second, first) ? [second, first] : [first, second];
  const fuller = isFullerAuthorList(secondary, primary) ? secondary : primary;
  // A page may shorten the abstract: keep the fuller one and its link; the other copy's only where it flags code.
  const [kept, other] = secondary.abstract.length > primary.abstract.length ? [secondary, primary] : [primary, secondary];
  const categorised = primary.categoryCode === NO_CATEGORY.code ? secondary : primary;
  // A conference paper and its preprint are one paper: the published copy says where, and its volume and pages.
  const published = typeRank(secondary) > typeRank(primary) ? secondary : primary;
  const affiliations = [...primary.affiliations, ...secondary.affiliations];
  const merged: Paper = {
    ...primary,
    authors: fuller.authors,
    authorsTruncated: fuller.authorsTruncated,
    owners: samePeopleOnce([...primary.owners, ...secondary.owners]),
    // Each affiliation once, however either copy capitalises it.
    affiliations: affiliations.filter((a, i) => affiliations.findIndex((b) => b.toLowerCase() === a.toLowerCase()) === i),
    categoryCode: categorised.categoryCode,
    category: categorised.category,
    categoryLabel: categorised.categoryLabel,
    hasCode: primary.hasCode || secondary.hasCode,
    codeUrl: kept.codeUrl ?? (other.hasCode ? other.codeUrl : null),
    abstract: kept.abstract,
    type: published.type ?? primary.type ?? secondary.type,
    volume: published.volume,
    issue: published.issue,
    genre: published.genre,
    pages: published.pages,
    publisher: published.publisher ?? (published === primary ? secondary : primary).publisher,
    arxivId: preferred([primary.arxivId, secondary.arxivId], (id) => (/v\d+$/.test(id) ? 1 : 0)),
    doi: preferred([primary.doi, secondary.doi], (d) => (d.startsWith(ARXIV_DOI_PREFIX) ? 1 : 0)),
    venue: preferred([primary.venue, secondary.venue], (v) => -v.length),
    url: primary.url ?? secondary.url,
    openalexId: primary.openalexId ?? secondary.openalexId,
    // A source's figures and arXiv's categories, from whichever copy has them (the latest count where both do).
    citedBy: [primary.citedBy, secondary.citedBy].filter((c) => c !== undefined).sort((a, b) => compare(b.asOf, a.asOf))[0],
    categories: categorised.categories ?? primary.categories ?? secondary.categories,
  };
  // A field neither copy has stays absent, not `undefined`.
  for (const name of Object.keys(merged) as Array<keyof Paper>) if (merged[name] === undefined) delete merged[name];
  if (primary.provenance || secondary.provenance) merged.provenance = provenanceOf(merged, primary, secondary);
  return merged;
}

/** How a source's work stands to another paper: one paper (and by what), left apart (and why), or plainly different. */
export type WorkMatch = { verdict: 'same'; by: MatchedBy } | { verdict: 'apart'; reason: string } | { verdict: 'different' };

/** Whether a source's work and a paper are one: same DOI, arXiv id or OpenAlex work; else same title, year ±1 and an author. */
export function matchWork(work: Paper, other: Paper): WorkMatch {
  if (work.doi && other.doi && work.doi.toLowerCase() === other.doi.toLowerCase()) return { verdict: 'same', by: 'doi' };
  if (arxivOf(work) && arxivOf(work) === arxivOf(other)) return { verdict: 'same', by: 'arxiv' };
  if (work.openalexId && work.openalexId === other.openalexId) return { verdict: 'same', by: 'openalex' };
  if (matchTitleKey(work.title) !== matchTitleKey(other.title)) return { verdict: 'different' };
  const reasons: string[] = [];
  if (arxivOf(work) && arxivOf(other)) reasons.push(`arXiv ${arxivOf(work)} and ${arxivOf(other)}`);
  const publisherDoi = (paper: Paper): string | undefined => (paper.doi && !paper.doi.startsWith(ARXIV_DOI_PREFIX) ? paper.doi.toLowerCase() : undefined);
  if (publisherDoi(work) && publisherDoi(other)) reasons.push(`DOIs ${work.doi} and ${other.doi}`);
  const years = [Number(work.date.slice(0, 4)), Number(other.date.slice(0, 4))] as const;
  if (Math.abs(years[0] - years[1]) > 1) reasons.push(`years ${years[0]} and ${years[1]}`);
  const workAuthors = new Set(work.authors.flatMap(authorKeys));
  if (!other.authors.some((name) => authorKeys(name).some((key) => workAuthors.has(key)))) reasons.push('no author in common');
  return reasons.length === 0 ? { verdict: 'same', by: 'title' } : { verdict: 'apart', reason: `same title, but ${reasons.join(', ')}` };
}

/** What became of one source's work in `mergeWorks`. */
export interface WorkOutcome {
  work: Paper;
  /** The paper it joined (a page's, a .bib file's or an earlier work), and by what; null when it is a paper of its own. */
  mergedWith: { id: string; title: string; origin: PaperOrigin; by: MatchedBy } | null;
  /** Papers with its title it was not merged with, and why. */
  apart: Array<{ id: string; title: string; file: string; reason: string }>;
}

/** The works merged into a corpus: each joins the paper it matches best, else is its own; in OpenAlex id order. */
export function mergeWorks(corpus: Corpus, works: readonly Paper[]): { corpus: Corpus; outcomes: WorkOutcome[] } {
  const papers = [...corpus.papers];
  const byKey = new Map<string, Set<number>>();
  const ids = new Set(papers.map((paper) => paper.id));
  const keysOf = (paper: Paper): string[] => {
    const keys = [`t:${matchTitleKey(paper.title)}`];
    if (paper.doi) keys.push(`d:${paper.doi.toLowerCase()}`);
    if (paper.arxivId) keys.push(`a:${arxivOf(paper)}`);
    if (paper.openalexId) keys.push(`o:${paper.openalexId}`);
    return keys;
  };
  const remember = (index: number): void => {
    for (const key of keysOf(papers[index] as Paper)) byKey.set(key, (byKey.get(key) ?? new Set()).add(index));
  };
  papers.forEach((_, index) => remember(index));
  const outcomes: WorkOutcome[] = [];
  const ordered = [...works].sort((a, b) => compare(a.openalexId ?? a.source.file, b.openalexId ?? b.source.file) || compare(a.owners.join(), b.owners.join()));
  for (const work of ordered) {
    const candidates = [...new Set(keysOf(work).flatMap((key) => [...(byKey.get(key) ?? [])]))].sort((a, b) => a - b);
    const apart: WorkOutcome['apart'] = [];
    let joined: { index: number; by: MatchedBy } | null = null;
    for (const index of candidates) {
      const other = papers[index] as Paper;
      const match = matchWork(work, other);
      if (match.verdict === 'same' && (joined === null || MATCH_RANK[match.by] < MATCH_RANK[joined.by])) joined = { index, by: match.by };
      else if (match.verdict === 'apart') apart.push({ id: other.id, title: other.title, file: other.source.file, reason: match.reason });
    }
    if (joined) {
      const other = papers[joined.index] as Paper;
      outcomes.push({ work, mergedWith: { id: other.id, title: other.title, origin: originOf(other), by: joined.by }, apart });
      papers[joined.index] = mergePaper(other, work);
      remember(joined.index);
      continue;
    }
    const own = ids.has(work.id) ? { ...work, id: paperId(`${work.title} ${work.openalexId ?? work.source.file}`) } : work;
    ids.add(own.id);
    papers.push(own);
    remember(papers.length - 1);
    outcomes.push({ work, mergedWith: null, apart });
  }
  return { corpus: { ...corpus, papers: papers.sort(newestFirst) }, outcomes };
}

/** The pages' corpus with the works merged in (`mergeWorks`): what the bot and every front end serve. */
export function withWorks(pages: Corpus, works: readonly Paper[]): Corpus {
  return works.length === 0 ? pages : mergeWorks(pages, works).corpus;
}

/** Where a paper as a whole was read: a page, a BibTeX file, or a source (by its record's URL). */
export function originOf(paper: Pick<Paper, 'source'>): PaperOrigin {
  const file = paper.source.file;
  if (/^https:\/\/openalex\.org\//.test(file)) return 'openalex';
  if (/^https:\/\/arxiv\.org\//.test(file)) return 'arxiv';
  if (/^https:\/\/doi\.org\//.test(file)) return 'crossref';
  return /\.bib$/i.test(file) ? 'bibtex' : 'page';
}

/** What a work was matched by, best first. */
const MATCH_RANK = { doi: 0, arxiv: 1, openalex: 2, title: 3 } as const;
type MatchedBy = keyof typeof MATCH_RANK;

// A person's family name and first initial, however spelt: "Sara Kangaslahti", "S. Kangaslahti", "Kangaslahti, Sara" → `kangaslahti s`.
function authorKeys(name: string): string[] {
  const comma = name.indexOf(',');
  const ordered = comma > 0 ? `${name.slice(comma + 1)} ${name.slice(0, comma)}` : name;
  return nameKeys(ordered).flatMap((key) => {
    const words = key.split(' ').filter(Boolean);
    const family = words.at(-1);
    const first = words[0];
    return family && first && words.length > 1 ? [`${family} ${first[0]}`] : [];
  });
}

// Each field of a merged paper said to come from the copy whose value it has (the primary's where both agree).
function provenanceOf(merged: Paper, primary: Paper, secondary: Paper): Record<string, PaperOrigin> {
  const provenance: Record<string, PaperOrigin> = {};
  for (const [field, value] of Object.entries(merged)) {
    if (value === undefined || field === 'id' || field === 'source' || field === 'provenance' || field === 'owners') continue;
    const copy = [primary, secondary].find((paper) => JSON.stringify(paper[field as keyof Paper]) === JSON.stringify(value)) ?? primary;
    provenance[field] = copy.provenance?.[field] ?? originOf(copy);
  }
  return provenance;
}

/** Newest first; ties by title, then id (a total order, so the output is the same on every run). */
export function newestFirst(a: Paper, b: Paper): number {
  return compare(b.date, a.date) || compare(a.title, b.title) || compare(a.id, b.id);
}

/** True when `candidate` should give the merged paper its source, title and date rather than `current`. */
function isPrimary(candidate: Paper, current: Paper): boolean {
  const rank = (paper: Paper): number => DATE_PRECISION_RANK[paper.datePrecision ?? 'day'];
  if (rank(candidate) !== rank(current)) return rank(candidate) > rank(current);
  return (compare(candidate.source.file, current.source.file) || candidate.source.line - current.source.line) < 0;
}

const DATE_PRECISION_RANK = { year: 0, month: 1, day: 2 } as const;

/** How specific a copy's type is: any published form beats a preprint, which beats none or "other". */
function typeRank(paper: Paper): number {
  if (paper.type === undefined || paper.type === 'other') return 0;
  return paper.type === 'preprint' ? 1 : 2;
}
/** The prefix of the DOIs arXiv gives every preprint: a publisher's DOI says more. */
const ARXIV_DOI_PREFIX = '10.48550/';

/** Of the values given, the one of lowest `rank`, then the lowest in code-unit order: the same in any order. */
function preferred(values: ReadonlyArray<string | undefined>, rank: (value: string) => number): string | undefined {
  const present = values.filter((value): value is string => value !== undefined);
  return present.sort((a, b) => rank(a) - rank(b) || compare(a, b))[0];
}

/** Gives a paper with no category (a BibTeX entry's) its first owner's page category, where an owner has a page. */
function ownersCategoryGiver(pages: readonly ParsedPage[]): (paper: Paper) => Paper {
  const categories = new Map<string, string>();
  for (const { profile } of pages) {
    if (!profile?.primaryCategory) continue;
    for (const key of nameKeys(profile.owner)) if (!categories.has(key)) categories.set(key, profile.primaryCategory);
  }
  return (paper) => {
    if (paper.categoryCode !== NO_CATEGORY.code) return paper;
    const code = paper.owners.flatMap((owner) => nameKeys(owner).map((key) => categories.get(key))).find((found) => found !== undefined);
    if (code === undefined) return paper;
    const category = categoryFor(code);
    return { ...paper, categoryCode: category.code, category: category.arxiv, categoryLabel: category.label };
  };
}

/** Longer wins; at equal length a complete list beats one cut short by "et al.". */
function isFullerAuthorList(candidate: Paper, current: Paper): boolean {
  if (candidate.authors.length !== current.authors.length) return candidate.authors.length > current.authors.length;
  return current.authorsTruncated && !candidate.authorsTruncated;
}

// One spelling per person: "Sindy Löwe" and "Sindy Loewe" share a key, so are one owner, shown with the accents.
function samePeopleOnce(names: readonly string[]): string[] {
  const kept: string[] = [];
  const slotByKey = new Map<string, number>();
  for (const name of names) {
    const own = nameKeys(name);
    const slot = own.map((key) => slotByKey.get(key)).find((found) => found !== undefined);
    if (slot !== undefined) kept[slot] = preferredSpelling([kept[slot] ?? name, name]);
    else kept.push(name);
    for (const key of own) if (!slotByKey.has(key)) slotByKey.set(key, slot ?? kept.length - 1);
  }
  return kept;
}

/** The arXiv id without its version. */
const arxivOf = (paper: Paper): string | undefined => paper.arxivId?.replace(/v\d+$/, '');

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
