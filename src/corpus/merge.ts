/**
 * Several pages and BibTeX files → one corpus. A lab is several people, and a paper may sit on a page and in a
 * .bib file: papers with the same normalized title are one paper, listing every owner, the fuller author list,
 * every affiliation, and the arXiv id, DOI and venue a BibTeX entry adds.
 */
import { categoryFor, NO_CATEGORY } from './categories.js';
import { nameKeys, preferredSpelling } from './names.js';
import { titleKey } from './ids.js';
import type { ParsedPage } from './parse.js';
import type { Corpus, Diagnostic, Paper, Profile } from './schema.js';

/**
 * Merges parsed pages (profile pages and BibTeX files alike). Which copy of a paper gives its source, title and
 * date does not depend on the order: the one with the most precise date, then the first by file and line.
 */
export function mergePages(pages: readonly ParsedPage[]): Corpus {
  const profiles: Profile[] = [];
  const diagnostics: Diagnostic[] = [];
  const byTitle = new Map<string, Paper>();
  const keyById = new Map<string, string>();
  const ownerCategories = categoriesOfOwners(pages);
  for (const page of pages) {
    if (page.profile) profiles.push(page.profile);
    const pageStart = diagnostics.length;
    diagnostics.push(...page.diagnostics);
    // A BibTeX export lists a paper's preprint and its published version as two entries: merging them is the
    // point, not a mistake to report. On a page, a paper listed twice is worth knowing about.
    const reportRepeats = page.profile?.format !== 'bibtex';
    for (const read of page.papers) {
      const paper = withOwnersCategory(read, ownerCategories);
      const key = titleKey(paper.title) || paper.id;
      const seen = byTitle.get(key);
      if (!seen) {
        const holder = keyById.get(paper.id);
        if (holder !== undefined) {
          // Ids are 48 bits of a hash: a clash is (nearly) impossible by chance, but the index needs ids unique.
          diagnostics.push({ file: paper.source.file, line: paper.source.line, reason: `paper "${paper.title}" has the id ${paper.id} of another title; skipped` });
          continue;
        }
        keyById.set(paper.id, key);
        byTitle.set(key, paper);
        continue;
      }
      if (reportRepeats && seen.source.file === paper.source.file) {
        diagnostics.push({
          file: paper.source.file,
          line: paper.source.line,
          reason: `paper "${paper.title}" is listed twice on the page (first at line ${seen.source.line}); merged`,
        });
      }
      byTitle.set(key, mergePaper(seen, paper));
    }
    // The parser's diagnostics and the duplicates found here, in line order within the page (a stable sort).
    diagnostics.splice(pageStart, Infinity, ...diagnostics.slice(pageStart).sort((a, b) => a.line - b.line));
  }
  return { profiles, papers: [...byTitle.values()].sort(newestFirst), diagnostics };
}

/**
 * Two copies of one paper as one, the same whichever comes first: the source, title and date of the copy with
 * the more precise date (a page's day beats a BibTeX year; then the first by file and line); every owner; the
 * fuller author list and abstract; a real category over none; the arXiv id, the DOI (a publisher's over arXiv's
 * own), the venue and the link from whichever copy has them.
 */
export function mergePaper(first: Paper, second: Paper): Paper {
  const [primary, secondary] = isPrimary(second, first) ? [second, first] : [first, second];
  const fuller = isFullerAuthorList(secondary, primary) ? secondary : primary;
  // A page may carry a shortened abstract: keep the fuller one, whichever file sorts first. The link shown is
  // that abstract's own; the other copy's only where that copy flags code (else any page could add a link).
  const [kept, other] = secondary.abstract.length > primary.abstract.length ? [secondary, primary] : [primary, secondary];
  const categorised = primary.categoryCode === NO_CATEGORY.code ? secondary : primary;
  const arxivId = preferred([primary.arxivId, secondary.arxivId], (id) => (/v\d+$/.test(id) ? 1 : 0));
  const doi = preferred([primary.doi, secondary.doi], (d) => (d.startsWith(ARXIV_DOI_PREFIX) ? 1 : 0));
  const venue = preferred([primary.venue, secondary.venue], (v) => -v.length);
  const url = primary.url ?? secondary.url;
  // A conference paper and its preprint are one paper: the published copy says where, and its volume and pages.
  const published = typeRank(secondary) > typeRank(primary) ? secondary : primary;
  const type = published.type ?? primary.type ?? secondary.type;
  const merged: Paper = {
    ...primary,
    authors: fuller.authors,
    authorsTruncated: fuller.authorsTruncated,
    owners: samePeopleOnce([...primary.owners, ...secondary.owners]),
    affiliations: unionBy([...primary.affiliations, ...secondary.affiliations], (a) => a.toLowerCase()),
    categoryCode: categorised.categoryCode,
    category: categorised.category,
    categoryLabel: categorised.categoryLabel,
    hasCode: primary.hasCode || secondary.hasCode,
    codeUrl: kept.codeUrl ?? (other.hasCode ? other.codeUrl : null),
    abstract: kept.abstract,
  };
  if (type === undefined) delete merged.type;
  else merged.type = type;
  const details = [
    ['volume', published.volume],
    ['issue', published.issue],
    ['pages', published.pages],
    ['publisher', published.publisher ?? (published === primary ? secondary : primary).publisher],
  ] as const;
  for (const [name, value] of details) {
    if (value === undefined) delete merged[name];
    else merged[name] = value;
  }
  for (const [name, value] of [['arxivId', arxivId], ['doi', doi], ['venue', venue], ['url', url]] as const) {
    if (value === undefined) delete merged[name];
    else merged[name] = value;
  }
  return merged;
}

/** Newest first; ties by title, then id (a total order, so the output is the same on every run). */
export function newestFirst(a: Paper, b: Paper): number {
  return compare(b.date, a.date) || compare(a.title, b.title) || compare(a.id, b.id);
}

/** True when `candidate` should give the merged paper its source, title and date rather than `current`. */
function isPrimary(candidate: Paper, current: Paper): boolean {
  const rank = (paper: Paper): number => DATE_PRECISION_RANK[paper.datePrecision ?? 'day'];
  if (rank(candidate) !== rank(current)) return rank(candidate) > rank(current);
  return compare(candidate.source.file, current.source.file) < 0 || (candidate.source.file === current.source.file && candidate.source.line < current.source.line);
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

/** The owners' page categories (by every key of the owner's name), for BibTeX papers that give none. */
function categoriesOfOwners(pages: readonly ParsedPage[]): Map<string, string> {
  const categories = new Map<string, string>();
  for (const page of pages) {
    const category = page.profile?.primaryCategory;
    if (!category) continue;
    for (const key of nameKeys(page.profile?.owner ?? '')) if (!categories.has(key)) categories.set(key, category);
  }
  return categories;
}

/** A paper with no category takes its first owner's page category, where one of its owners has a page. */
function withOwnersCategory(paper: Paper, categories: ReadonlyMap<string, string>): Paper {
  if (paper.categoryCode !== NO_CATEGORY.code) return paper;
  for (const owner of paper.owners) {
    const code = nameKeys(owner)
      .map((key) => categories.get(key))
      .find((found) => found !== undefined);
    if (code === undefined) continue;
    const category = categoryFor(code);
    return { ...paper, categoryCode: category.code, category: category.arxiv, categoryLabel: category.label };
  }
  return paper;
}

/** Longer wins; at equal length a complete list beats one cut short by "et al.". */
function isFullerAuthorList(candidate: Paper, current: Paper): boolean {
  if (candidate.authors.length !== current.authors.length) return candidate.authors.length > current.authors.length;
  return current.authorsTruncated && !candidate.authorsTruncated;
}

// One spelling per person: "Sindy Löwe" and "Sindy Loewe" share a key, so they are one owner, shown with the
// accents (`preferredSpelling`), whichever came first.
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

function unionBy(values: readonly string[], key: (value: string) => string): string[] {
  const seen = new Map<string, string>();
  for (const value of values) {
    const k = key(value);
    if (!seen.has(k)) seen.set(k, value);
  }
  return [...seen.values()];
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
