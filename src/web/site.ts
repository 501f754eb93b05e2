/** The site's files from a corpus: made on demand for `serve` (`liveSite`), or all at once for `npm run site`. */
import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import MiniSearch from 'minisearch';
import { CITATION_STYLES, formatCitation, formatCitations } from '../cite/index.js';
import { newestFirst } from '../corpus/merge.js';
import type { Corpus, Paper } from '../corpus/schema.js';
import { indexOptions } from '../search/documents.js';
import type { Library } from '../search/library.js';
import { SITE_INDEX_FORMAT, SITE_INDEX_GLOBAL, type SiteIndex } from './client/search.js';
import { atomFeed, jsonFeed } from './feeds.js';
import { DOWNLOADS, SITE_PATHS, indexPage, paperPage, paperPath, type PaperCitations, type SiteOptions } from './pages.js';

/** One file of the site: its text and media type. */
interface SiteFile {
  body: string;
  type: string;
}

/** The site: path relative to its root → file. */
export type Site = ReadonlyMap<string, SiteFile>;

const HERE = path.dirname(fileURLToPath(import.meta.url));
const STYLE_FILE = path.join(HERE, 'assets/style.css');

/** How many papers' citations one request to the citation thread carries (per style) while the whole site is made. */
const CITATION_BATCH = 50;

/** A file of the site by its path (a URL path served, `/papers/abc123.html`; or a file's, `papers/abc123.bib`), or null. */
export type SiteLookup = (path: string) => Promise<SiteFile | null>;

/** The site as the running bot serves it: each file made on its first request after the library's corpus changed. */
export function liveSite(current: () => Library, options: SiteOptions): SiteLookup {
  let made: { corpus: Corpus; file: SiteLookup } | null = null;
  return async (urlPath) => {
    const file = sitePath(urlPath);
    if (file === null) return null;
    const { corpus } = current();
    if (made?.corpus !== corpus) made = { corpus, file: siteFiles(corpus, options) };
    return made.file(file);
  };
}

/** The site file a URL path names (`/` is the list page), or null for a path that is none (`..`, bad escapes). */
export function sitePath(urlPath: string): string | null {
  let decoded: string;
  try {
    decoded = decodeURIComponent(urlPath);
  } catch {
    return null;
  }
  if (!decoded.startsWith('/') || decoded.includes('\\') || decoded.split('/').some((part) => part === '..' || part === '.')) return null;
  const file = decoded.slice(1);
  return file === '' ? SITE_PATHS.index : file;
}

/** Every file of the site for `corpus`. */
export async function renderSite(corpus: Corpus, options: SiteOptions): Promise<Site> {
  const papers = [...corpus.papers].sort(newestFirst);
  const fileOf = siteFiles(corpus, options, await paperCitations(papers));
  const files = new Map<string, SiteFile>();
  const paths = [...Object.values(SITE_PATHS), ...papers.flatMap((paper) => [paperPath(paper), ...Object.keys(DOWNLOADS).map((extension) => `papers/${paper.id}.${extension}`)])];
  for (const file of paths) {
    const made = await fileOf(file);
    if (made) files.set(file, made);
  }
  return files;
}

/** Each paper's citations in every style, by paper id: one request to the citation thread per style and batch. */
async function paperCitations(papers: readonly Paper[]): Promise<Map<string, PaperCitations>> {
  const cited = new Map<string, PaperCitations>();
  for (let start = 0; start < papers.length; start += CITATION_BATCH) {
    const batch = papers.slice(start, start + CITATION_BATCH);
    const byStyle = await Promise.all(CITATION_STYLES.map((style) => formatCitations(batch, style)));
    batch.forEach((paper, at) => {
      cited.set(paper.id, Object.fromEntries(CITATION_STYLES.map((style, s) => [style, byStyle[s]?.[at] ?? ''])) as PaperCitations);
    });
  }
  return cited;
}

/** The files of `corpus`, papers newest first (as the bot indexes them), each made once; `citations`: the whole site's. */
function siteFiles(corpus: Corpus, options: SiteOptions, citations?: ReadonlyMap<string, PaperCitations>): SiteLookup {
  const ordered: Corpus = { ...corpus, papers: [...corpus.papers].sort(newestFirst) };
  const byId = new Map(ordered.papers.map((paper) => [paper.id, paper]));
  const make: SiteLookup = async (file) => {
    switch (file) {
      case SITE_PATHS.index:
        return { body: indexPage(ordered, options.title), type: HTML };
      case SITE_PATHS.style:
        return { body: await readFile(STYLE_FILE, 'utf8'), type: 'text/css; charset=utf-8' };
      case SITE_PATHS.script:
        return { body: await pageScript(), type: JAVASCRIPT };
      case SITE_PATHS.searchIndex:
        return { body: await searchIndexScript(ordered), type: JAVASCRIPT };
      case SITE_PATHS.atom:
        return { body: atomFeed(ordered, options), type: 'application/atom+xml; charset=utf-8' };
      case SITE_PATHS.jsonFeed:
        return { body: jsonFeed(ordered, options), type: 'application/feed+json; charset=utf-8' };
      case SITE_PATHS.bibtex:
        return { body: `${(await formatCitations(ordered.papers, 'bibtex')).join('\n\n')}\n`, type: DOWNLOADS.bib.type };
      case SITE_PATHS.cslJson:
        return { body: `${JSON.stringify((await formatCitations(ordered.papers, 'csljson')).flatMap((items) => JSON.parse(items) as unknown[]), null, 2)}\n`, type: DOWNLOADS.json.type };
    }
    const match = /^papers\/([a-z0-9]{6,16})\.(html|bib|ris|json)$/.exec(file);
    const paper = match ? byId.get(match[1] ?? '') : undefined;
    if (!match || !paper) return null;
    if (match[2] === 'html') {
      const cited = citations?.get(paper.id) ?? (await paperCitations([paper])).get(paper.id);
      return cited ? { body: paperPage(paper, options.title, cited), type: HTML } : null;
    }
    const download = DOWNLOADS[match[2] as keyof typeof DOWNLOADS];
    return { body: `${await formatCitation(paper, download.style)}\n`, type: download.type };
  };
  const made = new Map<string, Promise<SiteFile | null>>();
  return (file) => {
    let found = made.get(file);
    if (found === undefined) {
      found = make(file);
      made.set(file, found);
      // A file that failed is made again at the next request.
      found.catch(() => made.delete(file));
    }
    return found;
  };
}

// MiniSearch's JSON of the papers as the bot indexes them, assigned to a global (a `file://` page can fetch nothing);
// `addAllAsync`, so a serving bot keeps answering meanwhile.
async function searchIndexScript(corpus: Corpus): Promise<string> {
  const miniSearch = new MiniSearch<number>(indexOptions(corpus.papers));
  await miniSearch.addAllAsync(
    corpus.papers.map((_, ordinal) => ordinal),
    { chunkSize: INDEX_CHUNK },
  );
  const index: SiteIndex = { format: SITE_INDEX_FORMAT, miniSearch: miniSearch.toJSON() };
  return `self.${SITE_INDEX_GLOBAL}=${JSON.stringify(index)};\n`;
}

let bundled: Promise<string> | null = null;

/** `site.js`: src/web/client/main.ts bundled once per process as a classic script (a `file://` page runs no module). */
export function pageScript(): Promise<string> {
  bundled ??= build({
    entryPoints: [path.join(HERE, 'client/main.ts')],
    bundle: true,
    format: 'iife',
    platform: 'browser',
    target: ['es2020'],
    minify: true,
    write: false,
    legalComments: 'none',
    logLevel: 'silent',
  })
    .then(({ outputFiles: [file] }) => {
      if (!file) throw new Error('site: esbuild wrote no page script');
      return file.text;
    })
    .catch((error: unknown) => {
      bundled = null;
      throw error;
    });
  return bundled;
}

/** Writes the site into `dir` (its old `papers/` folder replaced, so a paper gone from the corpus is gone from the site). */
export async function writeSite(site: Site, dir: string): Promise<void> {
  await rm(path.join(dir, 'papers'), { recursive: true, force: true });
  await mkdir(path.join(dir, 'papers'), { recursive: true });
  for (const [file, { body }] of site) await writeFile(path.join(dir, file), body);
}

const HTML = 'text/html; charset=utf-8';
const JAVASCRIPT = 'text/javascript; charset=utf-8';
const INDEX_CHUNK = 50;
