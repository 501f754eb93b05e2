/** The seed page as a corpus and an index, built once per test file: the ranking fixture. */
import { fileURLToPath } from 'node:url';
import { loadCorpus } from '../../src/corpus/load.js';
import type { Corpus } from '../../src/corpus/schema.js';
import { PaperIndex } from '../../src/search/index.js';

/** Year-less dates on the page are read against this day, so the fixture never drifts. */
export const AS_OF = new Date('2026-11-27');

const PROFILES = fileURLToPath(new URL('../../data/profiles', import.meta.url));

/** The seed corpus (every page in data/profiles). */
export async function seedCorpus(): Promise<Corpus> {
  return loadCorpus(PROFILES, { asOf: AS_OF });
}

/** The seed corpus and a real index over it. */
export async function seedIndex(): Promise<{ corpus: Corpus; index: PaperIndex }> {
  const corpus = await seedCorpus();
  return { corpus, index: PaperIndex.build(corpus) };
}
