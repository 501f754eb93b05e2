/**
 * The /cite workload for `npm run bench`: one reply per seed paper in each style and format, through the command
 * itself (lookup by id, citeproc with the official style, the code block or file), with every citeproc engine
 * compiled first (the running bot compiles them in the background after start): the figures are a warm engine's.
 */
import cite from '../commands/cite.js';
import { CITATION_STYLES, shippedStyles } from '../src/cite/index.js';
import { loadCorpusFromFiles, type PageFile } from '../src/corpus/load.js';
import type { CommandContext } from '../src/discord/command.js';
import type { Library } from '../src/search/library.js';
import { silentLogger } from '../src/log.js';
import { PaperIndex } from '../src/search/index.js';

/** One style's operations: a /cite of each seed paper. */
export interface CiteWorkload {
  style: string;
  operations: Array<{ label: string; run: () => unknown }>;
}

/** The time to compile every shipped style's citeproc engine, and the /cite operations per style. */
export function citeWorkload(seed: PageFile): { compileMs: number; workloads: CiteWorkload[] } {
  const started = performance.now();
  const problems = shippedStyles().warm();
  if (problems.length > 0) throw new Error(`bench: ${problems.join('; ')}`);
  const compileMs = performance.now() - started;
  const corpus = loadCorpusFromFiles([seed], { asOf: new Date('2026-11-27T12:00:00Z') });
  const library: Library = { corpus, index: PaperIndex.build(corpus), loadedAt: new Date() };
  const ctx: CommandContext = { library: () => library, log: silentLogger, now: () => new Date() };
  const invoker = { userId: '1', guildId: '2', channelId: '3', permissions: null };
  const workloads = CITATION_STYLES.map((style) => ({
    style,
    operations: corpus.papers.map((paper) => ({
      label: `${style} ${paper.id}`,
      run: () => cite.execute({ command: 'cite', options: { paper: paper.id, format: style }, invoker }, ctx),
    })),
  }));
  return { compileMs, workloads };
}
