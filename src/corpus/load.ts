/** The corpus files on disk (profile pages `*.txt`, BibTeX files `*.bib`) → the corpus; the steps are exported for the live reload. */
import { readdir, readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import { MAX_BIBTEX_CHARS, parseBibtexFile } from './bibtex.js';
import type { ParseOptions } from './file-reader.js';
import { mergePages } from './merge.js';
import { formatDiagnostic, parseProfilePage, type ParsedPage } from './parse.js';
import type { Corpus, Diagnostic } from './schema.js';

/** One page's text and the name it is known by (`data/profiles/x.txt`). */
export interface PageFile {
  file: string;
  text: string;
}

/** Parses and merges pages and BibTeX files given as text. Pure. */
export function loadCorpusFromFiles(files: readonly PageFile[], options: ParseOptions = {}): Corpus {
  return mergePages(files.map(({ file, text }) => parseCorpusFile(text, file, options)));
}

/** True for the names of the files the corpus is read from: `*.txt` (profile pages) and `*.bib` (BibTeX), any case. */
export function isCorpusFile(name: string): boolean {
  return /\.(?:txt|bib)$/i.test(name);
}

/** One corpus file's text, read as its name says: a BibTeX file (`*.bib`) or a profile page (anything else). Pure. */
export function parseCorpusFile(text: string, file: string, options: ParseOptions = {}): ParsedPage {
  return isBibtexFile(file) ? parseBibtexFile(text, file, options) : parseProfilePage(text, file, options);
}

function isBibtexFile(file: string): boolean {
  return /\.bib$/i.test(file);
}

/** Reads every `*.txt` page and `*.bib` file in `dir` (sorted by name) into a corpus; throws if `dir` is unreadable or yields no paper. */
export async function loadCorpus(dir: string, options: ParseOptions = {}): Promise<Corpus> {
  let names: string[];
  try {
    names = await readdir(dir);
  } catch (error) {
    throw new Error(`corpus: cannot read the profile directory ${dir}: ${describeFsError(error)}`, { cause: error });
  }
  const files: PageFile[] = [];
  const readDiagnostics: Diagnostic[] = [];
  for (const name of names.filter(isCorpusFile).sort()) {
    const file = path.join(dir, name);
    const bytes = await readCorpusBytes(file);
    const page = typeof bytes === 'string' ? { text: null, note: bytes } : decodePage(bytes);
    if (page.text !== null) files.push({ file, text: page.text });
    if (page.note) readDiagnostics.push({ file, line: 1, reason: page.note });
  }
  const corpus = loadCorpusFromFiles(files, options);
  corpus.diagnostics.unshift(...readDiagnostics);
  if (corpus.papers.length === 0) {
    const reasons = corpus.diagnostics.slice(0, MAX_REASONS_IN_ERROR).map((d) => `\n  ${formatDiagnostic(d)}`);
    const more = files.length === 0 ? ' (no *.txt page or *.bib file in it)' : '';
    throw new Error(`corpus: no paper could be read from ${dir}${more}${reasons.join('')}`);
  }
  return corpus;
}

/** A corpus file's bytes, or why it is skipped: not a file, over its limit (a .bib file's is lower: a slower parser), unreadable. */
export async function readCorpusBytes(file: string): Promise<Uint8Array | string> {
  try {
    const info = await stat(file);
    if (!info.isFile()) return 'not a file; skipped';
    const [limit, kind] = isBibtexFile(file) ? [MAX_BIBTEX_CHARS, 'file'] : [MAX_PAGE_BYTES, 'page'];
    if (info.size > limit) return `${kind} is larger than ${limit / 1_000_000} MB; skipped`;
    return await readFile(file);
  } catch (error) {
    return `cannot read the ${isBibtexFile(file) ? 'file' : 'page'}: ${describeFsError(error)}`;
  }
}

function describeFsError(error: unknown): string {
  const code = (error as NodeJS.ErrnoException | null)?.code;
  if (code === 'ENOENT') return 'it does not exist';
  if (code === 'ENOTDIR') return 'it is not a directory';
  if (code === 'EACCES' || code === 'EPERM') return 'permission denied';
  return code ?? String(error);
}

/** A page's bytes as text: UTF-8, UTF-16 by its byte-order mark, or with a note Windows-1252 (no UTF-8 sequence at all). */
export function decodePage(bytes: Uint8Array): { text: string; note: string | null } {
  if (bytes[0] === 0xff && bytes[1] === 0xfe) return { text: new TextDecoder('utf-16le').decode(bytes), note: null };
  if (bytes[0] === 0xfe && bytes[1] === 0xff) return { text: new TextDecoder('utf-16be').decode(bytes), note: null };
  try {
    return { text: new TextDecoder('utf-8', { fatal: true }).decode(bytes), note: null };
  } catch {
    const latin = Buffer.from(bytes).toString('latin1');
    if (!bytes.includes(0) && !UTF8_SEQUENCE.test(latin)) {
      return { text: new TextDecoder('windows-1252').decode(bytes), note: 'page is not UTF-8; read as Windows-1252' };
    }
    return { text: new TextDecoder('utf-8').decode(bytes), note: null };
  }
}

const UTF8_SEQUENCE = /[\xC2-\xF4][\x80-\xBF]/;
const MAX_PAGE_BYTES = 20_000_000;
const MAX_REASONS_IN_ERROR = 10;
