/**
 * The site's test corpus: the seed page, a colleague's page (a second member, with umlauts and an unknown
 * category), and a page of hostile papers whose titles and abstracts hold markup, quotes and `</script>`, all read
 * by the real parser.
 */
import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { loadCorpusFromFiles, type PageFile } from '../../src/corpus/load.js';
import { printProfilePage } from '../../src/corpus/print.js';
import type { Corpus } from '../../src/corpus/schema.js';
import { paper } from '../announce/helpers.js';
import { AS_OF } from '../search/seed.js';

/** The owner of the hostile page. */
export const HOSTILE_OWNER = 'Mallory Markup';

/** Markup a title or abstract must never become. */
export const HOSTILE_TEXT = `</script><script>window.injected=1</script> "quoted" 'single' <b id="bold">bold</b> <img src=x onerror="window.injected=2"> & &amp;`;

const SEED = fileURLToPath(new URL('../../data/profiles/francesco-locatello.txt', import.meta.url));
const COLLEAGUE = fileURLToPath(new URL('../fixtures/pages/colleague.txt', import.meta.url));

/** The hostile page's text. */
export function hostilePage(): PageFile {
  const papers = [
    paper(`Markup ${HOSTILE_TEXT} in a title`, '2021-05-04', {
      abstract: `An abstract with ${HOSTILE_TEXT} in it, and https://example.org/code?a=1&b="2" as its code.`,
      authors: [HOSTILE_OWNER, 'Eve <Script> Quote"s'],
    }),
  ];
  return { file: 'hostile.txt', text: printProfilePage({ owner: HOSTILE_OWNER, primaryCategory: 'LG', papersListed: papers.length }, papers) };
}

/** The three pages as a corpus, year-less dates read as the search fixture reads them. */
export async function siteCorpus(): Promise<Corpus> {
  const pages: PageFile[] = [
    { file: SEED, text: await readFile(SEED, 'utf8') },
    { file: COLLEAGUE, text: await readFile(COLLEAGUE, 'utf8') },
    hostilePage(),
  ];
  return loadCorpusFromFiles(pages, { asOf: AS_OF });
}

/**
 * Queries the page and /search must answer alike, the same papers in the same order: words, word forms, typos
 * (in one word and with a word no paper has), acronyms, hyphenated words, names with and without their umlaut,
 * several words with a phrase among them, and a year.
 */
export const PARITY_QUERIES = [
  'causal',
  'slots',
  'disentangled',
  'identifiab',
  'causl',
  'bommerang distilation',
  'sclable mechanistc',
  'DINOSAUR',
  'NoGAM',
  'TC-Bench',
  'CoSA',
  'score-based',
  'object-centric',
  'locatello',
  'ström',
  'strom',
  'müller',
  'mueller',
  'score matching',
  'causal discovery',
  'sparse mechanism shift',
  'identifiability nonlinear ica',
  'causal 2023',
];

/**
 * Queries whose first hits /search re-orders by phrase and nearness, which the page does not do (its index holds
 * no text): the same papers, in another order.
 */
export const PHRASE_QUERIES = ['object centric learning', 'slot attention', 'attention slot', 'representation learning', 'causal representation learning'];
