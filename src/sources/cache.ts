/**
 * The sources as the entry points use them: the clients made from the settings and lab.yaml, and the cached works
 * the offline front ends (`npm run corpus`, `ask`) merge into the corpus. Without lab.yaml there are no sources
 * and no works: nothing leaves the machine.
 */
import { existsSync } from 'node:fs';
import type { Config } from '../config.js';
import type { Paper } from '../corpus/schema.js';
import { openDatabase, parseDatabaseUrl } from '../db/connect.js';
import { cachedWorks } from '../db/works.js';
import type { Logger } from '../log.js';
import { ArxivClient } from './arxiv.js';
import { CrossrefClient } from './crossref.js';
import type { Lab } from './lab.js';
import { OpenAlexClient } from './openalex.js';
import { cachedPaper } from './papers.js';

/** The three clients, made from the settings and the lab's contact. */
export type Sources = ReturnType<typeof makeSources>;

/** The clients of the three services for this lab. */
export function makeSources(
  config: Pick<Config, 'openalexApiUrl' | 'arxivApiUrl' | 'crossrefApiUrl' | 'arxivIntervalMs'>,
  lab: Pick<Lab, 'contact'>,
  log: Logger,
) {
  const contact = lab.contact;
  return {
    openalex: new OpenAlexClient({ baseUrl: config.openalexApiUrl, contact, log }),
    arxiv: new ArxivClient({ baseUrl: config.arxivApiUrl, contact, log, intervalMs: config.arxivIntervalMs }),
    crossref: new CrossrefClient({ baseUrl: config.crossrefApiUrl, contact, log }),
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
