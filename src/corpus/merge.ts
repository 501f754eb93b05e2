/**
 * Several pages → one corpus. A lab is several people, so one paper may sit on two pages: papers with the same
 * normalized title are one paper, listing both owners, the longer author list and every affiliation.
 */
import { nameKeys } from './names.js';
import { titleKey } from './ids.js';
import type { ParsedPage } from './parse.js';
import type { Corpus, Diagnostic, Paper, Profile } from './schema.js';

/** Merges parsed pages in the order given (the first page's copy of a paper keeps its source). */
export function mergePages(pages: readonly ParsedPage[]): Corpus {
  const profiles: Profile[] = [];
  const diagnostics: Diagnostic[] = [];
  const byTitle = new Map<string, Paper>();
  const keyById = new Map<string, string>();
  for (const page of pages) {
    if (page.profile) profiles.push(page.profile);
    const pageStart = diagnostics.length;
    diagnostics.push(...page.diagnostics);
    for (const paper of page.papers) {
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
      if (seen.source.file === paper.source.file) {
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

/** Two copies of one paper as one: the first's source, title and date; both owners; the fuller author list and abstract. */
export function mergePaper(first: Paper, second: Paper): Paper {
  const fuller = isFullerAuthorList(second, first) ? second : first;
  // A page may carry a shortened abstract: keep the fuller one, whichever file sorts first. The link shown is
  // that abstract's own; the other copy's only where that page flags code (else any page could add a link).
  const [kept, other] = second.abstract.length > first.abstract.length ? [second, first] : [first, second];
  return {
    ...first,
    authors: fuller.authors,
    authorsTruncated: fuller.authorsTruncated,
    owners: samePeopleOnce([...first.owners, ...second.owners]),
    affiliations: unionBy([...first.affiliations, ...second.affiliations], (a) => a.toLowerCase()),
    hasCode: first.hasCode || second.hasCode,
    codeUrl: kept.codeUrl ?? (other.hasCode ? other.codeUrl : null),
    abstract: kept.abstract,
  };
}

/** Newest first; ties by title, then id (a total order, so the output is the same on every run). */
export function newestFirst(a: Paper, b: Paper): number {
  return compare(b.date, a.date) || compare(a.title, b.title) || compare(a.id, b.id);
}

/** Longer wins; at equal length a complete list beats one cut short by "et al.". */
function isFullerAuthorList(candidate: Paper, current: Paper): boolean {
  if (candidate.authors.length !== current.authors.length) return candidate.authors.length > current.authors.length;
  return current.authorsTruncated && !candidate.authorsTruncated;
}

// One spelling per person: "Sindy Löwe" and "Sindy Loewe" share a key, so the second is dropped.
function samePeopleOnce(names: readonly string[]): string[] {
  const kept: string[] = [];
  const keys = new Set<string>();
  for (const name of names) {
    const own = nameKeys(name);
    if (own.some((key) => keys.has(key))) continue;
    kept.push(name);
    for (const key of own) keys.add(key);
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
