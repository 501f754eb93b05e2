import { describe, expect, it } from 'vitest';
import { citationKey, formatCitation } from '../../src/cite/index.js';
import { citedName } from '../../src/cite/work.js';
import { ASSAYING, INVARIANCE, MIXED, paper, RECONCILING } from './papers.js';

const ASSAYING_URL = 'https://arxiv.org/search/?query=Assaying+Out+Of+Distribution+Generalization+in+Transfer+Learning&searchtype=title';
const RECONCILING_URL =
  'https://arxiv.org/search/?query=Reconciling+Causality+and+Non+Equilibrium+Thermodynamics+with+Hamiltonian+Causal+Models&searchtype=title';
const INVARIANCE_URL = 'https://arxiv.org/search/?query=Causal+Learning+with+the+Invariance+Principle&searchtype=title';

describe('BibTeX', () => {
  it('cites a truncated author list with "and others" in a @misc entry', () => {
    expect(formatCitation(ASSAYING, 'bibtex')).toBe(
      [
        '@misc{wenzel2022assaying,',
        '  title = {Assaying Out-Of-Distribution Generalization in Transfer Learning},',
        '  author = {Wenzel, Florian and Dittadi, Andrea and Gehler, Peter Vincent and others},',
        '  year = {2022},',
        '  month = jul,',
        '  howpublished = {arXiv preprint},',
        `  url = {${ASSAYING_URL}}`,
        '}',
      ].join('\n'),
    );
  });

  it('cites a complete author list without "others"', () => {
    expect(formatCitation(RECONCILING, 'bibtex')).toBe(
      [
        '@misc{rancati2026reconciling,',
        '  title = {Reconciling Causality and Non-Equilibrium Thermodynamics with Hamiltonian Causal Models},',
        '  author = {Rancati, Dario and Welling, Max and Locatello, Francesco},',
        '  year = {2026},',
        '  month = jun,',
        '  howpublished = {arXiv preprint},',
        `  url = {${RECONCILING_URL}}`,
        '}',
      ].join('\n'),
    );
  });

  it('braces acronyms in the title and writes accented names as TeX', () => {
    const entry = formatCitation(MIXED, 'bibtex');
    expect(entry).toContain('  title = {{TeST}: Test-time Self-Training under Distribution Shift},');
    expect(entry).toContain('  author = {L{\\"o}we, Sindy and Faller, Philipp M. and Ribeiro, Fabio De Sousa and others},');
  });

  it('writes accented Latin letters, sub/superscript digits and Greek as TeX, keeping the key ASCII', () => {
    const cited = paper({ title: 'ε-Greedy x₁ and x² for Ça Straße', authors: ['Jiří Müller', 'Øystein Łukasz', 'Nguyễn Thị'], date: '2024-01-01' });
    const entry = formatCitation(cited, 'bibtex');
    expect(entry).toContain('title = {$\\varepsilon$-Greedy x$_{1}$ and x$^{2}$ for {\\c{C}}a Stra{\\ss}e}');
    expect(entry).toContain('author = {M{\\"u}ller, Ji{\\v{r}}{\\\'{\\i}} and {\\L}ukasz, {\\O}ystein and Th{\\d{i}}, Nguy{\\~{\\^e}}n}');
    expect(entry.startsWith('@misc{muller2024greedy,')).toBe(true);
  });

  it('keeps what TeX cannot spell in Unicode for biber, and the other styles keep Unicode throughout', () => {
    const cited = paper({ title: 'Þing on 张伟 😀', authors: ['Jiří Müller'], date: '2024-01-01' });
    expect(formatCitation(cited, 'bibtex')).toContain('title = {Þing on 张伟 😀}');
    expect(formatCitation(cited, 'apa')).toContain('Müller, J. (2024). Þing on 张伟 😀');
    expect(formatCitation({ ...cited, title: 'ε-Greedy x₁' }, 'ieee')).toContain('“ε-Greedy x₁,”');
  });

  it('braces each word with an inner capital and leaves title-cased words alone', () => {
    const entry = formatCitation(paper({ title: 'DINOSAUR meets 3D SAEs and TC-Bench in Out-Of-Distribution tests', authors: ['A B'], date: '2024-01-01' }), 'bibtex');
    expect(entry).toContain('title = {{DINOSAUR} meets {3D} {SAEs} and {TC-Bench} in Out-Of-Distribution tests}');
  });

  it('escapes every BibTeX special so braces stay balanced', () => {
    const entry = formatCitation(paper({ title: 'Cost {50%} & $x_1$ #2 ~ a^b \\ c', authors: ['Ann {Bee}'], date: '2024-01-01' }), 'bibtex');
    expect(entry).toContain(
      'title = {Cost \\textbraceleft{}50\\%\\textbraceright{} \\& \\$x\\_1\\$ \\#2 \\textasciitilde{} a\\textasciicircum{}b \\textbackslash{} c}',
    );
    expect(entry).toContain('author = {\\textbraceleft{}Bee\\textbraceright{}, Ann}');
  });

  it('braces a name holding a comma or the word "and" so BibTeX reads it as one person', () => {
    const entry = formatCitation(paper({ title: 'T', authors: ['Smith, Jr. John', 'Research and Development Team', 'others'], date: '2024-01-01' }), 'bibtex');
    expect(entry).toContain('author = {John, {Smith, Jr.} and Team, {Research and Development} and {others}}');
  });

  it('omits the month of a date whose month is not a real month', () => {
    expect(formatCitation(paper({ title: 'T', authors: ['A B'], date: '2024-13-01' }), 'bibtex')).not.toContain('month');
  });
});

describe('APA 7', () => {
  it('writes unknown further authors as "et al." after the printed ones', () => {
    expect(formatCitation(ASSAYING, 'apa')).toBe(
      `Wenzel, F., Dittadi, A., Gehler, P. V., et al. (2022). Assaying Out-Of-Distribution Generalization in Transfer Learning [Preprint]. arXiv. ${ASSAYING_URL}`,
    );
  });

  it('joins a complete list with a serial comma and an ampersand', () => {
    expect(formatCitation(RECONCILING, 'apa')).toBe(
      `Rancati, D., Welling, M., & Locatello, F. (2026). Reconciling Causality and Non-Equilibrium Thermodynamics with Hamiltonian Causal Models [Preprint]. arXiv. ${RECONCILING_URL}`,
    );
    expect(formatCitation(INVARIANCE, 'apa')).toBe(
      `Montagna, F., & Locatello, F. (2026). Causal Learning with the Invariance Principle [Preprint]. arXiv. ${INVARIANCE_URL}`,
    );
  });

  it('lists 19 of more than 20 authors, an ellipsis, then the last', () => {
    const authors = Array.from({ length: 23 }, (_, i) => `Given${i} Family${i}`);
    const apa = formatCitation(paper({ title: 'Big', authors, date: '2024-01-01' }), 'apa');
    expect(apa).toMatch(/^Family0, G\., .*Family18, G\., \. \. \. Family22, G\. \(2024\)\. Big \[Preprint\]\./);
    expect(apa).not.toContain('Family19');
  });
});

describe('MLA 9', () => {
  it('cites three or more authors, or a truncated list, as the first author and "et al."', () => {
    expect(formatCitation(ASSAYING, 'mla')).toBe(
      `Wenzel, Florian, et al. “Assaying Out-Of-Distribution Generalization in Transfer Learning.” arXiv, 19 July 2022, ${ASSAYING_URL.slice('https://'.length)}.`,
    );
    expect(formatCitation(RECONCILING, 'mla')).toMatch(/^Rancati, Dario, et al\. “Reconciling/);
  });

  it('names both of two authors, the second as printed', () => {
    expect(formatCitation(INVARIANCE, 'mla')).toBe(
      `Montagna, Francesco, and Francesco Locatello. “Causal Learning with the Invariance Principle.” arXiv, 13 May 2026, ${INVARIANCE_URL.slice('https://'.length)}.`,
    );
  });

  it('cites a truncated list of one printed author with "et al."', () => {
    const mla = formatCitation(paper({ title: 'Solo?', authors: ['Ada Lovelace'], authorsTruncated: true, date: '2024-09-02' }), 'mla');
    expect(mla).toMatch(/^Lovelace, Ada, et al\. “Solo\?” arXiv, 2 Sept\. 2024, /);
  });
});

describe('Chicago 17, author-date', () => {
  it('lists the printed authors, the first inverted, then "et al."', () => {
    expect(formatCitation(ASSAYING, 'chicago')).toBe(
      `Wenzel, Florian, Andrea Dittadi, Peter Vincent Gehler, et al. 2022. “Assaying Out-Of-Distribution Generalization in Transfer Learning.” Preprint, arXiv, July 19. ${ASSAYING_URL}.`,
    );
  });

  it('joins a complete list with "and"', () => {
    expect(formatCitation(RECONCILING, 'chicago')).toBe(
      `Rancati, Dario, Max Welling, and Francesco Locatello. 2026. “Reconciling Causality and Non-Equilibrium Thermodynamics with Hamiltonian Causal Models.” Preprint, arXiv, June 3. ${RECONCILING_URL}.`,
    );
  });

  it('lists seven of more than ten authors, then "et al."', () => {
    const authors = Array.from({ length: 11 }, (_, i) => `Given${i} Family${i}`);
    const chicago = formatCitation(paper({ title: 'Big', authors, date: '2024-01-01' }), 'chicago');
    expect(chicago).toMatch(/^Family0, Given0, .*Given6 Family6, et al\. 2024\./);
    expect(chicago).not.toContain('Family7');
  });
});

describe('IEEE', () => {
  it('cites a truncated list as the first author "et al."', () => {
    expect(formatCitation(ASSAYING, 'ieee')).toBe(
      `F. Wenzel et al., “Assaying Out-Of-Distribution Generalization in Transfer Learning,” arXiv preprint, Jul. 2022. [Online]. Available: ${ASSAYING_URL}`,
    );
  });

  it('writes initials first and joins up to six authors with a serial "and"', () => {
    expect(formatCitation(RECONCILING, 'ieee')).toBe(
      `D. Rancati, M. Welling, and F. Locatello, “Reconciling Causality and Non-Equilibrium Thermodynamics with Hamiltonian Causal Models,” arXiv preprint, Jun. 2026. [Online]. Available: ${RECONCILING_URL}`,
    );
    expect(formatCitation(INVARIANCE, 'ieee')).toMatch(/^F\. Montagna and F\. Locatello, “Causal/);
  });

  it('uses "et al." for more than six authors even when the list is complete', () => {
    const authors = Array.from({ length: 7 }, (_, i) => `Given${i} Family${i}`);
    expect(formatCitation(paper({ title: 'Big', authors, date: '2024-01-01' }), 'ieee')).toMatch(/^G\. Family0 et al\., “Big,” /);
  });

  it('keeps a title\'s own question mark in place of the comma', () => {
    expect(formatCitation(paper({ title: 'Are Two Heads the Same as One?', authors: ['A B'], date: '2024-01-01' }), 'ieee')).toContain('“Are Two Heads the Same as One?” arXiv preprint');
  });
});

describe('author names', () => {
  it('takes the last word as the family name and initials from the rest', () => {
    expect(citedName('Philipp M. Faller')).toMatchObject({ family: 'Faller', given: 'Philipp M.', initials: 'P. M.' });
    expect(citedName('Fabio De Sousa Ribeiro')).toMatchObject({ family: 'Ribeiro', given: 'Fabio De Sousa', initials: 'F. D. S.' });
    expect(citedName('Jean-Pierre  Löwe')).toMatchObject({ family: 'Löwe', initials: 'J.-P.' });
    expect(citedName('Plato')).toMatchObject({ family: 'Plato', given: '', initials: '' });
  });

  it('cites a one-word name without initials in every style', () => {
    const solo = paper({ title: 'Republic', authors: ['Plato'], date: '2024-01-01' });
    expect(formatCitation(solo, 'apa')).toMatch(/^Plato \(2024\)\. Republic/);
    expect(formatCitation(solo, 'ieee')).toMatch(/^Plato, “Republic,”/);
    expect(formatCitation(solo, 'mla')).toMatch(/^Plato\. “Republic\.”/);
  });
});

describe('citation keys', () => {
  it('joins family name, year and the first significant title word', () => {
    expect(citationKey(ASSAYING)).toBe('wenzel2022assaying');
    expect(citationKey(INVARIANCE)).toBe('montagna2026causal');
    expect(citationKey(MIXED)).toBe('lowe2022test');
  });

  it('skips stop words and folds accents and spellings of one person to one key', () => {
    const a = paper({ title: 'The Théorie of a Thing', authors: ['Sindy Löwe'], date: '2023-06-01' });
    const b = paper({ title: 'The Théorie of a Thing', authors: ['Sindy Loewe'], date: '2023-06-01' });
    expect(citationKey(a)).toBe('lowe2023theorie');
    expect(citationKey(b)).toBe(citationKey(a));
  });

  it('falls back to placeholders when no ASCII letter is left', () => {
    expect(citationKey(paper({ title: '深層学習', authors: ['山田 太郎'], date: '2024-01-01' }))).toBe('anon2024untitled');
  });
});
