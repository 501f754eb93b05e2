/**
 * BibTeX with the entry types of BibTeX's own styles (Patashnik, "BibTeXing", 1988) and biblatex's `eprint`. What TeX
 * can spell of non-ASCII text is written as TeX (src/cite/tex.ts) for pdflatex; the rest stays Unicode for biber.
 */
import type { Paper, PaperType } from '../corpus/schema.js';
import { hasInnerCapital } from './case.js';
import { TEX_CONVERTIBLE, texFor } from './tex.js';
import { surname, type CitedName } from './names.js';
import { citedWork, workKey, type CitedWork } from './work.js';

/** Each paper type's entry type, and the field its venue goes in; any other type (a preprint, a dataset) is `@misc`. */
const BIBTEX_TYPES: Partial<Record<PaperType, { entry: string; venue: string }>> = {
  'journal-article': { entry: 'article', venue: 'journal' },
  'conference-paper': { entry: 'inproceedings', venue: 'booktitle' },
  thesis: { entry: 'phdthesis', venue: 'school' },
  report: { entry: 'techreport', venue: 'institution' },
  'book-chapter': { entry: 'incollection', venue: 'booktitle' },
  book: { entry: 'book', venue: 'publisher' },
};

/** The kinds `@phdthesis` and `@mastersthesis` say by themselves. */
const DEFAULT_GENRES = /^(?:doctoral dissertation|ph\.? ?d\.? thesis|master'?s thesis)$/i;

const MONTH_MACROS = ['jan', 'feb', 'mar', 'apr', 'may', 'jun', 'jul', 'aug', 'sep', 'oct', 'nov', 'dec'] as const;

/** LaTeX for each special. Braces become commands: BibTeX counts every brace, escaped or not, so `\{` would unbalance. */
const SPECIALS: Record<string, string> = {
  '\\': '\\textbackslash{}',
  '{': '\\textbraceleft{}',
  '}': '\\textbraceright{}',
  '&': '\\&',
  '%': '\\%',
  $: '\\$',
  '#': '\\#',
  _: '\\_',
  '~': '\\textasciitilde{}',
  '^': '\\textasciicircum{}',
};

/** The paper as a BibTeX entry; a truncated author list ends in `and others`. */
export function formatBibtex(paper: Paper): string {
  const work = citedWork(paper);
  const authors = work.authors.map(bibtexName);
  if (work.truncated) authors.push('others');
  const { entry: typeEntry, venue } = BIBTEX_TYPES[work.type] ?? { entry: 'misc', venue: 'howpublished' };
  const entry = work.type === 'thesis' && work.genre !== null && /master/i.test(work.genre) ? 'mastersthesis' : typeEntry;
  const [venueText, publisher] = venueAndPublisher(work, venue);
  const escaped = (value: string | null): string | null => (value ? escapeBibtex(value) : null);
  const fields: Array<[string, string | null]> = [
    ['title', protectTitle(work.title)],
    ['author', authors.join(' and ')],
    ['year', escapeBibtex(work.year)],
    ['month', work.month === null ? null : (MONTH_MACROS[work.month - 1] ?? null)],
    [venue, escaped(venueText)],
    // A kind of thesis or report the entry type does not already say ("Habilitation thesis", "Technical note").
    ['type', escaped(work.genre !== null && !DEFAULT_GENRES.test(work.genre) ? work.genre : null)],
    ['volume', escaped(work.volume)],
    ['number', escaped(work.issue)],
    // BibTeX writes a page range with an en dash as `--`.
    ['pages', escaped(work.pages?.replace('–', '--') ?? null)],
    ['publisher', escaped(publisher)],
    // Ids and DOIs hold no brace or backslash, the URL neither nor a space (src/corpus/schema.ts, links.ts): kept verbatim.
    ['eprint', work.arxivId],
    ['archivePrefix', work.arxivId ? 'arXiv' : null],
    ['doi', work.doi],
    ['url', work.url],
  ];
  const body = fields.flatMap(([name, value]) => (value === null ? [] : [`  ${name} = ${name === 'month' ? value : `{${value}}`}`]));
  return `@${entry}{${workKey(work)},\n${body.join(',\n')}\n}`;
}

// The venue field's text (for a preprint, where it was posted), and a publisher beside it where it says more.
function venueAndPublisher(work: CitedWork, field: string): [string | null, string | null] {
  if (field === 'howpublished') {
    return [work.venue ?? work.publisher ?? (work.type === 'preprint' ? 'arXiv preprint' : null), work.venue ? work.publisher : null];
  }
  if (field === 'journal' || field === 'booktitle') return [work.venue, work.publisher];
  // A school, an institution or a book's publisher: no second publisher.
  return [work.publisher ?? work.venue, null];
}

/** Escapes BibTeX's and LaTeX's specials, and writes what TeX can spell of non-ASCII text as TeX. */
function escapeBibtex(text: string): string {
  return text.replace(BIBTEX_ESCAPED, (run) => SPECIALS[run] ?? texFor(run) ?? run);
}

/** One pass over specials and convertible runs, so nothing written is escaped again. */
const BIBTEX_ESCAPED = new RegExp(`[\\\\{}&%$#_~^]|${TEX_CONVERTIBLE.source}`, 'gu');

/** The title escaped, each word with an inner capital braced (`{TC-Bench}`) so a style that lower-cases titles keeps it. */
function protectTitle(title: string): string {
  return title
    .split(' ')
    .map((token) => {
      const match = /^([^\p{L}\p{N}\p{M}]*)(.*?)([^\p{L}\p{N}\p{M}]*)$/u.exec(token);
      const [, lead = '', core = '', trail = ''] = match ?? [];
      if (!hasInnerCapital(core)) return escapeBibtex(token);
      return `${escapeBibtex(lead)}{${escapeBibtex(core)}}${escapeBibtex(trail)}`;
    })
    .join(' ');
}

// "von Last, Jr, First" (BibTeX's full form); a part holding a comma or the word "and" (or being "others") is braced so BibTeX reads it as one name.
function bibtexName(name: CitedName): string {
  const part = (text: string): string => {
    const escaped = escapeBibtex(text);
    return /,|\band\b|^others$/i.test(text) ? `{${escaped}}` : escaped;
  };
  return [part(surname(name)), name.suffix, name.given ? part(name.given) : ''].filter(Boolean).join(', ');
}
