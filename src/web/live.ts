/**
 * The site as the running bot serves it: rendered from the library served now, again whenever the live library
 * swaps in another corpus (src/live/watch.ts), so a new paper is on the page and in the feeds as soon as the bot
 * searches it. Rendered on the first request after a change; requests meanwhile wait for that one rendering.
 */
import type { Corpus } from '../corpus/schema.js';
import type { Library } from '../library.js';
import { SITE_PATHS } from './pages.js';
import { renderSite, type Site, type SiteFile, type SiteOptions } from './site.js';

/** Answers a site path (`/`, `/papers/abc123.html`) from the current corpus. */
export type SiteLookup = (urlPath: string) => Promise<SiteFile | null>;

/** A lookup over the library `current()` returns, re-rendered when its corpus changes. */
export function liveSite(current: () => Library, options: SiteOptions): SiteLookup {
  let rendered: { corpus: Corpus; site: Promise<Site> } | null = null;
  return async (urlPath) => {
    const file = sitePath(urlPath);
    if (file === null) return null;
    const { corpus } = current();
    if (rendered?.corpus !== corpus) {
      const site = renderSite(corpus, options);
      rendered = { corpus, site };
      // A failed rendering is tried again at the next request.
      site.catch(() => {
        if (rendered?.site === site) rendered = null;
      });
    }
    return (await rendered.site).get(file) ?? null;
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
