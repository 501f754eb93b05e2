/** The fixed, realistic workload the bench times: what members type into /search, autocomplete and /author. */
import type { SearchOptions } from '../src/search/types.js';

/** A search as a command sends it. */
export interface BenchSearch {
  query: string;
  options?: SearchOptions;
}

/** Multi-word, typos, acronyms, names, a pasted sentence, filters. */
export const SEARCHES: readonly BenchSearch[] = [
  { query: 'causal representation learning' },
  { query: 'object-centric learning with slot attention' },
  { query: 'score matching causal discovery' },
  { query: 'DINOSAUR' },
  { query: 'NoGAM' },
  { query: 'TC-Bench' },
  { query: 'FourCastNet weather' },
  { query: 'bommerang distilation' },
  { query: 'identifiable sparce autoencoders' },
  { query: 'scalable mechanistc neural netwroks' },
  { query: 'Kleindessner' },
  { query: 'Sindy Lowe rotating features' },
  { query: 'zero-shot latent space communication' },
  { query: 'out of distribution generalization in transfer learning' },
  { query: 'diffusion models data augmentation' },
  {
    query:
      'we show how to design a new generation of scalable causal discovery methods using score matching algorithms as a building block',
  },
  { query: 'fairness', options: { sort: 'newest' } },
  { query: 'causal', options: { category: 'stat.ME', yearFrom: 2023 } },
  { query: '', options: { author: 'Francesco Locatello', hasCode: true } },
  { query: 'invariance', options: { author: 'francesco montagna', limit: 10 } },
];

/** Title autocomplete, keystroke by keystroke. */
export const TITLE_INPUTS: readonly string[] = [
  '',
  'b',
  'bo',
  'boom',
  'boomerang d',
  'c',
  'ca',
  'cau',
  'causal',
  'causal r',
  'causal rep',
  'score m',
  'dino',
  'tc-b',
  'identifiable s',
  'unsupervised object',
];

/** Person autocomplete, keystroke by keystroke. */
export const PEOPLE_INPUTS: readonly string[] = ['', 'f', 'fr', 'fra', 'lowe', 'kleind', 'matt k', 'y', 'zh', 'montagna'];

/** Names as people type them for /author: keys, spellings, prefixes. */
export const PEOPLE: readonly string[] = [
  'Francesco Locatello',
  'Matthaeus Kleindessner',
  'sindy löwe',
  'kleind',
  'francesco montagna',
  'Dingling Yao',
];
