/** `npm run corpus [-- --json]`: what the bot would serve from DATA_DIR/profiles. Exits 1 when it or a page yields no paper. */
import { readdir } from 'node:fs/promises';
import path from 'node:path';
import { readConfigOrExit } from '../config.js';
import { isCorpusFile } from '../corpus/load.js';
import { papersOwnedBy } from '../corpus/names.js';
import type { Corpus } from '../corpus/schema.js';
import { exitQuietlyOnClosedStdout, readServedCorpus } from './shared.js';

// The human summary of a corpus; `barren` are the pages that yielded no paper.
function formatSummary(corpus: Corpus, dir: string, barren: readonly string[]): string {
  const lines: string[] = [];
  const pages = corpus.profiles.filter((p) => p.format !== 'bibtex').length;
  const bibs = corpus.profiles.length - pages;
  const bibText = bibs > 0 ? ` and ${bibs} BibTeX ${bibs === 1 ? 'file' : 'files'}` : '';
  const works = corpus.papers.filter((p) => p.openalexId !== undefined).length;
  const worksText = works > 0 ? `, ${works} with an OpenAlex work (npm run sources)` : '';
  lines.push(`${corpus.papers.length} papers from ${pages} ${pages === 1 ? 'page' : 'pages'}${bibText} in ${dir}${worksText}`, '');
  // "read" counts the page's paper blocks; "indexed" the distinct papers the bot serves for the owner, as /stats does.
  lines.push('Pages (owner: papers read / listed on the page · indexed, as /stats counts them)');
  for (const profile of corpus.profiles) {
    const listed = profile.papersListed === null ? '?' : String(profile.papersListed);
    const indexed = papersOwnedBy(corpus.papers, profile.owner).length;
    const merged = profile.papersRead > indexed ? ` (repeats ${profile.format === 'bibtex' ? 'in the file' : 'on the page'} merged)` : '';
    const entries = profile.papersRead === 1 ? '1 entry read as a paper' : `${profile.papersRead} entries read as papers`;
    const read = profile.format === 'bibtex' ? `${entries} (BibTeX)` : `${profile.papersRead} / ${listed}`;
    lines.push(`  ${profile.owner}: ${read} · ${indexed} indexed${merged}  (${profile.file})`);
  }
  for (const file of barren) lines.push(`  ERROR: no paper could be read  (${file})`);
  lines.push('', 'Categories');
  const categories = tally(corpus.papers.map((p) => `${p.category} ${p.categoryLabel}`));
  for (const [category, n] of [...categories].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1))) {
    lines.push(`  ${String(n).padStart(4)}  ${category}`);
  }
  lines.push('', 'Years');
  const years = tally(corpus.papers.map((p) => p.date.slice(0, 4)));
  for (const [year, n] of [...years].sort((a, b) => (a[0] < b[0] ? 1 : -1))) {
    lines.push(`  ${year}  ${String(n).padStart(4)}`);
  }
  lines.push('', `Diagnostics (${corpus.diagnostics.length})`);
  for (const d of corpus.diagnostics) lines.push(`  ${d.file}:${d.line}: ${d.reason}`);
  return `${lines.join('\n')}\n`;
}

// The pages and BibTeX files in `dir` (as loadCorpus names them) from which no paper block was read.
async function pagesWithoutPapers(corpus: Corpus, dir: string): Promise<string[]> {
  const fruitful = new Set(corpus.papers.map((paper) => paper.source.file));
  for (const profile of corpus.profiles) if (profile.papersRead > 0) fruitful.add(profile.file);
  const names = (await readdir(dir)).filter(isCorpusFile).sort();
  return names.map((name) => path.join(dir, name)).filter((file) => !fruitful.has(file));
}

function tally(values: readonly string[]): Map<string, number> {
  const counts = new Map<string, number>();
  for (const value of values) counts.set(value, (counts.get(value) ?? 0) + 1);
  return counts;
}

async function main(args: readonly string[]): Promise<number> {
  const unknown = args.filter((a) => a !== '--json');
  if (unknown.length > 0) {
    process.stderr.write(`corpus: unknown argument ${unknown.join(' ')}\nusage: npm run corpus [-- --json]\n`);
    return 2;
  }
  const config = readConfigOrExit({ requireToken: false });
  const corpus = await readServedCorpus(config).catch((error: unknown) => {
    process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
    return null;
  });
  if (corpus === null) return 1;
  const barren = await pagesWithoutPapers(corpus, config.profilesDir);
  if (args.includes('--json')) {
    const { profiles, papers, diagnostics } = corpus;
    process.stdout.write(`${JSON.stringify({ profiles, papers, diagnostics }, null, 2)}\n`);
  } else {
    process.stdout.write(formatSummary(corpus, config.profilesDir, barren));
  }
  for (const file of barren) {
    process.stderr.write(`corpus: error: ${file}: no paper could be read from this ${/\.bib$/i.test(file) ? 'file' : 'page'}\n`);
  }
  return barren.length > 0 ? 1 : 0;
}

exitQuietlyOnClosedStdout();
process.exitCode = await main(process.argv.slice(2));
