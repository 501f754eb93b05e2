/** Shared by the command-line front ends. */
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Config } from '../config.js';
import { loadCorpus } from '../corpus/load.js';
import { withWorks } from '../corpus/merge.js';
import type { Corpus } from '../corpus/schema.js';
import { readLab } from '../sources/lab.js';

/** Ends the process quietly when stdout's reader goes away (`npm run corpus -- --json | head`): that is no error. */
export function exitQuietlyOnClosedStdout(): void {
  process.stdout.on('error', (error: NodeJS.ErrnoException) => {
    if (error.code === 'EPIPE') process.exit(0);
    throw error;
  });
}

/** Whether the module at `url` is the script node runs (rather than one a test imports). */
export function isEntryPoint(url: string): boolean {
  const entry = process.argv[1];
  return entry !== undefined && url === pathToFileURL(path.resolve(entry)).href;
}

/** DATA_DIR's pages and BibTeX files, as of CORPUS_AS_OF where it is set. */
export function readPages(config: Config): Promise<Corpus> {
  return loadCorpus(config.profilesDir, config.corpusAsOf ? { asOf: config.corpusAsOf } : {});
}

/** The corpus the bot serves: the pages and, with lab.yaml, the works `npm run sources` or the bot fetched so far. */
export async function readServedCorpus(config: Config): Promise<Corpus> {
  const pages = await readPages(config);
  if (!(await readLab(config.dataDir))) return pages;
  // Loaded only then: the database drivers take a while to load.
  const { readCachedWorks } = await import('../sources/cache.js');
  return withWorks(pages, await readCachedWorks(config.databaseUrl));
}
