/**
 * The sources' records → `Paper`, checked against the corpus's own schema: an OpenAlex work (full author list,
 * date, DOI, arXiv id, venue, type, abstract rebuilt from its inverted index, citation count with the day it was
 * read), arXiv's primary category and categories added where its id is known, and a Crossref or arXiv record for
 * `/cite` of a paper outside the corpus. A record that does not make a valid paper gives the reason instead.
 */
import { categoryForArxivClass, NO_CATEGORY } from '../corpus/categories.js';
import { paperId } from '../corpus/ids.js';
import { latexToChat, latexToPlain } from '../corpus/latex.js';
import { findArxivId, findDoi } from '../corpus/links.js';
import { firstUrl } from '../corpus/parse.js';
import { PaperSchema, type Paper, type PaperOrigin, type PaperType } from '../corpus/schema.js';
import type { ArxivEntry } from './arxiv.js';
import type { CrossrefWork } from './crossref.js';
import { abstractFromInvertedIndex, shortId, type Location, type Work } from './openalex.js';

/** A paper, or why the record makes none. */
export type PaperOrReason = { paper: Paper } | { reason: string };

/** An OpenAlex work as a paper owned by `owner` (a lab member), its citation count as read on `readOn` (YYYY-MM-DD). */
export function paperFromWork(work: Work, owner: string, readOn: string): PaperOrReason {
  const title = cleanTitle(work.title ?? work.display_name ?? '');
  const authors = work.authorships.map((a) => cleanName(a.author.display_name ?? a.raw_author_name ?? '')).filter((name) => name.length > 0);
  const date = dateOf(work.publication_date, work.publication_year);
  const id = shortId(work.id);
  if (!title) return { reason: `${id}: no title` };
  if (authors.length === 0) return { reason: `${id}: no author` };
  if (!date) return { reason: `${id}: no publication date` };
  const locations = [work.primary_location, ...(work.locations ?? [])].filter((l): l is Location => Boolean(l));
  const doi = work.doi ? findDoi(work.doi) : null;
  const arxivId = arxivIdOf(doi, locations);
  const published = locations.find((l) => l.source && l.source.type !== 'repository' && l.source.display_name);
  const abstract = latexToChat(abstractFromInvertedIndex(work.abstract_inverted_index));
  const biblio = work.biblio ?? {};
  const pages = [biblio.first_page, biblio.last_page].filter((p): p is string => Boolean(p?.trim())).join('-');
  const affiliations = [...new Set(work.authorships.flatMap((a) => (a.institutions ?? []).map((i) => i.display_name?.trim() ?? '')).filter(Boolean))];
  const candidate: Paper = {
    ...common(title, authors, [owner], date, abstract),
    // OpenAlex lists the first 100 authors only.
    authorsTruncated: work.authorships.length >= OPENALEX_MAX_AUTHORS,
    affiliations,
    ...(arxivId ? { arxivId } : {}),
    ...(doi ? { doi } : {}),
    type: typeOfWork(work, published ?? null),
    ...(published?.source?.display_name ? { venue: cleanTitle(published.source.display_name) } : {}),
    ...(short(biblio.volume) ? { volume: short(biblio.volume) } : {}),
    ...(short(biblio.issue) ? { issue: short(biblio.issue) } : {}),
    ...(pages && pages.length <= 64 ? { pages } : {}),
    ...(published?.source?.host_organization_name ? { publisher: published.source.host_organization_name } : {}),
    source: { file: work.id, line: 1 },
    openalexId: id,
    ...(work.cited_by_count !== undefined ? { citedBy: { count: work.cited_by_count, asOf: readOn, source: 'OpenAlex' as const } } : {}),
  };
  return checked(withProvenance(candidate, 'openalex'), id);
}

/** The paper with arXiv's primary category and categories (and its abstract or fuller author list where OpenAlex had less). */
export function withArxiv(paper: Paper, entry: ArxivEntry): Paper {
  const category = entry.primaryCategory ? categoryForArxivClass(entry.primaryCategory) : null;
  const next: Paper = { ...paper, provenance: { ...paper.provenance } };
  const from = (field: string): void => {
    (next.provenance as Record<string, PaperOrigin>)[field] = 'arxiv';
  };
  if (category) {
    Object.assign(next, { categoryCode: category.code, category: category.arxiv, categoryLabel: category.label });
    from('category');
  }
  if (entry.categories.length > 0) {
    next.categories = entry.categories.slice(0, 32);
    from('categories');
  }
  if (!next.abstract && entry.summary) {
    next.abstract = latexToChat(entry.summary);
    next.codeUrl = firstUrl(next.abstract);
    from('abstract');
  }
  if (entry.authors.length > next.authors.length) {
    next.authors = entry.authors.map(cleanName);
    next.authorsTruncated = false;
    from('authors');
  }
  if (!next.arxivId) next.arxivId = entry.id;
  const valid = PaperSchema.safeParse(next);
  return valid.success ? valid.data : paper;
}

/** An arXiv record as a paper of its own (for `/cite` of a paper outside the corpus). */
export function paperFromArxiv(entry: ArxivEntry): PaperOrReason {
  const title = cleanTitle(entry.title);
  const authors = entry.authors.map(cleanName).filter(Boolean);
  const category = entry.primaryCategory ? categoryForArxivClass(entry.primaryCategory) : null;
  const abstract = latexToChat(entry.summary);
  const doi = entry.doi ? findDoi(entry.doi) : null;
  const candidate: Paper = {
    id: paperId(title),
    title,
    authors,
    authorsTruncated: false,
    owners: authors.slice(0, 1),
    affiliations: [],
    categoryCode: category?.code ?? NO_CATEGORY.code,
    category: category?.arxiv ?? NO_CATEGORY.arxiv,
    categoryLabel: category?.label ?? NO_CATEGORY.label,
    date: entry.published,
    hasCode: false,
    codeUrl: firstUrl(abstract),
    abstract,
    arxivId: entry.id,
    ...(doi ? { doi } : {}),
    type: 'preprint',
    ...(entry.categories.length > 0 ? { categories: entry.categories.slice(0, 32) } : {}),
    source: { file: `https://arxiv.org/abs/${entry.id}`, line: 1 },
  };
  return checked(withProvenance(candidate, 'arxiv'), `arXiv ${entry.id}`);
}

/** A Crossref record as a paper of its own (for `/cite` of a paper outside the corpus). */
export function paperFromCrossref(work: CrossrefWork): PaperOrReason {
  const title = cleanTitle([work.title?.[0], work.subtitle?.[0]].filter(Boolean).join(': '));
  const authors = (work.author ?? []).map((a) => cleanName(a.name ?? [a.given, a.family].filter(Boolean).join(' '))).filter(Boolean);
  const parts = (work.issued ?? work.published)?.['date-parts'][0] ?? [];
  const year = parts[0];
  const date = year ? dateOf(null, year, parts[1] ?? null, parts[2] ?? null) : null;
  const doi = findDoi(work.DOI);
  if (!title) return { reason: `Crossref ${work.DOI}: no title` };
  if (authors.length === 0) return { reason: `Crossref ${work.DOI}: no author` };
  if (!date) return { reason: `Crossref ${work.DOI}: no date` };
  const abstract = work.abstract ? latexToChat(stripTags(work.abstract)) : '';
  const pages = short(work.page ?? work['article-number']);
  const candidate: Paper = {
    ...common(title, authors, authors.slice(0, 1), date, abstract),
    ...(doi ? { doi } : {}),
    type: CROSSREF_TYPES[work.type] ?? 'other',
    ...(work['container-title']?.[0] ? { venue: cleanTitle(work['container-title'][0]) } : {}),
    ...(short(work.volume) ? { volume: short(work.volume) } : {}),
    ...(short(work.issue) ? { issue: short(work.issue) } : {}),
    ...(pages ? { pages } : {}),
    ...(work.publisher ? { publisher: work.publisher.trim() } : {}),
    source: { file: `https://doi.org/${work.DOI}`, line: 1 },
  };
  return checked(withProvenance(candidate, 'crossref'), `Crossref ${work.DOI}`);
}

// The fields every source's paper fills alike: no category until arXiv gives one, no Code flag.
function common(title: string, authors: string[], owners: string[], date: { date: string; precision: 'year' | 'month' | 'day' }, abstract: string): Paper {
  return {
    id: paperId(title),
    title,
    authors,
    authorsTruncated: false,
    owners,
    affiliations: [],
    categoryCode: NO_CATEGORY.code,
    category: NO_CATEGORY.arxiv,
    categoryLabel: NO_CATEGORY.label,
    date: date.date,
    ...(date.precision !== 'day' ? { datePrecision: date.precision } : {}),
    hasCode: false,
    codeUrl: firstUrl(abstract),
    abstract,
    source: { file: 'unknown', line: 1 },
  };
}

/** A title as the sources write it (HTML tags such as `<i>`, entities, LaTeX, wrapped lines) as plain text. */
export function cleanTitle(text: string): string {
  return latexToPlain(stripTags(text)).replace(/\s+/g, ' ').trim();
}

function cleanName(text: string): string {
  return latexToPlain(stripTags(text)).replace(/\s+/g, ' ').trim();
}

function stripTags(text: string): string {
  return text
    .replace(/<[^>]{0,200}>/g, '')
    .replace(/&(amp|lt|gt|quot|#39|apos);/g, (_, name: string) => ({ amp: '&', lt: '<', gt: '>', quot: '"', '#39': "'", apos: "'" })[name] ?? '');
}

// The date as YYYY-MM-DD and how much of it is known; null without a year.
function dateOf(full: string | null | undefined, year: number | null | undefined, month: number | null = null, day: number | null = null): { date: string; precision: 'year' | 'month' | 'day' } | null {
  if (full && /^\d{4}-\d{2}-\d{2}$/.test(full) && !Number.isNaN(Date.parse(full))) return { date: full, precision: 'day' };
  if (!year || year < 1000 || year > 9999) return null;
  const pad = (n: number): string => String(n).padStart(2, '0');
  if (month && month >= 1 && month <= 12) {
    if (day && day >= 1 && day <= 31) return { date: `${year}-${pad(month)}-${pad(day)}`, precision: 'day' };
    return { date: `${year}-${pad(month)}-01`, precision: 'month' };
  }
  return { date: `${year}-01-01`, precision: 'year' };
}

// The arXiv id from arXiv's own DOI (10.48550/arXiv.…) or an arxiv.org location.
function arxivIdOf(doi: string | null, locations: readonly Location[]): string | null {
  if (doi && /^10\.48550\/arxiv\./i.test(doi)) return findArxivId(doi);
  for (const location of locations) {
    for (const url of [location.landing_page_url, location.pdf_url]) {
      if (url && /arxiv\.org\//i.test(url)) {
        const id = findArxivId(url);
        if (id) return id.replace(/v\d+$/, '');
      }
    }
  }
  return null;
}

/**
 * OpenAlex's type → ours. OpenAlex calls journal articles, conference papers and posted content all `article`,
 * and says which by the primary location (its source's type, its version); `type_crossref` says the rest.
 */
function typeOfWork(work: Work, published: Location | null): PaperType {
  const type = work.type ?? '';
  if (type === 'preprint') return 'preprint';
  if (type === 'article' || type === 'review' || type === 'letter') {
    const primary = work.primary_location;
    if (primary?.version === 'submittedVersion' || primary?.source?.type === 'repository' || !published) return work.type_crossref === 'proceedings-article' ? 'conference-paper' : 'preprint';
    if (published.source?.type === 'conference' || work.type_crossref === 'proceedings-article') return 'conference-paper';
    return 'journal-article';
  }
  return OPENALEX_TYPES[type] ?? CROSSREF_TYPES[work.type_crossref ?? ''] ?? 'other';
}

const OPENALEX_TYPES: Readonly<Record<string, PaperType>> = {
  dissertation: 'thesis',
  'book-chapter': 'book-chapter',
  book: 'book',
  dataset: 'dataset',
  report: 'report',
  software: 'software',
};

const CROSSREF_TYPES: Readonly<Record<string, PaperType>> = {
  'journal-article': 'journal-article',
  'proceedings-article': 'conference-paper',
  'posted-content': 'preprint',
  dissertation: 'thesis',
  report: 'report',
  'book-chapter': 'book-chapter',
  book: 'book',
  monograph: 'book',
  'edited-book': 'book',
  dataset: 'dataset',
};

function short(value: string | null | undefined): string | undefined {
  const text = value?.trim();
  return text && text.length <= 64 ? text : undefined;
}

// Every field the paper has, said to come from `origin`.
function withProvenance(paper: Paper, origin: PaperOrigin): Paper {
  const provenance: Record<string, PaperOrigin> = {};
  for (const [field, value] of Object.entries(paper)) if (value !== undefined && field !== 'id' && field !== 'source' && field !== 'owners') provenance[field] = origin;
  return { ...paper, provenance };
}

function checked(candidate: Paper, label: string): PaperOrReason {
  const parsed = PaperSchema.safeParse(candidate);
  if (parsed.success) return { paper: parsed.data };
  const issue = parsed.error.issues[0];
  return { reason: `${label}: not a valid paper at ${issue?.path.join('.') ?? '?'}: ${issue?.message ?? 'unknown'}` };
}

/** OpenAlex gives a work's first 100 authorships only. */
const OPENALEX_MAX_AUTHORS = 100;

/** A cached work read back as a paper, or undefined where it no longer fits the paper schema. */
export function cachedPaper(value: unknown): Paper | undefined {
  const parsed = PaperSchema.safeParse(value);
  return parsed.success ? parsed.data : undefined;
}
