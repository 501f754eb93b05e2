import { beforeAll, describe, expect, it } from 'vitest';
import { citationKey, formatCitation, shippedStyles } from '../../src/cite/index.js';
import { ASSAYING, INVARIANCE, MIXED, paper, RECONCILING } from './papers.js';

// citeproc compiles a big style (Chicago's) in seconds: once per file, before the tests that cite.
beforeAll(async () => expect(await shippedStyles().warm()).toEqual([]), 120_000);

const ASSAYING_URL = 'https://arxiv.org/search/?query=Assaying+Out+Of+Distribution+Generalization+in+Transfer+Learning&searchtype=title';
const RECONCILING_URL =
  'https://arxiv.org/search/?query=Reconciling+Causality+and+Non+Equilibrium+Thermodynamics+with+Hamiltonian+Causal+Models&searchtype=title';
const INVARIANCE_URL = 'https://arxiv.org/search/?query=Causal+Learning+with+the+Invariance+Principle&searchtype=title';

describe('BibTeX', () => {
  it('cites a truncated author list with "and others" in a @misc entry', async () => {
    expect(await formatCitation(ASSAYING, 'bibtex')).toBe(
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

  it('cites a complete author list without "others"', async () => {
    expect(await formatCitation(RECONCILING, 'bibtex')).toBe(
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

  it('braces acronyms in the title and writes accented names as TeX', async () => {
    const entry = await formatCitation(MIXED, 'bibtex');
    expect(entry).toContain('  title = {{TeST}: Test-time Self-Training under Distribution Shift},');
    expect(entry).toContain('  author = {L{\\"o}we, Sindy and Faller, Philipp M. and De Sousa Ribeiro, Fabio and others},');
  });

  it('writes accented Latin letters, sub/superscript digits and Greek as TeX, keeping the key ASCII', async () => {
    const cited = paper({ title: 'ε-Greedy x₁ and x² for Ça Straße', authors: ['Jiří Müller', 'Øystein Łukasz', 'Nguyễn Thị'], date: '2024-01-01' });
    const entry = await formatCitation(cited, 'bibtex');
    expect(entry).toContain('title = {$\\varepsilon$-Greedy x$_{1}$ and x$^{2}$ for {\\c{C}}a Stra{\\ss}e}');
    expect(entry).toContain('author = {M{\\"u}ller, Ji{\\v{r}}{\\\'{\\i}} and {\\L}ukasz, {\\O}ystein and Th{\\d{i}}, Nguy{\\~{\\^e}}n}');
    expect(entry.startsWith('@misc{muller2024greedy,')).toBe(true);
  });

  it('keeps what TeX cannot spell in Unicode for biber, and the other styles keep Unicode throughout', async () => {
    const cited = paper({ title: 'Þing on 张伟 😀', authors: ['Jiří Müller'], date: '2024-01-01' });
    expect(await formatCitation(cited, 'bibtex')).toContain('title = {Þing on 张伟 😀}');
    expect(await formatCitation(cited, 'apa')).toContain('Müller, J. (2024). Þing on 张伟 😀');
    expect(await formatCitation({ ...cited, title: 'ε-Greedy x₁' }, 'ieee')).toContain('“ε-Greedy x₁,”');
  });

  it('braces each word with an inner capital and leaves title-cased words alone', async () => {
    const entry = await formatCitation(paper({ title: 'DINOSAUR meets 3D SAEs and TC-Bench in Out-Of-Distribution tests', authors: ['A B'], date: '2024-01-01' }), 'bibtex');
    expect(entry).toContain('title = {{DINOSAUR} meets {3D} {SAEs} and {TC-Bench} in Out-Of-Distribution tests}');
  });

  it('escapes every BibTeX special so braces stay balanced', async () => {
    const entry = await formatCitation(paper({ title: 'Cost {50%} & $x_1$ #2 ~ a^b \\ c', authors: ['Ann {Bee}'], date: '2024-01-01' }), 'bibtex');
    expect(entry).toContain(
      'title = {Cost \\textbraceleft{}50\\%\\textbraceright{} \\& \\$x\\_1\\$ \\#2 \\textasciitilde{} a\\textasciicircum{}b \\textbackslash{} c}',
    );
    expect(entry).toContain('author = {\\textbraceleft{}Bee\\textbraceright{}, Ann}');
  });

  it('writes a suffix in BibTeX\'s "von Last, Jr, First" form, and braces a part holding "and" so BibTeX reads one person', async () => {
    // Tame the BeaST (Markey, 2005) §11: "von Last, Jr, First" is the only form that carries a Jr part.
    const entry = await formatCitation(paper({ title: 'T', authors: ['Smith, Jr. John', 'Research and Development Team', 'others'], date: '2024-01-01' }), 'bibtex');
    expect(entry).toContain('author = {Smith, Jr., John and Team, {Research and Development} and {others}}');
  });

  it('keeps a particle before the family name, where BibTeX reads it as the von part', async () => {
    const entry = await formatCitation(paper({ title: 'T', authors: ['Julius von Kügelgen', 'Martin Luther King Jr.', 'Jean de La Fontaine'], date: '2024-01-01' }), 'bibtex');
    expect(entry).toContain('author = {von K{\\"u}gelgen, Julius and King, Jr., Martin Luther and de La Fontaine, Jean}');
  });

  it('omits the month of a date whose month is not a real month', async () => {
    expect(await formatCitation(paper({ title: 'T', authors: ['A B'], date: '2024-13-01' }), 'bibtex')).not.toContain('month');
  });
});

describe('APA 7', () => {
  it('writes unknown further authors as "et al." after the printed ones', async () => {
    expect(await formatCitation(ASSAYING, 'apa')).toBe(
      `Wenzel, F., Dittadi, A., Gehler, P. V., et al. (2022). Assaying out-of-distribution generalization in transfer learning [Preprint]. arXiv. ${ASSAYING_URL}`,
    );
  });

  it('joins a complete list with a serial comma and an ampersand', async () => {
    expect(await formatCitation(RECONCILING, 'apa')).toBe(
      `Rancati, D., Welling, M., & Locatello, F. (2026). Reconciling causality and non-equilibrium thermodynamics with Hamiltonian causal models [Preprint]. arXiv. ${RECONCILING_URL}`,
    );
    expect(await formatCitation(INVARIANCE, 'apa')).toBe(
      `Montagna, F., & Locatello, F. (2026). Causal learning with the invariance principle [Preprint]. arXiv. ${INVARIANCE_URL}`,
    );
  });

  it('lists 19 of more than 20 authors, an ellipsis, then the last', async () => {
    const authors = Array.from({ length: 23 }, (_, i) => `Given${i} Family${i}`);
    const apa = await formatCitation(paper({ title: 'Big', authors, date: '2024-01-01' }), 'apa');
    expect(apa).toMatch(/^Family0, G\., .*Family18, G\., … Family22, G\. \(2024\)\. Big \[Preprint\]\./);
    expect(apa).not.toContain('Family19');
  });

  it('writes a particle with the family name and a suffix after the initials (Publication Manual 9.8)', async () => {
    const apa = await formatCitation(paper({ title: 'T', authors: ['Julius von Kügelgen', 'Fabio De Sousa Ribeiro', 'Martin Luther King Jr.', 'Jean-Luc Godard'], date: '2024-01-01' }), 'apa');
    expect(apa).toMatch(/^von Kügelgen, J\., De Sousa Ribeiro, F\., King, M\. L\., Jr\., & Godard, J\.-L\. \(2024\)/);
  });
});

describe('APA 7 sentence case', async () => {
  const apaTitle = async (title: string, abstract = 'An abstract.'): Promise<string> =>
    (await formatCitation(paper({ title, abstract, authors: ['A B'], date: '2024-01-01' }), 'apa')).replace(/^B, A\. \(2024\)\. /, '').replace(/ \[Preprint\].*$/, '');

  it('lower-cases all but the first word of the title and of a subtitle, as the APA examples do', async () => {
    // The Publication Manual's examples (via the APA Style blog and UMGC's APA 7 guide).
    expect(await apaTitle('How Do We Read? Let’s Count the Ways: Comparing Digital, Audio, and Print-Only Readers')).toBe(
      'How do we read? Let’s count the ways: Comparing digital, audio, and print-only readers',
    );
    expect(await apaTitle('Student Cheating and Plagiarism in the Internet Era: A Wake-Up Call')).toBe('Student cheating and plagiarism in the Internet era: A wake-up call');
    expect(await apaTitle('Toughing It Out at Harvard: The Making of a Woman MBA', 'Interviews with students at Harvard over two years.')).toBe(
      'Toughing it out at Harvard: The making of a woman MBA',
    );
  });

  it('keeps acronyms, words with inner capitals and name-derived terms', async () => {
    expect(await apaTitle('Bridging DINOSAUR and ERA5 Data with TC-Bench for Hamiltonian Models in 3D')).toBe('Bridging DINOSAUR and ERA5 data with TC-Bench for Hamiltonian models in 3D');
    expect(await apaTitle('TeST: Test-time Self-Training under Distribution Shift')).toBe('TeST: Test-time self-training under distribution shift');
  });

  it('keeps a word the abstract capitalises on its own mid-sentence, but not a run of capitalised words', async () => {
    const abstract = 'We extend the Frank-Wolfe method. Geographic Information Systems are common; Stochastic methods help.';
    expect(await apaTitle('Stochastic Frank-Wolfe for Information Systems', abstract)).toBe('Stochastic Frank-Wolfe for information systems');
    expect(await apaTitle('Some Fair Methods', 'Unlike fair ones, some Fair methods are unfair.')).toBe('Some fair methods');
  });
});

// The prose styles below are the official CSL styles run by citeproc (src/cite/styles.ts): these expectations are
// what those styles write, not hand-made strings (the hand-written styles they replace wrote, e.g., "arXiv preprint"
// for IEEE and a bare URL for MLA). The guides' own published examples are in test/cite/guides.test.ts.
describe('MLA 9', () => {
  it('cites three or more authors, or a truncated list, as the first author and "et al."', async () => {
    expect(await formatCitation(ASSAYING, 'mla')).toBe(
      `Wenzel, Florian, et al. “Assaying Out-Of-Distribution Generalization in Transfer Learning.” Preprint. arXiv, 19 July 2022, ${ASSAYING_URL}.`,
    );
    expect(await formatCitation(RECONCILING, 'mla')).toMatch(/^Rancati, Dario, et al\. “Reconciling/);
  });

  it('names both of two authors, the second as printed', async () => {
    expect(await formatCitation(INVARIANCE, 'mla')).toBe(
      `Montagna, Francesco, and Francesco Locatello. “Causal Learning with the Invariance Principle.” Preprint. arXiv, 13 May 2026, ${INVARIANCE_URL}.`,
    );
  });

  it('cites a truncated list of one printed author with "et al."', async () => {
    const mla = await formatCitation(paper({ title: 'Solo?', authors: ['Ada Lovelace'], authorsTruncated: true, date: '2024-09-02' }), 'mla');
    expect(mla).toMatch(/^Lovelace, Ada, et al\. “Solo\?” Preprint\. arXiv, 2 Sept\. 2024, /);
  });
});

describe('MLA 9 and Chicago 17 names', () => {
  const two = paper({ title: 'Dreams', authors: ['Martin Luther King Jr.', 'Julius von Kügelgen'], date: '2024-01-01' });
  const reversed = paper({ title: 'Dreams', authors: ['Julius von Kügelgen', 'Martin Luther King Jr.'], date: '2024-01-01' });

  it('MLA inverts the first name with the suffix last and keeps the comma before "Jr." only there', async () => {
    expect(await formatCitation(two, 'mla')).toMatch(/^King, Martin Luther, Jr\., and Julius von Kügelgen\. “Dreams\.”/);
    expect(await formatCitation(reversed, 'mla')).toMatch(/^von Kügelgen, Julius, and Martin Luther King Jr\. “Dreams\.”/);
  });

  it('Chicago inverts with a comma before "Jr." and demotes "von" after the given name (CMOS 8.5), "Martin Luther King Jr." without one', async () => {
    expect(await formatCitation(two, 'chicago')).toMatch(/^King, Martin Luther, Jr\., and Julius von Kügelgen\. 2024\./);
    expect(await formatCitation(reversed, 'chicago')).toMatch(/^Kügelgen, Julius von, and Martin Luther King Jr\. 2024\./);
  });

  it('writes names whose words are JavaScript object keys ("toString", "constructor") as printed, in every style', async () => {
    const keys = paper({ title: 'Dreams', authors: ['toString bob Smith', 'Bo constructor'], date: '2024-01-01' });
    expect(await formatCitation(keys, 'mla')).toMatch(/^Smith, toString bob, and Bo constructor\. “Dreams\.”/);
    for (const style of ['apa', 'chicago', 'ieee'] as const) expect(await formatCitation(keys, style)).toMatch(/Smith.*constructor/);
  });

  it('IEEE writes initials, the particle with the family name, and "Jr." after it', async () => {
    expect(await formatCitation(two, 'ieee')).toMatch(/^M\. L\. King Jr\. and J\. von Kügelgen, “Dreams,”/);
  });

  it('MLA, Chicago and IEEE keep the printed title case', async () => {
    for (const style of ['mla', 'chicago', 'ieee'] as const) expect(await formatCitation(RECONCILING, style)).toContain('Reconciling Causality and Non-Equilibrium Thermodynamics with Hamiltonian Causal Models');
  });
});

describe('Chicago 17, author-date', () => {
  it('lists the printed authors, the first inverted, then "et al."', async () => {
    expect(await formatCitation(ASSAYING, 'chicago')).toBe(
      `Wenzel, Florian, Andrea Dittadi, Peter Vincent Gehler, et al. 2022. “Assaying Out-Of-Distribution Generalization in Transfer Learning.” Preprint. arXiv, July 19. ${ASSAYING_URL}.`,
    );
  });

  it('joins a complete list with "and"', async () => {
    expect(await formatCitation(RECONCILING, 'chicago')).toBe(
      `Rancati, Dario, Max Welling, and Francesco Locatello. 2026. “Reconciling Causality and Non-Equilibrium Thermodynamics with Hamiltonian Causal Models.” Preprint. arXiv, June 3. ${RECONCILING_URL}.`,
    );
  });

  it('lists seven of more than ten authors, then "et al."', async () => {
    const authors = Array.from({ length: 11 }, (_, i) => `Given${i} Family${i}`);
    const chicago = await formatCitation(paper({ title: 'Big', authors, date: '2024-01-01' }), 'chicago');
    expect(chicago).toMatch(/^Family0, Given0, .*Given6 Family6, et al\. 2024\./);
    expect(chicago).not.toContain('Family7');
  });
});

describe('IEEE', () => {
  it('cites a truncated list with "et al." after the printed authors', async () => {
    expect(await formatCitation(ASSAYING, 'ieee')).toBe(
      `F. Wenzel, A. Dittadi, P. V. Gehler, et al., “Assaying Out-Of-Distribution Generalization in Transfer Learning,” Jul. 19, 2022, arXiv. [Online]. Available: ${ASSAYING_URL}`,
    );
    expect(await formatCitation(paper({ title: 'Solo', authors: ['Ada Lovelace'], authorsTruncated: true, date: '2024-09-02' }), 'ieee')).toMatch(/^A\. Lovelace et al\., “Solo,”/);
  });

  it('writes initials first and joins up to six authors with a serial "and"', async () => {
    expect(await formatCitation(RECONCILING, 'ieee')).toBe(
      `D. Rancati, M. Welling, and F. Locatello, “Reconciling Causality and Non-Equilibrium Thermodynamics with Hamiltonian Causal Models,” Jun. 03, 2026, arXiv. [Online]. Available: ${RECONCILING_URL}`,
    );
    expect(await formatCitation(INVARIANCE, 'ieee')).toMatch(/^F\. Montagna and F\. Locatello, “Causal/);
  });

  it('uses "et al." for more than six authors even when the list is complete', async () => {
    const authors = Array.from({ length: 7 }, (_, i) => `Given${i} Family${i}`);
    expect(await formatCitation(paper({ title: 'Big', authors, date: '2024-01-01' }), 'ieee')).toMatch(/^G\. Family0 et al\., “Big,” /);
  });

  it('drops the reference number of a single citation', async () => {
    expect(await formatCitation(INVARIANCE, 'ieee')).not.toMatch(/^\[1\]/);
  });
});

describe('author names', () => {
  it('cites a one-word name without initials in every style', async () => {
    const solo = paper({ title: 'Republic', authors: ['Plato'], date: '2024-01-01' });
    expect(await formatCitation(solo, 'apa')).toMatch(/^Plato\. \(2024\)\. Republic/);
    expect(await formatCitation(solo, 'ieee')).toMatch(/^Plato, “Republic,”/);
    expect(await formatCitation(solo, 'mla')).toMatch(/^Plato\. “Republic\.”/);
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

describe('RIS', () => {
  it('writes one TAG  - value line per field from TY to ER, CRLF-terminated, names as "Family, Given, Suffix"', async () => {
    const cited = paper({
      title: 'Causal Learning with the Invariance Principle',
      authors: ['Julius von Kügelgen', 'Martin Luther King Jr.', 'Plato'],
      authorsTruncated: true,
      abstract: 'We study\ninvariance.',
      date: '2026-05-13',
    });
    expect((await formatCitation(cited, 'ris')).split('\r\n')).toEqual([
      'TY  - UNPB',
      'TI  - Causal Learning with the Invariance Principle',
      'AU  - von Kügelgen, Julius',
      'AU  - King, Martin Luther, Jr.',
      'AU  - Plato',
      'PY  - 2026',
      'DA  - 2026/05/13/',
      'PB  - arXiv',
      'M3  - Preprint',
      `UR  - ${INVARIANCE_URL}`,
      'AB  - We study invariance.',
      'N1  - The source page lists only these authors; there are further authors.',
      'ER  -',
      '',
    ]);
  });

  it('leaves the unknown parts of the date empty', async () => {
    expect(await formatCitation(paper({ title: 'T', authors: ['A B'], date: '2024-13-40' }), 'ris')).toContain('\r\nDA  - 2024///\r\n');
  });
});

describe('CSL-JSON', () => {
  it('is an array of one article with the authors split into family, given, particle and suffix', async () => {
    const cited = paper({ title: 'Causal Learning with the Invariance Principle', authors: ['Julius von Kügelgen', 'Martin Luther King Jr.', 'Plato'], date: '2026-05-13' });
    expect(JSON.parse(await formatCitation(cited, 'csljson'))).toEqual([
      {
        id: 'kugelgen2026causal',
        type: 'article',
        title: 'Causal Learning with the Invariance Principle',
        author: [
          { family: 'Kügelgen', given: 'Julius', 'non-dropping-particle': 'von' },
          { family: 'King', given: 'Martin Luther', suffix: 'Jr.' },
          { family: 'Plato' },
        ],
        issued: { 'date-parts': [[2026, 5, 13]] },
        publisher: 'arXiv',
        genre: 'Preprint',
        URL: INVARIANCE_URL,
        abstract: 'An abstract is not part of a citation.',
      },
    ]);
  });

  it('says in a note that a truncated list has further authors, and gives only the real parts of a date', async () => {
    const [item] = JSON.parse(await formatCitation({ ...ASSAYING, date: '2022-07-00' }, 'csljson')) as Array<Record<string, unknown>>;
    expect(item?.note).toBe('The source page lists only these authors; there are further authors.');
    expect(item?.issued).toEqual({ 'date-parts': [[2022, 7]] });
  });
});
