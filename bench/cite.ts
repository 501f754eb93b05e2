/**
 * The /cite workload for `npm run bench`: one reply per seed paper in each style and format, through the command
 * itself (lookup by id, citeproc with the official style, the code block or file), with every citeproc engine
 * compiled first (the running bot compiles them in the background after start): the figures are a warm engine's.
 */
import { monitorEventLoopDelay } from 'node:perf_hooks';
import cite from '../commands/cite.js';
import { CITATION_STYLES, CitationStyles } from '../src/cite/index.js';
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

/**
 * The time to compile every shipped style's citeproc engine (in the citation thread) and the longest the main
 * thread's event loop was held meanwhile, the /cite operations per style, and how to end the thread.
 */
export async function citeWorkload(seed: PageFile): Promise<{ compileMs: number; warmBlockMs: number; workloads: CiteWorkload[]; close: () => Promise<void> }> {
  const { styles } = CitationStyles.load(null);
  const loop = monitorEventLoopDelay({ resolution: 10 });
  loop.enable();
  const started = performance.now();
  const problems = await styles.warm();
  const compileMs = performance.now() - started;
  loop.disable();
  if (problems.length > 0) throw new Error(`bench: ${problems.join('; ')}`);
  const corpus = loadCorpusFromFiles([seed], { asOf: new Date('2026-11-27T12:00:00Z') });
  const library: Library = { corpus, index: PaperIndex.build(corpus), loadedAt: new Date() };
  const ctx: CommandContext = { library: () => library, log: silentLogger, now: () => new Date(), citationStyles: styles };
  const invoker = { userId: '1', guildId: '2', channelId: '3', permissions: null };
  const workloads = CITATION_STYLES.map((style) => ({
    style,
    operations: corpus.papers.map((paper) => ({
      label: `${style} ${paper.id}`,
      run: () => cite.execute({ command: 'cite', options: { paper: paper.id, format: style }, invoker }, ctx),
    })),
  }));
  return { compileMs, warmBlockMs: loop.max / 1e6, workloads, close: () => styles.close() };
}
