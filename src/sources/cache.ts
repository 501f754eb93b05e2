/** The sources as the entry points use them: the clients, the cached works for offline front ends, `/cite`'s look-up. */
import { existsSync } from 'node:fs';
import type { Config } from '../config.js';
import type { Paper } from '../corpus/schema.js';
import { openDatabase, parseDatabaseUrl } from '../db/connect.js';
import { cachedWorks } from '../db/works.js';
import type { Logger } from '../log.js';
import { arxivClient, withoutVersion } from './arxiv.js';
import { crossrefClient } from './crossref.js';
import type { Lab } from './lab.js';
import { openAlexClient } from './openalex.js';
import { cachedPaper, paperFromArxiv, paperFromCrossref, type PaperOrReason } from './papers.js';

/** The three clients, made from the settings and the lab's contact. */
export type Sources = ReturnType<typeof makeSources>;

/** The clients of the three services for this lab. */
export function makeSources(
  config: Pick<Config, 'openalexApiUrl' | 'arxivApiUrl' | 'crossrefApiUrl' | 'arxivIntervalMs'>,
  { contact }: Pick<Lab, 'contact'>,
  log: Logger,
) {
  return {
    openalex: openAlexClient({ baseUrl: config.openalexApiUrl, contact, log }),
    arxiv: arxivClient({ baseUrl: config.arxivApiUrl, contact, log, intervalMs: config.arxivIntervalMs }),
    crossref: crossrefClient({ baseUrl: config.crossrefApiUrl, contact, log }),
  };
}

/** The works cached in the bot's database, for the offline front ends; none before the database or its cache exists. Never writes. */
export async function readCachedWorks(databaseUrl: string): Promise<Paper[]> {
  const target = parseDatabaseUrl(databaseUrl);
  if (target.kind === 'sqlite' && (target.file === ':memory:' || !existsSync(target.file))) return [];
  const handle = await openDatabase(databaseUrl);
  try {
    const tables = await handle.db.introspection.getTables();
    if (!tables.some((table) => table.name === 'source_works')) return [];
    return await cachedWorks(handle.db, cachedPaper);
  } finally {
    await handle.close();
  }
}

/** Finds a paper outside the corpus by identifier; null when the service has none. Throws when it cannot be asked. */
export interface PaperLookup {
  byDoi(doi: string): Promise<Paper | null>;
  byArxivId(id: string): Promise<Paper | null>;
}

/** A lookup over the Crossref and arXiv clients; each answer (found or not) kept for an hour, so asking twice costs one request. */
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
