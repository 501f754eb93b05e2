/** The corpus's types, defined once as zod schemas: the parser's output is checked against them; every other part reads them. */
import { z } from 'zod';

/** An arXiv identifier: `2006.15055`, `2006.15055v2`, or an old-style `hep-th/9901001`. */
export const ARXIV_ID = /^(?:\d{4}\.\d{4,5}|[a-z][a-z-]*(?:\.[A-Z]{2})?\/\d{7})(?:v\d{1,3})?$/;

/** A DOI: `10.<registrant>/<suffix>`, the suffix free of whitespace, braces and backslashes (so it is safe in BibTeX). */
export const DOI = /^10\.\d{4,9}\/[^\s{}\\]{1,300}$/;

/** The longest URL the bot links (Discord rejects longer ones). */
export const MAX_URL_LENGTH = 2_048;

/** An absolute http(s) URL: nothing else may ever become a link. */
export const HttpUrlSchema = z
  .string()
  .max(MAX_URL_LENGTH)
  .url()
  .refine((url) => /^https?:\/\//i.test(url), { message: 'not an http(s) URL' });

/** What kind of work a paper is, for citations. */
const PaperTypeSchema = z.enum([
  'journal-article',
  'conference-paper',
  'preprint',
  'thesis',
  'report',
  'book-chapter',
  'book',
  'dataset',
  'software',
  'other',
]);
export type PaperType = z.infer<typeof PaperTypeSchema>;

/** Where a field of a paper can come from: a profile page, a BibTeX file, or one of the sources. */
export const PAPER_ORIGINS = ['page', 'bibtex', 'openalex', 'arxiv', 'crossref'] as const;
export type PaperOrigin = (typeof PAPER_ORIGINS)[number];

/** One paper, as every command, the index and `npm run corpus -- --json` see it. */
export const PaperSchema = z.object({
  /** Derived from the normalized title (`paperId`). */
  id: z.string().regex(/^[a-z0-9]{6,16}$/),
  title: z.string().min(1),
  /** As printed, in order. */
  authors: z.array(z.string().min(1)).min(1),
  /** The page printed "et al." after the authors: the list is incomplete. */
  authorsTruncated: z.boolean(),
  /** The profile owners whose pages list this paper. */
  owners: z.array(z.string().min(1)).min(1),
  affiliations: z.array(z.string().min(1)),
  /** The page's code, e.g. `LG`; an unknown code is kept as printed. */
  categoryCode: z.string().min(1),
  /** arXiv name, e.g. `cs.LG`; the code itself where unknown. */
  category: z.string().min(1),
  /** Human label, e.g. `Machine Learning`; the code itself where unknown. */
  categoryLabel: z.string().min(1),
  /** `YYYY-MM-DD`; where only the year (or year and month) is known, the rest is `01` and `datePrecision` says so. */
  date: z.string().regex(/^\d{4}-\d{2}-\d{2}$/),
  /** How much of `date` is known; absent means the day (a page always gives it). */
  datePrecision: z.enum(['year', 'month', 'day']).optional(),
  hasCode: z.boolean(),
  /** The first http(s) URL in the abstract, trailing punctuation stripped, or null. */
  codeUrl: z.string().url().nullable(),
  /** As chat text: LaTeX turned into markdown and Unicode. */
  abstract: z.string(),
  arxivId: z.string().regex(ARXIV_ID).optional(),
  doi: z.string().regex(DOI).optional(),
  /** What kind of work it is; absent where no source says (citations then treat it as a preprint). */
  type: PaperTypeSchema.optional(),
  /** Where it was published (journal, proceedings, school …), as chat text. */
  venue: z.string().min(1).optional(),
  volume: z.string().min(1).max(64).optional(),
  /** The journal's issue (number), or a report's number. */
  issue: z.string().min(1).max(64).optional(),
  /** What kind of thesis or report it is ("Doctoral dissertation", "Technical report"). */
  genre: z.string().min(1).max(64).optional(),
  /** The page range, e.g. `123-145`, or an article number. */
  pages: z.string().min(1).max(64).optional(),
  /** The publisher (for a thesis the school, for a report the institution). */
  publisher: z.string().min(1).optional(),
  /** A BibTeX entry's own link. */
  url: HttpUrlSchema.optional(),
  /** Where it was read: a file and a 1-based line. */
  source: z.object({ file: z.string().min(1), line: z.number().int().min(1) }),
  /** Every arXiv category of the paper (the primary one first), where arXiv's API gave them. */
  categories: z.array(z.string().min(1).max(32)).max(32).optional(),
  openalexId: z.string().regex(/^W\d{1,15}$/).optional(),
  /** How often it is cited, as a source counted on a day. */
  citedBy: z.object({ count: z.number().int().nonnegative(), asOf: z.string().regex(/^\d{4}-\d{2}-\d{2}$/), source: z.enum(['OpenAlex', 'Crossref']) }).optional(),
  /** Where each field came from, where a source's work is part of the paper (`title: 'page'`, `doi: 'openalex'` …). */
  provenance: z.record(z.string(), z.enum(PAPER_ORIGINS)).optional(),
});
export type Paper = z.infer<typeof PaperSchema>;

/** The glued numbers in a page's header (`h-index137`, `7,711citations`, …); null where absent. */
const ProfileStatsSchema = z.object({
  hIndex: z.number().int().nonnegative().nullable(),
  papers: z.number().int().nonnegative().nullable(),
  citations: z.number().int().nonnegative().nullable(),
  noveltyPercent: z.number().nonnegative().nullable(),
  aiScore: z.number().nonnegative().nullable(),
});
export type ProfileStats = z.infer<typeof ProfileStatsSchema>;

/** One profile page: its owner and header, and how many papers it listed vs how many were read. */
export const ProfileSchema = z.object({
  owner: z.string().min(1),
  primaryCategory: z.string().nullable(),
  stats: ProfileStatsSchema,
  /** The count the page claims (`105 Papers`); null where absent. */
  papersListed: z.number().int().nonnegative().nullable(),
  papersRead: z.number().int().nonnegative(),
  file: z.string().min(1),
  /** Absent for a profile page. */
  format: z.enum(['page', 'bibtex']).optional(),
});
export type Profile = z.infer<typeof ProfileSchema>;

/** A problem met while reading a page: where, and why. */
export interface Diagnostic {
  file: string;
  line: number;
  reason: string;
}

/** Every page merged: what the bot serves. */
export interface Corpus {
  profiles: Profile[];
  /** Merged across pages (one paper on two pages is one entry), newest first, ties by title then id. */
  papers: Paper[];
  diagnostics: Diagnostic[];
}
