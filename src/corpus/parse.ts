/** One profile page's text → its owner, header stats and papers; pure and total. A bad block is reported and skipped to the next date line. */
import { categoryFor } from './categories.js';
import { FileReader, type ParseOptions } from './file-reader.js';
import { paperId } from './ids.js';
import { latexToChat, latexToPlain } from './latex.js';
import { PaperSchema, type Diagnostic, type Paper, type Profile, type ProfileStats } from './schema.js';

/** What one page yields: its profile (null for a page with no paper), the papers read, and the problems met. */
export interface ParsedPage {
  profile: Profile | null;
  papers: Paper[];
  diagnostics: Diagnostic[];
}

/** Reads one profile page. `file` names the page in sources and diagnostics. */
export function parseProfilePage(text: string, file: string, options: ParseOptions = {}): ParsedPage {
  return new PageReader(text, file, options, UNNAMED_FILE).read();
}

/** The paper if the schema accepts it, else the first issue as `path message`. */
export function checkPaper(candidate: Paper): Paper | string {
  const checked = PaperSchema.safeParse(candidate);
  const issue = checked.error?.issues[0];
  return checked.success ? checked.data : `${issue?.path.join('.') ?? ''} ${issue?.message ?? ''}`.trim();
}

/** A diagnostic as printed and thrown: `corpus: file:line: reason`. */
export function formatDiagnostic(diagnostic: Diagnostic): string {
  return `corpus: ${diagnostic.file}:${diagnostic.line}: ${diagnostic.reason}`;
}

/** The parts of a date line `<CAT><Mon> <D>[, <YYYY>][Code]`, before the date is checked. */
type DateLine = NonNullable<ReturnType<typeof matchDateLine>>;

/** Splits a line shaped like a date line (`LGApr 1, 2025Code`) into its parts; null if it has not that shape. */
function matchDateLine(line: string) {
  const match = DATE_LINE.exec(line);
  if (!match) return null;
  const [, categoryCode = '', month = '', day = '', year, code] = match;
  return { categoryCode, month, day: Number(day), year: year === undefined ? null : Number(year), hasCode: code !== undefined };
}

/** The month number (1–12) for a page's month name (`Jan`, `Sept`, `January`), or null. */
export function monthNumber(name: string): number | null {
  const lower = name.toLowerCase();
  const index = FULL_MONTHS.findIndex((full) => lower === full || lower === full.slice(0, 3));
  return index >= 0 ? index + 1 : lower === 'sept' ? 9 : null;
}

/** The first valid http(s) URL in `text` that `accept`s, trailing punctuation (`.,;:)]`, unless balanced) stripped; or null. */
export function firstUrl(text: string, accept = (_url: string): boolean => true): string | null {
  for (const match of text.matchAll(URL_IN_TEXT)) {
    const url = stripTrailingPunctuation(match[0]);
    if (PaperSchema.shape.codeUrl.safeParse(url).success && accept(url)) return url;
  }
  return null;
}

function stripTrailingPunctuation(url: string): string {
  let end = url.length;
  while (end > 0) {
    const last = url.charAt(end - 1);
    if (!TRAILING_PUNCTUATION.includes(last)) break;
    const kept = url.slice(0, end);
    if (last === ')' && occurrences(kept, '(') >= occurrences(kept, ')')) break;
    if (last === ']' && occurrences(kept, '[') >= occurrences(kept, ']')) break;
    end--;
  }
  return url.slice(0, end);
}

interface Line {
  n: number;
  text: string;
}

class PageReader extends FileReader {
  readonly #lines = this.#contentLines();
  #at = 0;

  read(): ParsedPage {
    const header = this.#lines.length > 0 ? this.#readHeader() : null;
    const owner = header?.owner ?? ownerFromFileName(this.file);
    if (header?.owner === null) this.report(1, `page has no owner line; owner "${clipQuote(owner)}" taken from the file name`);
    const papers: Paper[] = [];
    while (this.#at < this.#lines.length) {
      const paper = this.#readPaper(owner);
      if (paper) papers.push(paper);
    }
    // A page with no paper (or no text) is no profile: it would show as an owner with 0 papers in /stats.
    if (!header || papers.length === 0) {
      this.report(1, NO_PAPER);
      return { profile: null, papers: [], diagnostics: this.diagnostics };
    }
    const profile: Profile = { ...header, owner, papersRead: papers.length, file: this.file };
    return { profile, papers, diagnostics: this.diagnostics };
  }

  /** Normalises each line (NFC, whitespace) and drops blank and binary lines, reporting each binary run once. */
  #contentLines(): Line[] {
    const content: Line[] = [];
    let binaryRun = false;
    this.text.split('\n').forEach((raw, index) => {
      const binary = binaryKind(raw);
      if (binary) {
        if (!binaryRun) this.report(index + 1, `binary data (${binary}) skipped`);
        binaryRun = true;
        return;
      }
      const line = raw.normalize('NFC').replace(INVISIBLE, '').replace(/\s+/g, ' ').trim();
      if (!line) return;
      binaryRun = false;
      content.push({ n: index + 1, text: line });
    });
    return content;
  }

  /** The header: every line before the first date line. */
  #readHeader(): { owner: string | null; primaryCategory: string | null; stats: ProfileStats; papersListed: number | null } {
    const stats: ProfileStats = { hIndex: null, papers: null, citations: null, noveltyPercent: null, aiScore: null };
    let owner: string | null = null;
    let primaryCategory: string | null = null;
    let papersListed: number | null = null;
    let hIndexLine = 1;
    for (let line = this.#nextInBlock(); line; line = this.#nextInBlock()) {
      const text = line.text;
      let match: RegExpExecArray | null;
      if ((match = /^h-index ?([\d,]+)$/i.exec(text))) {
        stats.hIndex = parseCount(match[1]);
        hIndexLine = line.n;
      }
      else if ((match = /^([\d,]+)papers$/i.exec(text))) stats.papers = parseCount(match[1]);
      else if ((match = /^([\d,]+) ?citations$/i.exec(text))) stats.citations = parseCount(match[1]);
      else if ((match = /^novelty ?(\d+(?:\.\d+)?) ?%$/i.exec(text))) stats.noveltyPercent = decimal(match[1]);
      else if ((match = /^ai score ?(\d+(?:\.\d+)?)$/i.exec(text))) stats.aiScore = decimal(match[1]);
      else if ((match = /^([\d,]+) papers$/i.exec(text))) papersListed = parseCount(match[1]);
      else if (/^[A-Z]{2,}$/.test(text) && primaryCategory === null) primaryCategory = text;
      else if (line === this.#lines[0] && text.length <= MAX_NAME_LENGTH) owner = latexToPlain(text) || null;
      else this.report(line.n, `unexpected header line "${clipQuote(text)}" skipped`);
    }
    const impossible = impossibleStats(stats, papersListed);
    if (impossible) this.report(hIndexLine, impossible);
    return { owner, primaryCategory, stats, papersListed };
  }

  /** One paper block from the current line (a date line, or junk up to the next one). */
  #readPaper(owner: string): Paper | null {
    const dateLine = this.#lines[this.#at++];
    if (!dateLine) return null;
    const dated = this.#readDateLine(dateLine);
    if (typeof dated === 'string') return this.#skipBlock(dateLine.n, dated);
    // The next line is the title, even one shaped like a date ("MLPerf 2"), unless it is a good date line or gives a year or Code.
    const titleLine = this.#lines[this.#at];
    const titleParts = titleLine && matchDateLine(titleLine.text);
    const unmistakable = titleParts && (titleParts.year !== null || titleParts.hasCode);
    const hasTitleLine = titleLine !== undefined && typeof this.#dateOf(titleLine.text) === 'string' && !unmistakable;
    if (hasTitleLine) this.#at++;
    const title = hasTitleLine ? latexToPlain(titleLine.text) : '';
    if (!title) return this.#skipBlock(dateLine.n, `date line "${clipQuote(dateLine.text)}" has no title`);
    const authorsLine = this.#nextInBlock();
    if (!authorsLine) return this.#skipBlock(dateLine.n, this.#missing(title, 'authors line'));
    const byline = readByline(authorsLine.text);
    if (typeof byline === 'string') return this.#skipBlock(authorsLine.n, `authors line of "${clipQuote(title)}" ${byline}`);
    const abstractLine = this.#nextInBlock();
    if (!abstractLine) this.report(dateLine.n, this.#missing(title, 'abstract'));
    const extra = this.#skipToNextDateLine();
    if (extra) this.report(extra.n, `unexpected text after the abstract of "${clipQuote(title)}" skipped`);
    const rawAbstract = abstractLine?.text ?? '';
    const category = categoryFor(dated.categoryCode);
    const candidate: Paper = {
      id: paperId(title),
      title,
      authors: byline.authors,
      authorsTruncated: byline.truncated,
      owners: [owner],
      affiliations: byline.affiliations,
      categoryCode: category.code,
      category: category.arxiv,
      categoryLabel: category.label,
      date: dated.date,
      hasCode: dated.hasCode,
      codeUrl: firstUrl(rawAbstract),
      abstract: latexToChat(rawAbstract),
      // A profile page lists arXiv papers: a category, no venue. A BibTeX entry or a source says where one appeared.
      type: 'preprint',
      source: { file: this.file, line: dateLine.n },
    };
    const checked = checkPaper(candidate);
    return typeof checked === 'string' ? this.#skipBlock(dateLine.n, `paper "${clipQuote(title)}" is invalid: ${checked}`.trim()) : checked;
  }

  /** Why a block lacks its `part`: the page ends there, or the next block starts. */
  #missing(title: string, part: string): string {
    return this.#at >= this.#lines.length ? `last paper is truncated (no ${part})` : `paper "${clipQuote(title)}" has no ${part}`;
  }

  /** Reports why a paper block is not read and skips the rest of it (if any is left); null, to return. */
  #skipBlock(line: number, reason: string): null {
    this.report(line, reason);
    this.#skipToNextDateLine();
    return null;
  }

  /** A date line's date, or why it has none; a date in the future is reported, and kept. */
  #readDateLine(line: Line): (DateLine & { date: string }) | string {
    const dated = this.#dateOf(line.text);
    if (typeof dated === 'string') return dated;
    // A date after the as-of date (a day's grace for time zones) is likely a mistyped year: it would head /latest until fixed.
    const grace = new Date(this.asOf.getTime() + 86_400_000);
    if (dated.date > isoDate(grace.getUTCFullYear(), grace.getUTCMonth() + 1, grace.getUTCDate())) {
      const shown = `${dated.month} ${dated.day}, ${dated.year}`;
      this.report(line.n, `date "${shown}" in date line "${clipQuote(line.text)}" is in the future; check its year`);
    }
    return dated;
  }

  /** A date line's parts with its year (a year-less date's resolved) and ISO date, or why it is none. */
  #dateOf(text: string): (DateLine & { year: number; date: string }) | string {
    const parts = matchDateLine(text);
    if (!parts) return `unexpected line "${clipQuote(text)}" skipped (expected a date line)`;
    const month = monthNumber(parts.month);
    if (month === null) return `unknown month "${clipQuote(parts.month)}" in date line "${clipQuote(text)}"`;
    const year = parts.year ?? yearNotAfter(month, parts.day, this.asOf);
    if (year === null || !isRealDate(year, month, parts.day)) {
      const shown = `${parts.month} ${parts.day}${parts.year === null ? '' : `, ${parts.year}`}`;
      return `no such date "${shown}" in date line "${clipQuote(text)}"`;
    }
    return { ...parts, year, date: isoDate(year, month, parts.day) };
  }

  /** The next line if it still belongs to this block (is not shaped like a date line). */
  #nextInBlock(): Line | undefined {
    const line = this.#lines[this.#at];
    if (!line || matchDateLine(line.text)) return undefined;
    this.#at++;
    return line;
  }

  /** Skips to the next line shaped like a date line; returns the first line skipped, if any. */
  #skipToNextDateLine(): Line | undefined {
    const first = this.#nextInBlock();
    while (this.#nextInBlock());
    return first;
  }
}

/** An authors line `A, B, C[ et al.][ · aff1, aff2]` read, or why it does not look like one. */
function readByline(text: string): { authors: string[]; truncated: boolean; affiliations: string[] } | string {
  const dot = text.indexOf(AFFILIATION_SEPARATOR);
  let names = dot < 0 ? text : text.slice(0, dot);
  const affiliationText = dot < 0 ? '' : text.slice(dot + AFFILIATION_SEPARATOR.length);
  const etAl = /,?\s*et al\.?$/i.exec(names);
  if (etAl) names = names.slice(0, etAl.index);
  const authors = plainList(names);
  if (authors.length === 0) return 'has no names';
  const odd = authors.find((name) => name.length > MAX_NAME_LENGTH || name.split(' ').length > MAX_NAME_WORDS);
  if (odd !== undefined) return `does not look like names: "${clipQuote(odd)}"`;
  const affiliations = [...new Set(plainList(affiliationText))];
  return { authors, truncated: etAl !== null, affiliations };
}

/** A comma-separated list's items as plain text (`latexToPlain`), empty ones left out. */
function plainList(text: string): string[] {
  return text
    .split(',')
    .map((part) => latexToPlain(part.trim()))
    .filter(Boolean);
}

/** Why a raw line is binary junk (`NUL bytes`, `control characters`), or null for text. */
function binaryKind(line: string): string | null {
  if (line.includes('\u0000')) return 'NUL bytes';
  if (CONTROL.test(line)) return 'control characters';
  const replacements = line.match(/\uFFFD/g)?.length ?? 0;
  if (replacements > 0 && replacements * 4 >= line.length) return 'undecodable bytes';
  return null;
}

/** The latest year in which month/day exists and is not after `asOf` (UTC); null if none in eight years (Feb 30). */
function yearNotAfter(month: number, day: number, asOf: Date): number | null {
  const limit = isoDate(asOf.getUTCFullYear(), asOf.getUTCMonth() + 1, asOf.getUTCDate());
  for (let year = asOf.getUTCFullYear(); year > asOf.getUTCFullYear() - 8; year--) {
    if (isRealDate(year, month, day) && isoDate(year, month, day) <= limit) return year;
  }
  return null;
}

/** True when the day exists in a year 1–9999. */
export function isRealDate(year: number, month: number, day: number): boolean {
  const date = new Date(0);
  date.setUTCFullYear(year, month - 1, day);
  return year >= 1 && year <= 9999 && date.getUTCMonth() === month - 1 && date.getUTCDate() === day;
}

/** `YYYY-MM-DD`. */
export function isoDate(year: number, month: number, day: number): string {
  return `${String(year).padStart(4, '0')}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`;
}

/** "francesco-locatello.txt" → "Francesco Locatello": the owner when a page has no name line. */
export function ownerFromFileName(file: string): string {
  const base = file.split(/[\\/]/).pop() ?? file;
  const words = base
    .replace(/\.[^.]*$/, '')
    .split(/[-_\s.]+/)
    .filter(Boolean);
  const name = words.map((w) => w.charAt(0).toUpperCase() + w.slice(1)).join(' ');
  return name || UNNAMED_OWNER;
}

/** A glued count (`7,711`) as a number; null if it is not a safe integer. */
function parseCount(digits: string | undefined): number | null {
  const value = Number((digits ?? '').replace(/,/g, ''));
  return Number.isSafeInteger(value) && value >= 0 ? value : null;
}

function decimal(digits: string | undefined): number | null {
  const value = Number(digits);
  return Number.isFinite(value) && value >= 0 ? value : null;
}

function occurrences(text: string, ch: string): number {
  return text.split(ch).length - 1;
}

/** Quoted page text in a diagnostic: one line, at most 60 characters. */
export function clipQuote(text: string): string {
  const flat = text.replace(/\s+/g, ' ');
  return flat.length > QUOTE_MAX ? `${flat.slice(0, QUOTE_MAX - 1)}…` : flat;
}

const DATE_LINE = /^([A-Z]{2,})([A-Z][a-z]{2,8})\.? (\d{1,2})(?:, ?(\d{4}))?(?: ?(Code))?$/;
const FULL_MONTHS = ['january', 'february', 'march', 'april', 'may', 'june', 'july', 'august', 'september', 'october', 'november', 'december'];
const URL_IN_TEXT = /https?:\/\/[^\s<>"{}|\\^`]+/g;
const TRAILING_PUNCTUATION = '.,;:)]';
const AFFILIATION_SEPARATOR = ' · ';
// C0/C1 control characters other than tab and newline: a line holding them is not page text.
const CONTROL = /[\u0001-\u0008\u000B\u000C\u000E-\u001F\u007F-\u009F]/;
const INVISIBLE = /[\u200B-\u200D\u2060]/g;
export const MAX_NAME_LENGTH = 100;
const MAX_NAME_WORDS = 8;
const QUOTE_MAX = 60;
const UNNAMED_FILE = '(unnamed page)';
const UNNAMED_OWNER = 'Unknown owner';

/** Why the header figures cannot all be true (an h-index of h needs h papers and h² citations), or null. */
export function impossibleStats(stats: ProfileStats, papersListed: number | null): string | null {
  const h = stats.hIndex;
  const formatCount = (n: number): string => n.toLocaleString('en-US');
  if (h === null || h === 0) return null;
  const reasons: string[] = [];
  if (stats.citations !== null && stats.citations < h * h) reasons.push(`at least ${formatCount(h * h)} citations (the page says ${formatCount(stats.citations)})`);
  const papers = stats.papers ?? papersListed;
  if (papers !== null && papers < h) reasons.push(`at least ${formatCount(h)} papers (the page says ${formatCount(papers)})`);
  if (reasons.length === 0) return null;
  return `header figures cannot all be true: an h-index of ${formatCount(h)} needs ${reasons.join(' and ')}; they are shown as printed`;
}

/** The diagnostic of a page that yields no paper, with what to do about it. */
const NO_PAPER =
  'page has no paper; skipped: a profile page lists each paper under a date line such as "LGJul 19, 2022" (see data/profiles/); for a list from Google Scholar, DBLP or Zotero, save its BibTeX export as a .bib file';
