/**
 * The prose citation styles: official CSL styles (citation-style-language/styles, CC BY-SA 3.0) rendered by
 * citeproc-js, the processor Zotero uses, with the en-US locale. APA 7, MLA 9, Chicago 17 (author-date) and IEEE
 * ship in src/cite/styles/; a lab adds any other `.csl` file by dropping it into `DATA_DIR/styles/`.
 *
 * What CSL leaves to the data stays ours: names split by src/cite/names.ts, APA's sentence case
 * (src/cite/case.ts; CSL never re-cases a title into sentence case), and a list the page cut short written with
 * the locale's "et al." (CSL has no way to say "and further authors": a placeholder last author marks the place).
 *
 * Each style's engine is built once and reused. Compiling is one synchronous call into citeproc that takes seconds
 * for APA or Chicago (longer on a loaded machine), so a running bot builds them in the background after start, one
 * style per event-loop turn (`warmInBackground`), and a /cite of a style not built yet waits for it (`prepare`)
 * without blocking the turn in which its deferral is sent.
 */
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import CSL, { type Engine } from 'citeproc';
import { XMLParser, XMLValidator } from 'fast-xml-parser';
import type { Paper } from '../corpus/schema.js';
import { backgroundTurn } from '../foreground.js';
import { sentenceCase } from './case.js';
import { cslFields, cslName, type CslItem, type CslName } from './csl.js';
import { citedWork } from './work.js';

/** Where the shipped styles and locale are: beside this module, whatever DATA_DIR or the working directory is. */
export const SHIPPED_STYLES_DIR = fileURLToPath(new URL('./styles/', import.meta.url));

/** One style /cite offers. */
export interface CslStyle {
  /** The `format:` value: `apa`, or a lab file's name without `.csl`. */
  id: string;
  /** The style's own title (`<info><title>`). */
  name: string;
  /** The file it was read from. */
  file: string;
  /** Shipped with the bot (rather than dropped into DATA_DIR/styles). */
  shipped: boolean;
}

/** A style file that cannot be used: the message names the file. */
export class CitationStyleError extends Error {
  override name = 'CitationStyleError';
}

/** The shipped styles, by id, with the title case each wants of the data. */
const SHIPPED: ReadonlyArray<{ id: string; file: string; name: string; sentenceCase: boolean; numbered: boolean }> = [
  { id: 'apa', file: 'apa.csl', name: 'APA Style 7th edition', sentenceCase: true, numbered: false },
  { id: 'mla', file: 'modern-language-association.csl', name: 'MLA Handbook 9th edition', sentenceCase: false, numbered: false },
  { id: 'chicago', file: 'chicago-author-date-17th-edition.csl', name: 'Chicago Manual of Style 17th edition (author-date)', sentenceCase: false, numbered: false },
  { id: 'ieee', file: 'ieee.csl', name: 'IEEE Reference Guide', sentenceCase: false, numbered: true },
];

/** Names a lab style may not take: the shipped styles' and the export formats'. */
const RESERVED_IDS = new Set(['bibtex', 'ris', 'csljson', ...SHIPPED.map((style) => style.id)]);

/** A lab style's id: its file name, lower case, letters, digits, dots, dashes and underscores. */
const STYLE_ID = /^[a-z0-9][a-z0-9._-]{0,60}$/;

/** Stands for "further authors" as the last name; its list joiner is replaced by the locale's "et al.". */
const FURTHER_AUTHORS = 'Furtherauthorsqx';
const FURTHER_AUTHORS_JOINED = new RegExp(`,?\\s*(?:&|and)?\\s*${FURTHER_AUTHORS}\\.?`, 'g');

/** The largest lab style file read. */
const MAX_STYLE_BYTES = 2_000_000;

interface LoadedStyle extends CslStyle {
  /** The style's XML; a shipped style's is read only when its engine is built. */
  xml: () => string;
  sentenceCase: boolean;
  /** The bibliography numbers its entries (`[1]`): one citation drops the number. */
  numbered: boolean;
}

/** The styles /cite offers, each compiled once when first used. */
export class CitationStyles {
  readonly #styles = new Map<string, LoadedStyle>();
  readonly #engines = new Map<string, { engine: Engine; item: { current: CslItem | null } }>();
  #locale: string | null = null;
  /** The background build's queue of style ids not built yet, where one runs; `prepare` moves a style to its front. */
  #queue: string[] | null = null;
  /** The style the background build is on (taken from the queue, compiled at its next turn). */
  #current: string | null = null;
  /** Each queued style's waiters, told when it is built (or failed to build). */
  readonly #waiting = new Map<string, Array<() => void>>();

  private constructor(styles: readonly LoadedStyle[]) {
    for (const style of styles) this.#styles.set(style.id, style);
  }

  /** The shipped styles, plus every readable `.csl` file in `labDir` (where given); `problems` names each file left out. */
  static load(labDir: string | null = null): { styles: CitationStyles; problems: string[] } {
    const problems: string[] = [];
    // The shipped files are known to be good: read when first used, so a process that never cites never reads them.
    const loaded: LoadedStyle[] = SHIPPED.map(({ id, file, name, sentenceCase, numbered }) => {
      const at = path.join(SHIPPED_STYLES_DIR, file);
      return { id, name, file: at, shipped: true, xml: () => readFileSync(at, 'utf8'), sentenceCase, numbered };
    });
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
    return { styles: new CitationStyles(loaded), problems };
  }

  /** Every style, the shipped ones first, then the lab's by id. */
  list(): CslStyle[] {
    return [...this.#styles.values()].map(({ id, name, file, shipped }) => ({ id, name, file, shipped }));
  }

  /** The style called `id`, if there is one. */
  get(id: string): CslStyle | undefined {
    const style = this.#styles.get(id);
    return style && { id: style.id, name: style.name, file: style.file, shipped: style.shipped };
  }

  /**
   * Compiles every style now rather than at its first citation (citeproc takes seconds for a big style such as
   * Chicago's); the messages of the styles that cannot be compiled, each naming its file.
   */
  warm(): string[] {
    const problems: string[] = [];
    for (const style of this.#styles.values()) {
      try {
        this.#engine(style);
      } catch (error) {
        problems.push(error instanceof Error ? error.message : String(error));
      }
    }
    return problems;
  }

  /**
   * Builds every engine in the background, one style per event-loop turn and only while no interaction is being
   * answered (src/foreground.ts), so the bot starts and answers between compiles; resolves with the messages of the styles that cannot be compiled, each naming its file. A style
   * `render` needs before its turn is built then (on demand), so nothing waits for the whole queue.
   */
  async warmInBackground(): Promise<string[]> {
    const problems: string[] = [];
    this.#queue = [...this.#styles.keys()];
    for (let id = this.#queue.shift(); id !== undefined; id = this.#queue.shift()) {
      this.#current = id;
      // A compile holds the event loop for a second or more: it waits until no interaction is being answered,
      // unless a /cite is waiting for this very style.
      if (this.#waiting.has(id)) await new Promise<void>((resolve) => setImmediate(resolve));
      else await backgroundTurn();
      const style = this.#styles.get(id);
      try {
        if (style) this.#engine(style);
      } catch (error) {
        problems.push(error instanceof Error ? error.message : String(error));
      }
      for (const done of this.#waiting.get(id) ?? []) done();
      this.#waiting.delete(id);
    }
    this.#queue = null;
    this.#current = null;
    return problems;
  }

  /**
   * Resolves once the style's engine is built (or cannot be): at once where it is, or where no background build
   * runs (`render` then builds it); otherwise the style goes to the front of the background queue. A caller awaits
   * this before `render`, so the compile happens in a later turn, after its deferral is on its way.
   */
  async prepare(id: string): Promise<void> {
    const queue = this.#queue;
    if (this.#engines.has(id) || queue === null) return;
    if (id !== this.#current) {
      if (!queue.includes(id)) return;
      queue.splice(queue.indexOf(id), 1);
      queue.unshift(id);
    }
    await new Promise<void>((resolve) => this.#waiting.set(id, [...(this.#waiting.get(id) ?? []), resolve]));
  }

  /** True once the style's engine is compiled. */
  isBuilt(id: string): boolean {
    return this.#engines.has(id);
  }

  /** The paper's reference-list entry in the style, as one line of plain text. Throws CitationStyleError for a bad style. */
  render(paper: Paper, id: string): string {
    const style = this.#styles.get(id);
    if (!style) throw new CitationStyleError(`cite: there is no citation style "${id}"`);
    const { engine, item } = this.#engine(style);
    const { input, standIns } = styleInput(paper, style.sentenceCase);
    item.current = input;
    let entries: string[];
    try {
      engine.updateItems([item.current.id]);
      const bibliography = engine.makeBibliography();
      if (!bibliography) throw new Error('the style has no bibliography');
      entries = bibliography[1];
    } catch (error) {
      throw new CitationStyleError(`cite: ${style.file}: ${reason(error)}`, { cause: error });
    } finally {
      item.current = null;
    }
    let text = (entries[0] ?? '').replace(/\s+/g, ' ').trim();
    if (style.numbered) text = text.replace(/^(?:\[1\]|1\.|\(1\)|1)\s+/, '');
    // "et al." follows the names with a comma ("Gehler, P. V., et al."), but a single name in reading order without
    // one ("F. Wenzel et al."), and stands for the style's own "&"/"and" and the period after the last name.
    text = text.replace(FURTHER_AUTHORS_JOINED, (_match, at: number) => (text.slice(0, at).includes(',') ? ', et al.' : ' et al.'));
    for (const [standIn, name] of standIns) text = text.split(standIn).join(name);
    return text;
  }

  #engine(style: LoadedStyle): { engine: Engine; item: { current: CslItem | null } } {
    const built = this.#engines.get(style.id);
    if (built) return built;
    const item: { current: CslItem | null } = { current: null };
    this.#locale ??= readFileSync(path.join(SHIPPED_STYLES_DIR, 'locales-en-US.xml'), 'utf8');
    const locale = this.#locale;
    const sys = {
      retrieveLocale: (lang: string) => (lang === 'en-US' ? locale : ''),
      retrieveItem: () => item.current ?? {},
    };
    let engine: Engine;
    try {
      engine = new CSL.Engine(sys, style.xml(), 'en-US', true);
      engine.setOutputFormat('text');
    } catch (error) {
      throw new CitationStyleError(`cite: ${style.file}: citeproc cannot use this style: ${reason(error)}`, { cause: error });
    }
    const entry = { engine, item };
    this.#engines.set(style.id, entry);
    return entry;
  }
}

/**
 * The styles a running bot offers: the shipped ones and `DATA_DIR/styles/*.csl`, returned at once, each engine then
 * compiled in the background (one per event-loop turn); each file that cannot be used is passed to `warn` (naming
 * it) and left out, never fatal.
 */
export function openCitationStyles(dataDir: string, warn: (problem: string) => void): CitationStyles {
  const { styles, problems } = CitationStyles.load(path.join(dataDir, 'styles'));
  for (const problem of problems) warn(problem);
  void styles.warmInBackground().then((failed) => {
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

/**
 * The item citeproc reads: the file's fields, the title cased for the style, a cut list ending in a placeholder.
 * citeproc keeps names in plain objects, so a name part such as "constructor" or "toString" crashes it: such a part
 * goes in as a stand-in of the same initial, put back in the text afterwards.
 */
function styleInput(paper: Paper, sentenceCased: boolean): { input: CslItem; standIns: Map<string, string> } {
  const work = citedWork(paper);
  const title = sentenceCased ? sentenceCase(work.title, paper.abstract) : work.title;
  const standIns = new Map<string, string>();
  const safe = (part: string | undefined): string | undefined => {
    if (part === undefined || !(part in EMPTY)) return part;
    const standIn = `${part.charAt(0).toUpperCase()}qxstandin${standIns.size}q`;
    standIns.set(standIn, part);
    return standIn;
  };
  const author: CslName[] = work.authors.map((name) => {
    const parts = cslName(name);
    return Object.fromEntries(Object.entries(parts).map(([key, value]) => [key, safe(value)])) as CslName;
  });
  if (work.truncated) author.push({ literal: FURTHER_AUTHORS });
  return { input: { ...cslFields(work, title), id: `item${++rendered}`, author }, standIns };
}
let rendered = 0;
const EMPTY: Record<string, never> = {};

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
function readStyle(id: string, file: string): LoadedStyle {
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
  return { id, name: title || id, file, shipped: false, xml: () => xml, sentenceCase: false, numbered: bibliography.includes('citation-number') };
}

function reason(error: unknown): string {
  return (error instanceof Error ? error.message : String(error)).replace(/\s+/g, ' ').trim().slice(0, 300);
}
