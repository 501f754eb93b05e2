/** A BibTeX file (as Google Scholar, DBLP, Zotero or Overleaf export it) → the `ParsedPage` a page gives; pure and total. */
import { parse, type Creator, type Entry, type Library, type Options } from '@retorquere/bibtex-parser';
import { categoryForArxivClass, NO_CATEGORY } from './categories.js';
import { FileReader, type ParseOptions } from './file-reader.js';
import { paperId } from './ids.js';
import { latexToChat, latexToPlain } from './latex.js';
import { findArxivId, findDoi, safeLinkUrl } from './links.js';
import { checkPaper, clipQuote, firstUrl, isoDate, isRealDate, MAX_NAME_LENGTH, monthNumber, ownerFromFileName, type ParsedPage } from './parse.js';
import { type Paper, type PaperType, type Profile } from './schema.js';

/** The largest BibTeX file read (characters; the loader checks bytes): the parser takes 4–7 s per MB (bench/bibtex.ts). */
export const MAX_BIBTEX_CHARS = 2_000_000;

/** Entry types read as a paper only with an arXiv id or a DOI (a data set on Zenodo is; a web page, a talk, a book on the shelf are not). */
const PAPER_TYPES_WITH_ID = new Set(['misc', 'online', 'electronic', 'www', 'book', 'software', 'dataset']);
/** Entry types that are known and are not papers. */
const OTHER_TYPES = new Set([
  'mvbook', 'proceedings', 'mvproceedings', 'collection', 'mvcollection', 'manual', 'booklet',
  'patent', 'periodical', 'reference', 'mvreference', 'set', 'xdata', 'artwork', 'audio', 'video', 'image', 'music', 'movie',
  'standard', 'jurisdiction', 'legislation', 'legal', 'letter', 'performance', 'review', 'suppbook', 'suppcollection',
  'suppperiodical', 'bookinbook', 'codefragment', 'unknown',
]);

/** Text fields read as written (our TeX reader converts them), so their math and markup survive. */
const TEXT_FIELDS = [
  'title', 'journal', 'journaltitle', 'booktitle', 'school', 'institution', 'howpublished', 'note', 'abstract', 'volume', 'code',
  'github', 'eventtitle',
];

/** How the parser is asked to read: text fields verbatim (sentence-casing and case protection touch only title fields). */
const PARSER_OPTIONS: Options = {
  fieldMode: Object.fromEntries(TEXT_FIELDS.map((name) => [name, 'verbatim' as const])),
  // A command the parser does not know (in a name): our reader's text for it, never an error or a throw.
  unsupported: (_node, tex) => plainText(tex),
};

/** Journal names that only say "arXiv": the paper's venue is then none (its arXiv id says the rest). */
const ARXIV_VENUE = /^(?:arxiv(?:\s+preprint)?(?:\s+arxiv:\S+)?|corr|arxiv\.org|preprint)$/i;
const CODE_HOSTS = /^https?:\/\/(?:www\.)?(?:github\.com|gitlab\.com|bitbucket\.org|codeberg\.org|git\.sr\.ht)\/[^/\s]+\/[^/\s]+/i;

/** Reads one BibTeX file. `file` names it in sources and diagnostics; `asOf` is the day a year after which is reported. */
export function parseBibtexFile(text: string, file: string, options: ParseOptions = {}): ParsedPage {
  return new BibtexReader(text, file, options, '(unnamed file)').read();
}

class BibtexReader extends FileReader {
  readonly #text = this.text.normalize('NFC');
  readonly #lineStarts = [0, ...Array.from(this.#text.matchAll(/\n/g), (match) => match.index + 1)];

  read(): ParsedPage {
    const owner = this.#owner();
    if (this.#text.length > MAX_BIBTEX_CHARS) {
      this.report(1, `file is larger than ${MAX_BIBTEX_CHARS / 1_000_000} million characters; skipped`);
      return { profile: null, papers: [], diagnostics: this.diagnostics };
    }
    const entries = this.#entries();
    const papers = entries.flatMap((located) => this.#paper(located, owner) ?? []);
    if (entries.length === 0 && this.diagnostics.length === 0) this.report(1, 'file has no BibTeX entry (is it a .bib file?)');
    else if (papers.length === 0) this.report(1, 'file has no entry that could be read as a paper');
    this.diagnostics.sort((a, b) => a.line - b.line);
    const stats = { hIndex: null, papers: null, citations: null, noveltyPercent: null, aiScore: null };
    const profile: Profile = { owner, primaryCategory: null, stats, papersListed: null, papersRead: papers.length, file: this.file };
    return { profile: papers.length === 0 ? null : { ...profile, format: 'bibtex' }, papers, diagnostics: this.diagnostics };
  }

  /** `% owner: Ada Quill` on the first line, else the file name (`ada-quill.bib` → "Ada Quill"). */
  #owner(): string {
    const match = /^\s*%+\s*owner\s*:\s*(.*)$/i.exec(this.#text.split('\n', 1)[0] ?? '');
    const named = match ? plainText(match[1] ?? '').slice(0, MAX_NAME_LENGTH).trim() : '';
    if (match && !named) this.report(1, 'the owner line names nobody; owner taken from the file name');
    return named || ownerFromFileName(this.file);
  }

  /** Every entry the parser found, located in the text (the parser gives no positions); its errors reported. */
  #entries(): Array<{ entry: Entry; line: number }> {
    let library: Library;
    try {
      library = parse(this.#text, PARSER_OPTIONS);
    } catch (error) {
      // Not seen in 20,000 fuzzed inputs; kept so a file can never take the loader down.
      this.report(1, parserReason(error));
      return [];
    }
    for (const error of library.errors) {
      const at = /at line (\d+)/.exec(error.error);
      const found = error.input ? this.#text.indexOf(error.input) : -1;
      this.report(found >= 0 ? this.#lineOf(found) : at ? Number(at[1]) : 1, parserReason(error.error));
    }
    const located: Array<{ entry: Entry; line: number }> = [];
    let cursor = 0;
    for (const entry of library.entries) {
      // An entry the parser could not read has no text (its error is reported above); the rest come in text order.
      if (!entry.input) continue;
      let at = this.#text.indexOf(entry.input, cursor);
      if (at < 0) at = this.#text.indexOf(entry.input);
      if (at >= 0) cursor = at + entry.input.length;
      located.push({ entry, line: at >= 0 ? this.#lineOf(at) : 1 });
    }
    return located;
  }

  /** One entry as a paper, or null (reported) when it is not one or cannot be read. */
  #paper({ entry, line }: { entry: Entry; line: number }, owner: string): Paper | null {
    const type = entry.type.toLowerCase();
    const key = clipQuote(entry.key || '(no key)');
    const what = `entry @${type}{${key}}`;
    const text = (name: string): string => fieldText(entry.fields[name]);
    const arxivId = arxivIdOf(text);
    const doi = findDoi(unescapeUrl(text('doi'))) ?? findDoi(unescapeUrl(text('url'))) ?? undefined;
    if (!PAPER_TYPES.has(type)) {
      const known = OTHER_TYPES.has(type);
      if (!PAPER_TYPES_WITH_ID.has(type)) return this.#skip(line, `${what} ${known ? 'is not a paper' : 'has an unknown entry type'}`);
      if (!arxivId && !doi) return this.#skip(line, `${what} has no eprint or DOI, so it is not read as a paper`);
    }
    const title = plainText(text('title'));
    if (!title) return this.#skip(line, `${what} has no title`);
    const quoted = `"${clipQuote(title)}"`;
    const people = this.#authors(entry.fields.author, line, quoted);
    if (people.authors.length === 0) return this.#skip(line, `${what} ${quoted} has no author`);
    const date = readDate(text);
    if (typeof date === 'string') return this.#skip(line, `${what} ${quoted} ${date}`);
    if (date.year > this.asOf.getUTCFullYear()) this.report(line, `${what} ${quoted} has the year ${date.year}, in the future; check it`);
    const url = this.#url(text('url'), line, what);
    const code = codeOf(text('code'), text('github'), `${text('note')} ${text('abstract')}`);
    const rawAbstract = text('abstract');
    const category = categoryForArxivClass(text('primaryclass') || text('eprintclass')) ?? NO_CATEGORY;
    const candidate: Paper = {
      id: paperId(title),
      title,
      authors: people.authors,
      authorsTruncated: people.truncated,
      owners: [owner],
      affiliations: [],
      categoryCode: category.code,
      category: category.arxiv,
      categoryLabel: category.label,
      date: date.iso,
      ...(date.precision === 'day' ? {} : { datePrecision: date.precision }),
      hasCode: code !== null,
      codeUrl: code ?? firstUrl(rawAbstract),
      abstract: latexToChat(paragraphs(rawAbstract), 'bibtex'),
      ...(arxivId ? { arxivId } : {}),
      ...(doi ? { doi } : {}),
      ...detailsOf(type, text, arxivId),
      ...(url ? { url } : {}),
      source: { file: this.file, line },
    };
    const checked = checkPaper(candidate);
    return typeof checked === 'string' ? this.#skip(line, `${what} ${quoted} is invalid: ${checked}`) : checked;
  }

  /** Reports why an entry is not read as a paper; null, to return. */
  #skip(line: number, reason: string): null {
    this.report(line, `${reason}; skipped`);
    return null;
  }

  /** The display names ("Julius von Kügelgen", "John Smith Jr."), and whether the list ends in "and others". */
  #authors(creators: Creator[] | undefined, line: number, quoted: string): { authors: string[]; truncated: boolean } {
    const authors: string[] = [];
    let truncated = false;
    for (const creator of Array.isArray(creators) ? creators : []) {
      if (creator.lastName === 'others' || creator.name === 'others') {
        truncated = true;
        continue;
      }
      const name = displayName(creator);
      if (!name) continue;
      if (name.length > MAX_NAME_LENGTH) {
        this.report(line, `author "${clipQuote(name)}" of ${quoted} is longer than ${MAX_NAME_LENGTH} characters; left out`);
        truncated = true;
        continue;
      }
      authors.push(name);
    }
    return { authors, truncated };
  }

  /** The entry's url field when it is an http(s) link; anything else is reported and dropped. */
  #url(value: string, line: number, what: string): string | null {
    const url = unescapeUrl(value.trim().split(/\s+/)[0] ?? '');
    if (!url) return null;
    const safe = safeLinkUrl(url);
    if (!safe) this.report(line, `${what} has a url that is not an http(s) link ("${clipQuote(url)}"); ignored`);
    return safe;
  }

  // A binary search: it runs once per entry, and a 2 MB file has some 50,000 lines.
  #lineOf(offset: number): number {
    let low = 0;
    let high = this.#lineStarts.length - 1;
    while (low < high) {
      const mid = (low + high + 1) >> 1;
      if ((this.#lineStarts[mid] ?? 0) <= offset) low = mid;
      else high = mid - 1;
    }
    return low + 1;
  }
}

/** A field's TeX as plain text on one line: exports wrap long fields over lines, and in TeX a line break is a space. */
function plainText(tex: string): string {
  return latexToPlain(tex, 'bibtex').replace(/\s+/g, ' ').trim();
}

/** A field wrapped over lines as TeX reads it: a blank line is a new paragraph. */
function paragraphs(text: string): string {
  return text
    .split(/\n[ \t]*\n\s*/)
    .map((paragraph) => paragraph.replace(/\s+/g, ' ').trim())
    .filter(Boolean)
    .join('\n\n');
}

/** A URL or DOI as exports write it (DBLP escapes `_` as `\\_`, some `\\url{…}` it): the URL itself. */
function unescapeUrl(text: string): string {
  return text.replace(/^\\url\{(.*)\}$/s, '$1').replace(/\\([_%&#$~])/g, '$1');
}

/** A field's value as one string: the parser gives text, or a list for some fields. */
function fieldText(value: unknown): string {
  if (typeof value === 'string') return value.trim();
  if (Array.isArray(value)) return value.filter((v): v is string => typeof v === 'string').join(', ').trim();
  return '';
}

/** The arXiv id, wherever the export put it: eprint, DBLP's volume, Scholar's journal, the note, the URL or DOI. */
function arxivIdOf(text: (name: string) => string): string | undefined {
  const prefix = (text('archiveprefix') || text('eprinttype')).toLowerCase();
  const eprint = text('eprint');
  const eprintId = eprint && (prefix === '' || prefix === 'arxiv') ? findArxivId(eprint) : null;
  if (eprintId) return eprintId;
  for (const name of ['journal', 'volume', 'note', 'url', 'doi', 'howpublished']) {
    const id = findArxivId(text(name).replace(/\s+/g, ' '));
    if (id && (name !== 'volume' || /^abs\//i.test(text(name)))) return id;
  }
  return undefined;
}

const VENUE_MAX = 300;

/** Each entry type's paper type (`@misc` and the like are typed by what they carry). */
const ENTRY_PAPER_TYPES: Readonly<Record<string, PaperType>> = {
  article: 'journal-article',
  inproceedings: 'conference-paper',
  conference: 'conference-paper',
  incollection: 'book-chapter',
  inbook: 'book-chapter',
  phdthesis: 'thesis',
  mastersthesis: 'thesis',
  thesis: 'thesis',
  techreport: 'report',
  report: 'report',
  unpublished: 'preprint',
  preprint: 'preprint',
  book: 'book',
  software: 'software',
  dataset: 'dataset',
};
/** Entry types that always describe a paper. */
const PAPER_TYPES = new Set(Object.keys(ENTRY_PAPER_TYPES).filter((type) => !PAPER_TYPES_WITH_ID.has(type)));

/** The schema's limit on volume, issue and pages. */
const DETAIL_MAX = 64;

/** The venue, type, volume, issue, pages and publisher; an `@article` in "arXiv" or "CoRR" is a preprint. */
function detailsOf(type: string, text: (name: string) => string, arxivId: string | undefined): Partial<Paper> {
  const journal = text('journal') || text('journaltitle') || text('booktitle');
  let paperType: PaperType = ENTRY_PAPER_TYPES[type] ?? (arxivId ? 'preprint' : 'other');
  const body = paperType === 'thesis' ? text('school') || text('institution') : paperType === 'report' ? text('institution') : '';
  const howpublished = /^https?:|\\url/i.test(text('howpublished')) ? '' : text('howpublished');
  const named = plainText(journal || text('eventtitle') || body || howpublished);
  const venue = !named || ARXIV_VENUE.test(named) ? undefined : named.length > VENUE_MAX ? `${named.slice(0, VENUE_MAX - 1)}…` : named;
  if (paperType === 'journal-article' && journal !== '' && venue === undefined) paperType = 'preprint';
  const detail = (name: string): string | undefined => {
    const value = plainText(text(name));
    return value && value.length <= DETAIL_MAX ? value : undefined;
  };
  // DBLP puts a CoRR paper's arXiv path in `volume` ("abs/2207.09239"): not a volume.
  const volume = /^abs\//i.test(text('volume')) ? undefined : detail('volume');
  const issue = detail('number') ?? detail('issue');
  const pages = detail('pages')?.replace(/\s*-+\s*/g, '–');
  const publisher = plainText(body || text('publisher') || (paperType === 'preprint' && arxivId ? '' : text('organization'))).slice(0, VENUE_MAX);
  // The entry's own `type` field names the kind ("Habilitation thesis"); else the entry type does, as APA names it.
  const entryGenre = type === 'phdthesis' ? 'Doctoral dissertation' : type === 'mastersthesis' ? "Master's thesis" : undefined;
  const genre = paperType === 'thesis' || paperType === 'report' ? (detail('type') ?? entryGenre) : undefined;
  const details = { venue, type: paperType, ...(paperType === 'preprint' ? {} : { volume, issue, pages }), publisher, genre };
  return Object.fromEntries(Object.entries(details).filter(([, value]) => value)) as Partial<Paper>;
}

/** A code link: the code or github field (a URL or `owner/repo`), else the first code-host URL in the note or abstract. */
function codeOf(code: string, github: string, prose: string): string | null {
  for (const value of [code, github]) {
    const url = value.trim();
    if (!url) continue;
    const link = /^[\w.-]+\/[\w.-]+$/.test(url) ? `https://github.com/${url}` : safeLinkUrl(unescapeUrl(url));
    if (link) return link;
  }
  return firstUrl(prose, (url) => CODE_HOSTS.test(url));
}

/** A person as one display name: "Julius von Kügelgen", "John Smith Jr.", "DeepMind" (a literal name). */
function displayName(creator: Creator): string {
  const parts = creator.name !== undefined ? [creator.name] : [creator.firstName, creator.prefix, creator.lastName, creator.suffix];
  return parts
    .map((part) => stripMarkup(part ?? ''))
    .join(' ')
    .replace(/\s+/g, ' ')
    .trim();
}

// The parser marks up small caps, italics and the like in names as HTML (`<span …>Ng</span>`).
function stripMarkup(text: string): string {
  const plain = text.replace(/<\/?(?:i|b|em|strong|sup|sub|sc|span|nc|code)(?:\s[^>]*)?>/gi, '');
  // The parser writes `{\'\i}` as a dotless i with the accent ("ı́"); the accent replaces the dot of an i.
  return plain.replace(/ı(?=\p{M})/gu, 'i').replace(/ȷ(?=\p{M})/gu, 'j').normalize('NFC');
}

/** The entry's date, from its year, month, day and date fields, or why it has none. */
function readDate(text: (name: string) => string): { iso: string; year: number; precision: 'year' | 'month' | 'day' } | string {
  const [yearText, monthText, dayText, dateText] = [text('year'), text('month'), text('day'), text('date')];
  // biblatex's `date = {2020-06-12}` (or `2020-06`, or a range: its start).
  const iso = /^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?(?:\/.*)?$/.exec(dateText.trim());
  let year = iso ? Number(iso[1]) : null;
  let month = iso?.[2] ? Number(iso[2]) : null;
  let day = iso?.[3] ? Number(iso[3]) : null;
  const yearClean = plainText(yearText);
  if (yearText) {
    if (!/^\d{4}$/.test(yearClean)) return `has a year that is no year ("${clipQuote(yearClean || yearText)}")`;
    year = Number(yearClean);
  }
  if (year === null) return dateText ? `has a date that is no date ("${clipQuote(dateText)}")` : 'has no year';
  if (monthText) {
    const m = plainText(monthText).replace(/\.$/, '');
    const number = /^\d{1,2}$/.test(m) ? Number(m) : monthNumber(m);
    // A month BibTeX cannot have ("Summer", "13") loses only the month.
    month = number !== null && number >= 1 && number <= 12 ? number : null;
  }
  if (dayText && month !== null && /^\d{1,2}$/.test(dayText.trim())) day = Number(dayText.trim());
  if (month === null || (day !== null && !isRealDate(year, month, day))) day = null;
  const precision = day !== null ? 'day' : month !== null ? 'month' : 'year';
  return { iso: isoDate(year, month ?? 1, day ?? 1), year, precision };
}

/** A parser error as a diagnostic's reason, in plain words, without the parser's line and column. */
function parserReason(error: unknown): string {
  const message = (error instanceof Error ? error.message : String(error)).replace(/\s*at line \d+, column \d+/g, '').replace(/\s+/g, ' ').trim();
  for (const [pattern, reason] of PARSER_REASONS) {
    const match = pattern.exec(message);
    if (match) return reason.replace('$1', clipQuote(match[1] ?? ''));
  }
  return `entry could not be read: ${clipQuote(message || 'unknown error')}; skipped`;
}

/** The parser's errors (see @retorquere/bibtex-parser's verbatim.ts) as a lab admin would put them. */
const PARSER_REASONS: ReadonlyArray<readonly [RegExp, string]> = [
  [/^Unterminated brace-value/, 'entry could not be read: a brace is never closed; skipped'],
  [/^Unterminated quote-value/, 'entry could not be read: a quote is never closed; skipped'],
  [/^Unclosed math section/, 'entry could not be read: a $ is never closed; skipped'],
  [/^Runaway key/, 'entry could not be read: it is cut off, or its key never ends; skipped'],
  [/^(\S+) = value expected/, 'entry could not be read: field "$1" has no value; skipped'],
  [/^Token mismatch/, 'entry could not be read: unexpected text where the entry continues; skipped'],
  // The entry itself is read; only the macro's text is missing.
  [/^Unresolved @string reference "?([^"\s]*)/, 'no @string defines "$1"; it is left out'],
];
