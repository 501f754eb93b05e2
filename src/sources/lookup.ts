/**
 * Papers outside the corpus by identifier, for `/cite`: a DOI from Crossref, an arXiv id from arXiv's API, each
 * answer (found or not) kept in memory for an hour so a member asking twice costs one request.
 */
import type { Paper } from '../corpus/schema.js';
import { withoutVersion } from './arxiv.js';
import type { Sources } from './cache.js';
import { paperFromArxiv, paperFromCrossref, type PaperOrReason } from './papers.js';

/** Finds a paper outside the corpus by identifier; null when the service has none. Throws when it cannot be asked. */
export interface PaperLookup {
  byDoi(doi: string): Promise<Paper | null>;
  byArxivId(id: string): Promise<Paper | null>;
}

/** A lookup over the Crossref and arXiv clients, with a small cache. */
export function sourceLookup(clients: Pick<Sources, 'crossref' | 'arxiv'>): PaperLookup {
  const cache = new Map<string, { at: number; paper: Paper | null }>();
  const cached = async (key: string, read: () => Promise<PaperOrReason | null>): Promise<Paper | null> => {
    const hit = cache.get(key);
    if (hit && Date.now() - hit.at < CACHE_MS) return hit.paper;
    const made = await read();
    const paper = made && 'paper' in made ? made.paper : null;
    if (cache.size >= CACHE_MAX) cache.delete(cache.keys().next().value as string);
    cache.set(key, { at: Date.now(), paper });
    return paper;
  };
  return {
    byDoi: (doi) =>
      cached(`doi:${doi.toLowerCase()}`, async () => {
        const work = await clients.crossref.work(doi);
        return work && paperFromCrossref(work);
      }),
    byArxivId: (id) =>
      cached(`arxiv:${id}`, async () => {
        const entry = (await clients.arxiv.entries([id])).entries.get(withoutVersion(id));
        return entry ? paperFromArxiv(entry) : null;
      }),
  };
}

const CACHE_MS = 60 * 60 * 1_000;
const CACHE_MAX = 500;
