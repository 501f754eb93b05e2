/**
 * What the site shows of a paper, worked out once for the list, the paper's page and the feeds: its links (the
 * paper's own link from src/corpus/links.ts, its PDF, its DOI, its code), its date and venue line, its members.
 */
import { linkFor, safeLinkUrl } from '../corpus/links.js';
import { nameKeys } from '../corpus/names.js';
import type { Corpus, Paper, PaperType } from '../corpus/schema.js';
import { formatPaperDate } from '../discord/embeds.js';

/** A link shown beside a paper. */
export interface ShownLink {
  label: string;
  url: string;
}

/** The labels of the paper types, as the type filter and a paper's page show them. */
export const TYPE_LABELS: Readonly<Record<PaperType, string>> = {
  'journal-article': 'Journal article',
  'conference-paper': 'Conference paper',
  preprint: 'Preprint',
  thesis: 'Thesis',
  report: 'Report',
  'book-chapter': 'Book chapter',
  book: 'Book',
  dataset: 'Dataset',
  software: 'Software',
  other: 'Other',
};

/** A paper without a type is cited as a preprint (src/corpus/schema.ts), and listed as one. */
export function paperType(paper: Paper): PaperType {
  return paper.type ?? 'preprint';
}

/**
 * The paper's links: arXiv and its PDF, the DOI, the entry's own URL, and the code; where it has none of the
 * first three, the arXiv title search `linkFor` falls back to. Every URL is an http(s) URL made safe by links.ts.
 */
export function paperLinks(paper: Paper): ShownLink[] {
  const links: ShownLink[] = [];
  const main = linkFor(paper);
  if (main.kind === 'arxiv') links.push({ label: 'arXiv', url: main.url }, { label: 'PDF', url: main.url.replace('/abs/', '/pdf/') });
  const doi = paper.doi ? linkFor({ title: paper.title, doi: paper.doi }) : null;
  if (doi?.kind === 'doi') links.push({ label: 'DOI', url: doi.url });
  const own = paper.url ? safeLinkUrl(paper.url) : null;
  if (own && !links.some((link) => link.url === own)) links.push({ label: 'Paper', url: own });
  if (links.length === 0) links.push({ label: main.label, url: main.url });
  const code = paper.codeUrl ? safeLinkUrl(paper.codeUrl) : null;
  if (code) links.push({ label: 'Code', url: code });
  return links;
}

/** Where and when: `NeurIPS · Dec 2023`, or the date and the category where no venue is known. */
export function venueLine(paper: Paper): string {
  return [paper.venue ?? paper.categoryLabel, formatPaperDate(paper)].join(' · ');
}

/** The authors as printed, with "et al." where the page cut the list short. */
export function authorLine(paper: Paper): string {
  return paper.authorsTruncated ? `${paper.authors.join(', ')}, et al.` : paper.authors.join(', ');
}

/** The lab's members: the profiles' owners (a page or a BibTeX file each), once per person, in alphabetical order. */
export function members(corpus: Corpus): string[] {
  const byKey = new Map<string, string>();
  for (const profile of corpus.profiles) {
    const key = nameKeys(profile.owner)[0] ?? profile.owner;
    if (!byKey.has(key)) byKey.set(key, profile.owner);
  }
  return [...byKey.values()].sort((a, b) => a.localeCompare(b, 'en'));
}

/** The positions in `memberKeys` (each member's `nameKeys`) of the members whose profile lists the paper (any spelling of the name). */
export function membersOf(paper: Paper, memberKeys: ReadonlyArray<readonly string[]>): number[] {
  const owners = new Set(paper.owners.flatMap(nameKeys));
  const found: number[] = [];
  memberKeys.forEach((keys, i) => {
    if (keys.some((key) => owners.has(key))) found.push(i);
  });
  return found;
}
