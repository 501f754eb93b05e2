/**
 * The site as the running bot serves it: made from the library served now, and made again whenever the live
 * library swaps in another corpus (src/live/watch.ts), so a new paper is on the page and in the feeds as soon as
 * the bot searches it. Each file is made on its first request after a change and kept until the next change: a
 * paper's page costs only that paper, and the search index is built in small steps (`searchIndexScript`).
 */
import type { Corpus } from '../corpus/schema.js';
import type { Library } from '../search/library.js';
import { SITE_PATHS, type SiteOptions } from './pages.js';
import { siteCorpus, siteFile, type SiteCorpus, type SiteFile } from './site.js';

/** Answers a site path (`/`, `/papers/abc123.html`) from the current corpus. */
export type SiteLookup = (urlPath: string) => Promise<SiteFile | null>;

/** A lookup over the library `current()` returns, its files made again when its corpus changes. */
export function liveSite(current: () => Library, options: SiteOptions): SiteLookup {
  let made: { corpus: Corpus; site: SiteCorpus; files: Map<string, Promise<SiteFile | null>> } | null = null;
  return async (urlPath) => {
    const file = sitePath(urlPath);
    if (file === null) return null;
    const { corpus } = current();
    if (made?.corpus !== corpus) made = { corpus, site: siteCorpus(corpus), files: new Map() };
    const { files, site } = made;
    let found = files.get(file);
    if (found === undefined) {
      found = siteFile(site, options, file);
      files.set(file, found);
      // A file that failed is made again at the next request.
      found.catch(() => files.delete(file));
    }
    return found;
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
