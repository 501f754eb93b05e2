/** The sources' records → `Paper`, checked against the corpus's schema; a record that makes no valid paper gives the reason. */
import { categoryForArxivClass, NO_CATEGORY } from '../corpus/categories.js';
import { paperId } from '../corpus/ids.js';
import { latexToChat, latexToPlain } from '../corpus/latex.js';
import { findArxivId, findDoi } from '../corpus/links.js';
import { firstUrl } from '../corpus/parse.js';
import { PaperSchema, type Paper, type PaperOrigin, type PaperType } from '../corpus/schema.js';
import { withoutVersion, type ArxivEntry } from './arxiv.js';
import type { CrossrefWork } from './crossref.js';
import { firstIssue } from './http.js';
import { abstractFromInvertedIndex, shortId, type Location, type Work } from './openalex.js';

/** A paper, or why the record makes none. */
export type PaperOrReason = { paper: Paper } | { reason: string };

/** An OpenAlex work as a paper owned by `owner` (a lab member), its citation count as read on `readOn` (YYYY-MM-DD). */
export function paperFromWork(work: Work, owner: string, readOn: string): PaperOrReason {
  const id = shortId(work.id);
  const title = cleanText(work.title ?? work.display_name ?? '');
  const authors = work.authorships.map((a) => cleanText(a.author.display_name ?? a.raw_author_name ?? ''));
  const date = dateOf(work.publication_date, work.publication_year);
  const locations = [work.primary_location, ...(work.locations ?? [])].filter((l): l is Location => Boolean(l));
  const doi = work.doi ? findDoi(work.doi) : null;
  const arxivId = arxivIdOf(doi, locations);
  const published = locations.find((l) => l.source && l.source.type !== 'repository' && l.source.display_name);
  const biblio = work.biblio ?? {};
  const pages = [biblio.first_page, biblio.last_page].filter((p): p is string => Boolean(p?.trim())).join('-');
  const affiliations = [...new Set(work.authorships.flatMap((a) => (a.institutions ?? []).map((i) => i.display_name?.trim() ?? '')).filter(Boolean))];
  return paperOf('openalex', id, { title, names: authors, date, latexAbstract: abstractFromInvertedIndex(work.abstract_inverted_index) }, {
    owners: [owner],
    authorsTruncated: work.authorships.length >= OPENALEX_MAX_AUTHORS,
    affiliations,
    ...(arxivId ? { arxivId } : {}),
    ...(doi ? { doi } : {}),
    type: typeOfWork(work, published ?? null),
    ...(published?.source?.display_name ? { venue: cleanText(published.source.display_name) } : {}),
    ...shortFields({ volume: biblio.volume, issue: biblio.issue, pages }),
    ...(published?.source?.host_organization_name ? { publisher: published.source.host_organization_name } : {}),
    source: { file: work.id, line: 1 },
    openalexId: id,
    ...(work.cited_by_count !== undefined ? { citedBy: { count: work.cited_by_count, asOf: readOn, source: 'OpenAlex' as const } } : {}),
  });
}

/** The paper with arXiv's primary category and categories (and its abstract or fuller author list where OpenAlex had less). */
export function withArxiv(paper: Paper, entry: ArxivEntry): Paper {
  const categories = categoriesOf(entry);
  const provenance: Record<string, PaperOrigin> = { ...paper.provenance };
  const next: Paper = { ...paper, ...categories, provenance };
  if ('category' in categories) provenance.category = 'arxiv';
  if ('categories' in categories) provenance.categories = 'arxiv';
  if (!next.abstract && entry.summary) {
    next.abstract = latexToChat(entry.summary);
    next.codeUrl = firstUrl(next.abstract);
    provenance.abstract = 'arxiv';
  }
  if (entry.authors.length > next.authors.length) {
    next.authors = entry.authors.map(cleanText);
    next.authorsTruncated = false;
    provenance.authors = 'arxiv';
  }
  if (!next.arxivId) next.arxivId = entry.id;
  return cachedPaper(next) ?? paper;
}

/** An arXiv record as a paper of its own (for `/cite` of a paper outside the corpus). */
export function paperFromArxiv(entry: ArxivEntry): PaperOrReason {
  const label = `arXiv ${entry.id}`;
  const doi = entry.doi ? findDoi(entry.doi) : null;
  const date: Dated = { date: entry.published, precision: 'day' };
  return paperOf('arxiv', label, { title: cleanText(entry.title), names: entry.authors.map(cleanText), date, latexAbstract: entry.summary }, {
    ...categoriesOf(entry),
    arxivId: entry.id,
    ...(doi ? { doi } : {}),
    type: 'preprint',
    source: { file: `https://arxiv.org/abs/${entry.id}`, line: 1 },
  });
}

/** A Crossref record as a paper of its own (for `/cite` of a paper outside the corpus). */
export function paperFromCrossref(work: CrossrefWork): PaperOrReason {
  const title = cleanText([work.title?.[0], work.subtitle?.[0]].filter(Boolean).join(': '));
  const authors = (work.author ?? []).map((a) => cleanText(a.name ?? [a.given, a.family].filter(Boolean).join(' ')));
  const [year, month, day] = (work.issued ?? work.published)?.['date-parts'][0] ?? [];
  const doi = findDoi(work.DOI);
  const date = dateOf(null, year, month, day);
  return paperOf('crossref', `Crossref ${work.DOI}`, { title, names: authors, date, latexAbstract: stripTags(work.abstract ?? '') }, {
    ...(doi ? { doi } : {}),
    type: TYPES[work.type] ?? 'other',
    ...(work['container-title']?.[0] ? { venue: cleanText(work['container-title'][0]) } : {}),
    ...shortFields({ volume: work.volume, issue: work.issue, pages: work.page ?? work['article-number'] }),
    ...(work.publisher ? { publisher: work.publisher.trim() } : {}),
    source: { file: `https://doi.org/${work.DOI}`, line: 1 },
  });
}

/** What every source's record gives: the abstract is LaTeX as the sources write it. */
type Basics = { title: string; names: string[]; date: Dated | null; latexAbstract: string };

// The paper a record makes (no category; its first author owns it), every field from `origin`; or what the record lacks.
function paperOf(origin: PaperOrigin, label: string, { title, names, date, latexAbstract }: Basics, own: Partial<Paper>): PaperOrReason {
  const authors = names.filter((name) => name.length > 0);
  if (!title) return { reason: `${label}: no title` };
  if (authors.length === 0) return { reason: `${label}: no author` };
  if (!date) return { reason: `${label}: no publication date` };
  const abstract = latexToChat(latexAbstract);
  const candidate: Paper = {
    id: paperId(title),
    title,
    authors,
    authorsTruncated: false,
    owners: authors.slice(0, 1),
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
    ...own,
  };
  const provenance: Record<string, PaperOrigin> = {};
  for (const [field, value] of Object.entries(candidate)) if (value !== undefined && field !== 'id' && field !== 'source' && field !== 'owners') provenance[field] = origin;
  const parsed = PaperSchema.safeParse({ ...candidate, provenance });
  return parsed.success ? { paper: parsed.data } : { reason: `${label}: not a valid paper at ${firstIssue(parsed.error)}` };
}

// arXiv's primary category (where we know it) and its categories (where it gives any).
function categoriesOf(entry: ArxivEntry): Partial<Paper> {
  const category = entry.primaryCategory ? categoryForArxivClass(entry.primaryCategory) : null;
  return {
    ...(category ? { categoryCode: category.code, category: category.arxiv, categoryLabel: category.label } : {}),
    ...(entry.categories.length > 0 ? { categories: entry.categories.slice(0, 32) } : {}),
  };
}

/** Text as the sources write it (HTML tags such as `<i>`, entities, LaTeX, wrapped lines) as plain text. */
function cleanText(text: string): string {
  return latexToPlain(stripTags(text)).replace(/\s+/g, ' ').trim();
}

function stripTags(text: string): string {
  return text
    .replace(/<[^>]{0,200}>/g, '')
    .replace(/&(amp|lt|gt|quot|#39|apos);/g, (_, name: string) => ({ amp: '&', lt: '<', gt: '>', quot: '"', '#39': "'", apos: "'" })[name] ?? '');
}

type Dated = { date: string; precision: 'year' | 'month' | 'day' };

// The date as YYYY-MM-DD and how much of it is known; null without a year.
function dateOf(full: string | null | undefined, year: number | null | undefined, month?: number | null, day?: number | null): Dated | null {
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
        if (id) return withoutVersion(id);
      }
    }
  }
  return null;
}

// OpenAlex's type → ours. OpenAlex calls journal articles, conference papers and posted content all `article`,
// and says which by the primary location (its source's type, its version); `type_crossref` says the rest.
function typeOfWork(work: Work, published: Location | null): PaperType {
  const type = work.type ?? '';
  if (type === 'preprint') return 'preprint';
  if (type === 'article' || type === 'review' || type === 'letter') {
    const primary = work.primary_location;
    if (primary?.version === 'submittedVersion' || primary?.source?.type === 'repository' || !published) return work.type_crossref === 'proceedings-article' ? 'conference-paper' : 'preprint';
    if (published.source?.type === 'conference' || work.type_crossref === 'proceedings-article') return 'conference-paper';
    return 'journal-article';
  }
  return TYPES[type] ?? TYPES[work.type_crossref ?? ''] ?? 'other';
}

// OpenAlex's and Crossref's type names → ours.
const TYPES: Readonly<Record<string, PaperType>> = {
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
  software: 'software',
};

// The fields whose text is short enough for a paper (at most 64 characters), trimmed; the others left out.
function shortFields(fields: Record<'volume' | 'issue' | 'pages', string | null | undefined>): Pick<Paper, 'volume' | 'issue' | 'pages'> {
  return Object.fromEntries(Object.entries(fields).flatMap(([name, value]) => {
    const text = value?.trim();
    return text && text.length <= 64 ? [[name, text]] : [];
  }));
}

/** OpenAlex gives a work's first 100 authorships only. */
const OPENALEX_MAX_AUTHORS = 100;

/** A cached work read back as a paper, or undefined where it no longer fits the paper schema. */
export function cachedPaper(value: unknown): Paper | undefined {
  const parsed = PaperSchema.safeParse(value);
  return parsed.success ? parsed.data : undefined;
}
