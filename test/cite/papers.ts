/** Hand-made papers (copied from the seed page) and a fast-check generator of arbitrary valid papers. */
import fc from 'fast-check';
import { PaperSchema, type Paper } from '../../src/corpus/schema.js';

/** A paper with sensible defaults, checked against PaperSchema so fixtures cannot drift from the contract. */
export function paper(fields: Partial<Paper> & Pick<Paper, 'title' | 'authors' | 'date'>): Paper {
  return PaperSchema.parse({
    id: 'abc123',
    authorsTruncated: false,
    owners: ['Francesco Locatello'],
    affiliations: [],
    categoryCode: 'LG',
    category: 'cs.LG',
    categoryLabel: 'Machine Learning',
    hasCode: false,
    codeUrl: null,
    abstract: 'An abstract is not part of a citation.',
    source: { file: 'francesco-locatello.txt', line: 1 },
    ...fields,
  });
}

/** Seed: "Florian Wenzel, Andrea Dittadi, Peter Vincent Gehler et al." — a truncated list. */
export const ASSAYING = paper({
  title: 'Assaying Out-Of-Distribution Generalization in Transfer Learning',
  authors: ['Florian Wenzel', 'Andrea Dittadi', 'Peter Vincent Gehler'],
  authorsTruncated: true,
  affiliations: ['eth-zurich'],
  date: '2022-07-19',
});

/** Seed: three authors, complete. */
export const RECONCILING = paper({
  title: 'Reconciling Causality and Non-Equilibrium Thermodynamics with Hamiltonian Causal Models',
  authors: ['Dario Rancati', 'Max Welling', 'Francesco Locatello'],
  date: '2026-06-03',
});

/** Seed: two authors, complete. */
export const INVARIANCE = paper({
  title: 'Causal Learning with the Invariance Principle',
  authors: ['Francesco Montagna', 'Francesco Locatello'],
  categoryCode: 'ML',
  category: 'stat.ML',
  categoryLabel: 'Machine Learning (Statistics)',
  date: '2026-05-13',
});

/** Made of seed parts: an acronym in the title, an accented family name, a middle initial, a multi-word given name. */
export const MIXED = paper({
  title: 'TeST: Test-time Self-Training under Distribution Shift',
  authors: ['Sindy Löwe', 'Philipp M. Faller', 'Fabio De Sousa Ribeiro'],
  authorsTruncated: true,
  categoryCode: 'CV',
  category: 'cs.CV',
  categoryLabel: 'Computer Vision and Pattern Recognition',
  date: '2022-09-18',
});

/** Every character BibTeX or Discord treats specially, plus the odd whitespace and non-BMP letters. */
const AWKWARD = ['{', '}', '\\', '&', '%', '$', '#', '_', '~', '^', '`', '```', ',', ' and ', 'others', ' ', '\n', '\t', '…', 'é', 'ß', '𝒜', '😀', 'DNA', '-', '.', '?'];

/** Text mixing arbitrary code points with the awkward characters above. */
export const awkwardText = (options: { minLength?: number; maxLength?: number } = {}): fc.Arbitrary<string> =>
  fc.string({ unit: fc.oneof(fc.constantFrom(...AWKWARD), fc.string({ unit: 'binary', minLength: 1, maxLength: 1 }), fc.constantFrom('a', 'B', 'c')), ...options });

/** Any paper PaperSchema accepts, with hostile titles and names and any digits in the date. */
export const arbitraryPaper: fc.Arbitrary<Paper> = fc
  .record({
    id: fc.stringMatching(/^[a-z0-9]{6,16}$/),
    title: awkwardText({ minLength: 1, maxLength: 300 }),
    authors: fc.array(awkwardText({ minLength: 1, maxLength: 60 }), { minLength: 1, maxLength: 40 }),
    authorsTruncated: fc.boolean(),
    date: fc
      .tuple(fc.integer({ min: 0, max: 9999 }), fc.integer({ min: 0, max: 99 }), fc.integer({ min: 0, max: 99 }))
      .map(([y, m, d]) => `${String(y).padStart(4, '0')}-${String(m).padStart(2, '0')}-${String(d).padStart(2, '0')}`),
    hasCode: fc.boolean(),
    codeUrl: fc.option(fc.webUrl(), { nil: null }),
  })
  .map((fields) => paper(fields));
