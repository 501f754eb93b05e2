/** Command contexts over a real corpus and index (the seed page, or pages given as text); nothing mocked. */
import { readFile } from 'node:fs/promises';
import { loadCorpusFromFiles, type PageFile } from '../../src/corpus/load.js';
import type { CommandContext } from '../../src/discord/command.js';
import type { Library } from '../../src/search/library.js';
import { silentLogger } from '../../src/log.js';
import { PaperIndex } from '../../src/search/index.js';

/** The date year-less dates on the seed page are read against. */
export const AS_OF = new Date('2026-11-27T12:00:00Z');

/** The seed page as a page file. */
export async function seedPage(): Promise<PageFile> {
  return { file: 'data/profiles/francesco-locatello.txt', text: await readFile('data/profiles/francesco-locatello.txt', 'utf8') };
}

/** A context whose library is the given pages, parsed, merged and indexed. */
export function contextFor(pages: readonly PageFile[]): CommandContext {
  const corpus = loadCorpusFromFiles(pages, { asOf: AS_OF });
  const library: Library = { corpus, index: PaperIndex.build(corpus), loadedAt: AS_OF };
  return { library: () => library, log: silentLogger, now: () => AS_OF };
}
