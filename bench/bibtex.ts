/**
 * `node --import tsx bench/bibtex.ts`: how long the BibTeX reader takes, and how much heap it holds, for files of
 * 0.25, 1 and 2 MB (the size limit) made of copies of the test fixtures: a Zotero export (with abstracts) and a
 * DBLP export (without). Prints one line per file.
 */
import { readFileSync } from 'node:fs';
import { parseBibtexFile } from '../src/corpus/bibtex.js';

const SIZES_MB = [0.25, 1, 2];
const SOURCES = [
  ['Zotero export, with abstracts', 'test/fixtures/bib/zotero-bo.bib'],
  ['DBLP export, no abstracts', 'test/fixtures/bib/francesco-locatello.bib'],
] as const;

/** Copies of the fixture's entries, each title made unique, up to `bytes` characters. */
function fileOf(fixture: string, bytes: number): string {
  const unit = readFileSync(fixture, 'utf8').replace(/^%.*\n/, '');
  const parts: string[] = [];
  let length = 0;
  for (let copy = 0; length + unit.length <= bytes; copy++) {
    const part = unit.replace(/(\btitle\s*=\s*\{)/g, `$1Copy ${copy} of `);
    parts.push(part);
    length += part.length;
  }
  return parts.join('');
}

for (const [label, fixture] of SOURCES) {
  for (const mb of SIZES_MB) {
    const text = fileOf(fixture, mb * 1_000_000);
    globalThis.gc?.();
    const heapBefore = process.memoryUsage().heapUsed;
    const start = performance.now();
    const page = parseBibtexFile(text, 'bench.bib');
    const ms = performance.now() - start;
    const heapMb = (process.memoryUsage().heapUsed - heapBefore) / 1e6;
    const size = text.length / 1e6;
    process.stdout.write(
      `${label}, ${size.toFixed(2)} MB: ${page.papers.length} papers in ${ms.toFixed(0)} ms (${(ms / size).toFixed(0)} ms per MB), heap +${heapMb.toFixed(0)} MB\n`,
    );
  }
}
