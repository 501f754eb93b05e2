/**
 * The whole site from a corpus, as files in memory: the list page, a page and three citation downloads per
 * paper, the feeds, the whole corpus as BibTeX and CSL-JSON, the search index (a classic script assigning a
 * global: `file://` pages can fetch nothing), the page script and the style sheet. `writeSite` puts them in a
 * folder; `serve` answers from them (src/web/live.ts).
 */
import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import MiniSearch from 'minisearch';
import { formatCitation } from '../cite/index.js';
import { newestFirst } from '../corpus/merge.js';
import type { Corpus } from '../corpus/schema.js';
import { indexOptions } from '../search/documents.js';
import { pageScript } from './bundle.js';
import { SITE_INDEX_FORMAT, SITE_INDEX_GLOBAL, type SiteIndex } from './client/search.js';
import { atomFeed, jsonFeed } from './feeds.js';
import { DOWNLOADS, SITE_PATHS, indexPage, paperPage, paperPath } from './pages.js';

/** What the site is titled and where it is published. */
export interface SiteOptions {
  title: string;
  /** The absolute base URL (ending in `/`) for the feeds' ids and links; null: `tag:` ids. */
  siteUrl: string | null;
}

/** One file of the site. */
export interface SiteFile {
  body: string;
  /** Its media type, as served. */
  type: string;
}

/** The site: path relative to its root → file. */
export type Site = ReadonlyMap<string, SiteFile>;

const STYLE_FILE = path.join(path.dirname(fileURLToPath(import.meta.url)), 'assets/style.css');

/** Every file of the site for `corpus` (its papers in the order the bot serves them: newest first). */
export async function renderSite(corpus: Corpus, options: SiteOptions): Promise<Site> {
  const ordered: Corpus = { ...corpus, papers: [...corpus.papers].sort(newestFirst) };
  const [script, style] = await Promise.all([pageScript(), readFile(STYLE_FILE, 'utf8')]);
  const files = new Map<string, SiteFile>();
  const add = (file: string, body: string, type: string): void => void files.set(file, { body, type });
  add(SITE_PATHS.index, indexPage(ordered, options), HTML);
  add(SITE_PATHS.style, style, 'text/css; charset=utf-8');
  add(SITE_PATHS.script, script, JAVASCRIPT);
  add(SITE_PATHS.searchIndex, searchIndexScript(ordered), JAVASCRIPT);
  add(SITE_PATHS.atom, atomFeed(ordered, options), 'application/atom+xml; charset=utf-8');
  add(SITE_PATHS.jsonFeed, jsonFeed(ordered, options), 'application/feed+json; charset=utf-8');
  add(SITE_PATHS.bibtex, `${ordered.papers.map((paper) => formatCitation(paper, 'bibtex')).join('\n\n')}\n`, 'application/x-bibtex; charset=utf-8');
  add(SITE_PATHS.cslJson, `${JSON.stringify(ordered.papers.flatMap((paper) => JSON.parse(formatCitation(paper, 'csljson')) as unknown[]), null, 2)}\n`, 'application/vnd.citationstyles.csl+json; charset=utf-8');
  for (const paper of ordered.papers) {
    add(paperPath(paper), paperPage(paper, options), HTML);
    for (const download of DOWNLOADS) add(`papers/${paper.id}.${download.extension}`, `${formatCitation(paper, download.style)}\n`, DOWNLOAD_TYPES[download.extension]);
  }
  return files;
}

/** The search index as `search-index.js`: MiniSearch's JSON of the papers as the bot indexes them, assigned to a global. */
export function searchIndexScript(corpus: Corpus): string {
  const miniSearch = new MiniSearch<number>(indexOptions(corpus.papers, null));
  miniSearch.addAll(corpus.papers.map((_, ordinal) => ordinal));
  const index: SiteIndex = { format: SITE_INDEX_FORMAT, papers: corpus.papers.length, miniSearch: miniSearch.toJSON() };
  return `self.${SITE_INDEX_GLOBAL}=${JSON.stringify(index)};\n`;
}

/** Writes the site into `dir` (its old `papers/` folder replaced, so a paper gone from the corpus is gone from the site). */
export async function writeSite(site: Site, dir: string): Promise<void> {
  await rm(path.join(dir, 'papers'), { recursive: true, force: true });
  await mkdir(path.join(dir, 'papers'), { recursive: true });
  for (const [file, { body }] of site) await writeFile(path.join(dir, file), body);
}

const HTML = 'text/html; charset=utf-8';
const JAVASCRIPT = 'text/javascript; charset=utf-8';
const DOWNLOAD_TYPES: Record<(typeof DOWNLOADS)[number]['extension'], string> = {
  bib: 'application/x-bibtex; charset=utf-8',
  ris: 'application/x-research-info-systems; charset=utf-8',
  json: 'application/vnd.citationstyles.csl+json; charset=utf-8',
};
