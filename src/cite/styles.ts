/**
 * Official CSL styles (CC BY-SA 3.0) shipped in src/cite/styles/ or dropped into `DATA_DIR/styles/`, rendered by
 * citeproc-js in a worker thread (src/cite/worker.ts): compiling APA or Chicago blocks for seconds.
 */
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import type { CslName } from '@citation-js/name';
import { XMLParser, XMLValidator } from 'fast-xml-parser';
import type { Paper } from '../corpus/schema.js';
import { sentenceCase } from './case.js';
import { cslFields, cslName, type CslItem } from './csl.js';
import { reason, type CiteAnswer, type CiteRequest, type CiteSetup } from './protocol.js';
import { citedWork } from './work.js';

/** Where the shipped styles and locale are: beside this module, whatever DATA_DIR or the working directory is. */
export const SHIPPED_STYLES_DIR = fileURLToPath(new URL('./styles/', import.meta.url));

/** One style /cite offers. */
export interface CslStyle {
  /** The `format:` value: `apa`, or a lab file's name without `.csl`. */
  id: string;
  /** The style's own title (`<info><title>`). */
  name: string;
  file: string;
  /** The XML as read and checked; null for a shipped style (the citation thread reads its file). */
  xml: string | null;
  /** The title in sentence case (src/cite/case.ts): CSL never re-cases a title into it. */
  sentenceCase: boolean;
  /** The bibliography numbers its entries (`[1]`): one citation drops the number. */
  numbered: boolean;
}

/** A style file that cannot be used: the message names the file. */
export class CitationStyleError extends Error {
  override name = 'CitationStyleError';
}

const SHIPPED: ReadonlyArray<Omit<CslStyle, 'xml'>> = [
  { id: 'apa', file: 'apa.csl', name: 'APA Style 7th edition', sentenceCase: true, numbered: false },
  { id: 'mla', file: 'modern-language-association.csl', name: 'MLA Handbook 9th edition', sentenceCase: false, numbered: false },
  { id: 'chicago', file: 'chicago-author-date-17th-edition.csl', name: 'Chicago Manual of Style 17th edition (author-date)', sentenceCase: false, numbered: false },
  { id: 'ieee', file: 'ieee.csl', name: 'IEEE Reference Guide', sentenceCase: false, numbered: true },
];

const RESERVED_IDS = new Set(['bibtex', 'ris', 'csljson', ...SHIPPED.map((style) => style.id)]);

/** A lab style's id: its file name, lower case, letters, digits, dots, dashes and underscores. */
const STYLE_ID = /^[a-z0-9][a-z0-9._-]{0,60}$/;

/** Stands for "further authors" as the last name (CSL has no way to say it); replaced by the locale's "et al.". */
const FURTHER_AUTHORS = 'Furtherauthorsqx';
const FURTHER_AUTHORS_JOINED = new RegExp(`,?\\s*(?:&|and)?\\s*${FURTHER_AUTHORS}\\.?`, 'g');

const MAX_STYLE_BYTES = 2_000_000;

/** How long one request to the citation thread may take (a compile under load takes seconds). */
const CITE_REQUEST_TIMEOUT_MS = 60_000;

/** The styles /cite offers, their engines in the citation thread; a thread that dies or hangs is replaced on the next request. */
export class CitationStyles {
  readonly #styles = new Map<string, CslStyle>();
  readonly #built = new Set<string>();
  /** Requests in flight; `keepsAlive`: the process stays alive while it waits (a member's citation; not the warm-up). */
  readonly #pending = new Map<number, { resolve: (answer: CiteAnswer) => void; reject: (error: Error) => void; keepsAlive: boolean }>();
  readonly #timeoutMs: number;
  #worker: Worker | null = null;
  #nextId = 1;
  #closed = false;

  private constructor(styles: readonly CslStyle[], timeoutMs: number) {
    for (const style of styles) this.#styles.set(style.id, style);
    this.#timeoutMs = timeoutMs;
  }

  /** The shipped styles and every usable `.csl` file in `labDir`; `problems` names each file left out. `timeoutMs` bounds each request. */
  static load(labDir: string | null = null, timeoutMs: number = CITE_REQUEST_TIMEOUT_MS): { styles: CitationStyles; problems: string[] } {
    const problems: string[] = [];
    const loaded: CslStyle[] = SHIPPED.map((style) => ({ ...style, file: path.join(SHIPPED_STYLES_DIR, style.file), xml: null }));
    if (labDir !== null) {
      for (const file of labStyleFiles(labDir, problems)) {
        const id = path.basename(file, path.extname(file)).toLowerCase();
        if (!STYLE_ID.test(id) || RESERVED_IDS.has(id)) {
          problems.push(`cite: ${file}: the name "${id}" is ${RESERVED_IDS.has(id) ? 'taken by a built-in format' : 'not usable as a format (letters, digits, . - _ only)'}; rename the file`);
          continue;
        }
        try {
          loaded.push(readStyle(id, file));
        } catch (error) {
          problems.push(error instanceof Error ? error.message : String(error));
        }
      }
    }
    return { styles: new CitationStyles(loaded, timeoutMs), problems };
  }

  /** Every style, the shipped ones first, then the lab's by id. */
  list(): CslStyle[] {
    return [...this.#styles.values()];
  }

  /** The style called `id`, if there is one. */
  get(id: string): CslStyle | undefined {
    return this.#styles.get(id);
  }

  /** Compiles every style, one request each; resolves with the problems of those that cannot be. */
  async warm(keepsAlive = true): Promise<string[]> {
    const problems: string[] = [];
    for (const id of this.#styles.keys()) {
      try {
        await this.#request(id, [], keepsAlive);
      } catch (error) {
        problems.push(error instanceof Error ? error.message : String(error));
      }
    }
    return problems;
  }

  /** True once the style's engine is compiled. */
  isBuilt(id: string): boolean {
    return this.#built.has(id);
  }

  /** Each paper's reference-list entry in the style, one line each, asked of the thread in one message; CitationStyleError for a bad style. */
  async render(papers: readonly Paper[], id: string): Promise<string[]> {
    const style = this.#styles.get(id);
    if (!style) throw new CitationStyleError(`cite: there is no citation style "${id}"`);
    if (papers.length === 0) return [];
    const inputs = papers.map((paper) => styleInput(paper, style.sentenceCase));
    const entries = await this.#request(id, inputs.map(({ input }) => input), true);
    return entries.map((entry, at) => finished(entry, style, inputs[at]?.standIns ?? new Map()));
  }

  /** Ends the citation thread; requests in flight are rejected, and later ones too. */
  async close(): Promise<void> {
    this.#closed = true;
    await this.#stop(new CitationStyleError('cite: the citation styles were closed'));
  }

  // Sends one request (no items: only compile) and waits for its entries, at most `#timeoutMs`; a failure rejects.
  async #request(style: string, items: CslItem[], keepsAlive: boolean): Promise<string[]> {
    if (this.#closed) throw new CitationStyleError('cite: the citation styles are closed');
    const worker = this.#start();
    const id = this.#nextId++;
    const answered = new Promise<CiteAnswer>((resolve, reject) => this.#pending.set(id, { resolve, reject, keepsAlive }));
    const timer = setTimeout(() => {
      const what = items.length === 0 ? `compiling the style "${style}"` : `citing in the style "${style}"`;
      // A thread that does not answer is stuck in citeproc: it is replaced, and what waited on it fails.
      void this.#stop(new CitationStyleError(`cite: the citation thread took longer than ${this.#timeoutMs / 1000} s ${what}; it was restarted`));
    }, this.#timeoutMs).unref();
    this.#refresh();
    worker.postMessage({ id, style, items } satisfies CiteRequest);
    try {
      const answer = await answered;
      if ('failed' in answer) throw new CitationStyleError(answer.failed);
      this.#built.add(style);
      return answer.entries;
    } finally {
      clearTimeout(timer);
      this.#pending.delete(id);
      this.#refresh();
    }
  }

  #refresh(): void {
    const alive = [...this.#pending.values()].some((pending) => pending.keepsAlive);
    if (alive) this.#worker?.ref();
    else this.#worker?.unref();
  }

  #start(): Worker {
    if (this.#worker) return this.#worker;
    const setup: CiteSetup = {
      localeFile: path.join(SHIPPED_STYLES_DIR, 'locales-en-US.xml'),
      styles: [...this.#styles.values()].map(({ id, file, xml }) => ({ id, file, xml })),
    };
    // The entry registers tsx itself: no need to inherit the main thread's --import.
    const worker = new Worker(new URL('./worker-entry.mjs', import.meta.url), { workerData: setup, execArgv: [] });
    worker.on('message', (answer: CiteAnswer) => this.#pending.get(answer.id)?.resolve(answer));
    // An uncaught error ends the thread: 'exit' follows and fails what waited, with this message where there is one.
    let crash: Error | null = null;
    worker.on('error', (error) => {
      crash = error;
    });
    worker.on('exit', (code) => {
      if (this.#worker !== worker) return;
      const why = crash ? `: ${reason(crash)}` : ` (exit code ${code})`;
      void this.#stop(new CitationStyleError(`cite: the citation thread stopped${why}; it is started again on the next citation`));
    });
    this.#worker = worker;
    return worker;
  }

  // Fails what waits, and ends the thread (where it has not ended by itself).
  async #stop(error: Error): Promise<void> {
    const worker = this.#worker;
    this.#worker = null;
    this.#built.clear();
    for (const pending of this.#pending.values()) pending.reject(error);
    this.#pending.clear();
    await worker?.terminate();
  }
}

/** The styles a running bot offers (shipped and `DATA_DIR/styles/*.csl`), returned at once, then compiled; each unusable file goes to `warn`. */
export function openCitationStyles(dataDir: string, warn: (problem: string) => void): CitationStyles {
  const { styles, problems } = CitationStyles.load(path.join(dataDir, 'styles'));
  for (const problem of problems) warn(problem);
  void styles.warm(false).then((failed) => {
    for (const problem of failed) warn(problem);
  });
  return styles;
}

/** The shipped styles only (for callers with no DATA_DIR: the web page, a source's paper). Loaded once. */
export function shippedStyles(): CitationStyles {
  shipped ??= CitationStyles.load(null).styles;
  return shipped;
}
let shipped: CitationStyles | undefined;

// The item citeproc reads, a cut list ending in the placeholder. A name word such as "constructor" or "toString" crashes
// citeproc (it keeps names in plain objects): it goes in as a stand-in of the same initial, put back afterwards.
function styleInput(paper: Paper, sentenceCased: boolean): { input: CslItem; standIns: Map<string, string> } {
  const work = citedWork(paper);
  const title = sentenceCased ? sentenceCase(work.title, paper.abstract) : work.title;
  const standIns = new Map<string, string>();
  const safe = (part: string | undefined): string | undefined =>
    part?.replace(/[^\s-]+/g, (word) => {
      if (!(word in Object.prototype)) return word;
      const standIn = `${word.charAt(0).toUpperCase()}qxstandin${standIns.size}q`;
      standIns.set(standIn, word);
      return standIn;
    });
  const author: CslName[] = work.authors.map((name) => {
    const parts = cslName(name);
    return Object.fromEntries(Object.entries(parts).map(([key, value]) => [key, safe(value)])) as CslName;
  });
  if (work.truncated) author.push({ literal: FURTHER_AUTHORS });
  return { input: { ...cslFields(work, title), id: `item${++rendered}`, author }, standIns };
}
let rendered = 0;

/** citeproc's entry as one line: a numbered style's number dropped, "et al." in place, the stand-ins' names back. */
function finished(entry: string, style: CslStyle, standIns: ReadonlyMap<string, string>): string {
  let text = entry.replace(/\s+/g, ' ').trim();
  if (style.numbered) text = text.replace(/^(?:\[1\]|1\.|\(1\)|1)\s+/, '');
  // "et al." follows the names with a comma ("Gehler, P. V., et al."), but a single name in reading order without
  // one ("F. Wenzel et al."), and stands for the style's own "&"/"and" and the period after the last name.
  text = text.replace(FURTHER_AUTHORS_JOINED, (_match, at: number) => (text.slice(0, at).includes(',') ? ', et al.' : ' et al.'));
  for (const [standIn, name] of standIns) text = text.split(standIn).join(name);
  return text;
}

/** The `.csl` files of the lab's style directory (none where it does not exist). */
function labStyleFiles(dir: string, problems: string[]): string[] {
  let names: string[];
  try {
    names = readdirSync(dir);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') problems.push(`cite: ${dir}: cannot list the styles: ${reason(error)}`);
    return [];
  }
  return names.filter((name) => name.toLowerCase().endsWith('.csl')).sort().map((name) => path.join(dir, name));
}

/** A style file read and checked: well-formed XML, a CSL `<style>` with a bibliography (a dependent style has none). */
function readStyle(id: string, file: string): CslStyle {
  let xml: string;
  try {
    xml = readFileSync(file, 'utf8');
  } catch (error) {
    throw new CitationStyleError(`cite: ${file}: cannot read it: ${reason(error)}`, { cause: error });
  }
  if (Buffer.byteLength(xml) > MAX_STYLE_BYTES) throw new CitationStyleError(`cite: ${file}: larger than ${MAX_STYLE_BYTES / 1_000_000} MB; not a style`);
  const valid = XMLValidator.validate(xml);
  if (valid !== true) throw new CitationStyleError(`cite: ${file}:${valid.err.line}: not well-formed XML: ${valid.err.msg}`);
  const root = new XMLParser({ ignoreAttributes: false, attributeNamePrefix: '@' }).parse(xml) as Record<string, unknown>;
  const style = root.style as Record<string, unknown> | undefined;
  if (!style || typeof style !== 'object') throw new CitationStyleError(`cite: ${file}: not a CSL style (no <style> element)`);
  const info = (style.info ?? {}) as Record<string, unknown>;
  if (!('bibliography' in style)) {
    const links = ([] as unknown[]).concat(info.link ?? []) as Array<Record<string, string>>;
    const parent = links.find((link) => link['@rel'] === 'independent-parent')?.['@href'];
    throw new CitationStyleError(
      parent
        ? `cite: ${file}: a dependent style (it only points to ${parent}); add that parent style's file instead`
        : `cite: ${file}: the style has no <bibliography>, so it cannot write a reference`,
    );
  }
  const title = typeof info.title === 'string' ? info.title.trim() : '';
  const bibliography = JSON.stringify(style.bibliography);
  return { id, name: title || id, file, xml, sentenceCase: false, numbered: bibliography.includes('citation-number') };
}
