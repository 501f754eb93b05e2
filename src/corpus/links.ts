/** A paper's link, written once (`linkFor`), and the readers of arXiv ids and DOIs; every URL made here is safe in markdown and BibTeX. */
import { ARXIV_ID, DOI, HttpUrlSchema, MAX_URL_LENGTH, type Paper } from './schema.js';

/** A paper's link and what it is: its arXiv page, its DOI, its entry's own URL, or an arXiv title search. */
export interface PaperLink {
  kind: 'arxiv' | 'doi' | 'url' | 'search';
  url: string;
  /** A short name for it on a button: `arXiv`, `DOI`, `Paper`, `arXiv search`. */
  label: string;
}

/** The paper's link: arXiv page, else DOI, else the entry's URL, else an arXiv search for the title. */
export function linkFor(paper: Pick<Paper, 'title' | 'arxivId' | 'doi' | 'url'>): PaperLink {
  const id = identifierLinks(paper)[0];
  if (id) return { ...id, label: id.kind === 'arxiv' ? 'arXiv' : 'DOI' };
  const own = paper.url ? safeLinkUrl(paper.url) : null;
  if (own) return { kind: 'url', url: own, label: 'Paper' };
  return { kind: 'search', url: arxivTitleSearchUrl(paper.title), label: 'arXiv search' };
}

/** The paper's identifier links, for /paper: its arXiv abstract page and PDF, and its DOI, where it has them. */
export function identifierLinks(paper: Pick<Paper, 'arxivId' | 'doi'>): PaperLink[] {
  const links: PaperLink[] = [];
  if (paper.arxivId && ARXIV_ID.test(paper.arxivId)) {
    links.push({ kind: 'arxiv', url: `https://arxiv.org/abs/${encodeUrlText(paper.arxivId)}`, label: `arXiv:${paper.arxivId}` });
    links.push({ kind: 'arxiv', url: `https://arxiv.org/pdf/${encodeUrlText(paper.arxivId)}`, label: 'PDF' });
  }
  if (paper.doi && DOI.test(paper.doi)) links.push({ kind: 'doi', url: `https://doi.org/${encodeUrlText(paper.doi)}`, label: 'DOI' });
  return links;
}

/** An arXiv search for the title's words (accents dropped; other letters percent-encoded), at most `TITLE_QUERY_MAX` characters. */
export function arxivTitleSearchUrl(title: string): string {
  const words = Array.from(title.normalize('NFKD').replace(/\p{M}+/gu, '')).slice(0, TITLE_QUERY_MAX).join('').match(/[\p{L}\p{N}]+/gu) ?? [];
  return `https://arxiv.org/search/?query=${words.map((word) => encodeURIComponent(word)).join('+')}&searchtype=title`;
}

/** An http(s) URL with every character outside the safe set percent-encoded; null for anything else or one too long. */
export function safeLinkUrl(url: string): string | null {
  // HttpUrlSchema checks it with `new URL` and requires http(s), so the `new URL` below cannot throw.
  if (!HttpUrlSchema.safeParse(url.trim()).success) return null;
  const safe = encodeUrlText(new URL(url.trim()).href, true);
  return safe.length <= MAX_URL_LENGTH ? safe : null;
}

/** The arXiv id in text as BibTeX exports write it (`arXiv:2006.15055v2`, an arXiv URL or DOI, DBLP's `abs/…`), or null. */
export function findArxivId(text: string): string | null {
  const match = ARXIV_IN_TEXT.exec(text);
  if (!match) return null;
  const id = (match[1] ?? match[2] ?? '').replace(/\.pdf$/i, '');
  return ARXIV_ID.test(id) ? id : null;
}

/** The DOI in a `doi` field or a DOI URL (`https://doi.org/10.…`, `doi:10.…`), or null. */
export function findDoi(text: string): string | null {
  let plain = text.trim();
  try {
    // A DOI URL is percent-encoded; the DOI itself is not.
    if (/^https?:\/\//i.test(plain) && /%[0-9a-f]{2}/i.test(plain)) plain = decodeURIComponent(plain);
  } catch {
    return null;
  }
  const match = /(?:^|doi\.org\/|doi:\s*)(10\.\d{4,9}\/\S+)/i.exec(plain);
  if (!match) return null;
  const doi = (match[1] ?? '').replace(/[.,;]+$/, '');
  return DOI.test(doi) ? doi : null;
}

// Percent-encodes every character but the safe ones (`%` too, unless `keepEscapes` and it starts an escape).
function encodeUrlText(text: string, keepEscapes = false): string {
  return text.replace(keepEscapes ? UNSAFE_URL_CHAR_BUT_ESCAPES : UNSAFE_URL_CHAR, (ch) =>
    // A lone surrogate would make encodeURIComponent throw; it leaves `'()`, which would end a markdown link.
    /^[\uD800-\uDFFF]$/.test(ch) ? '%EF%BF%BD' : encodeURIComponent(ch).replace(/['()]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`),
  );
}

const UNSAFE_URL_CHAR = /[^A-Za-z0-9\-._~:/?=&+;@!$*,]/gu;
const UNSAFE_URL_CHAR_BUT_ESCAPES = /%(?![0-9A-Fa-f]{2})|[^A-Za-z0-9\-._~:/?=&+;@!$*,%]/gu;
/** An arXiv id after a marker that says it is one. */
const ARXIV_IN_TEXT =
  /(?:arxiv\.org\/(?:abs|pdf)\/|arxiv[:.\s]\s*|\babs\/)((?:\d{4}\.\d{4,5}|[a-z][a-z-]*(?:\.[A-Z]{2})?\/\d{7})(?:v\d{1,3})?)|^\s*((?:\d{4}\.\d{4,5}|[a-z][a-z-]*(?:\.[A-Z]{2})?\/\d{7})(?:v\d{1,3})?)\s*$/i;
const TITLE_QUERY_MAX = 200;
