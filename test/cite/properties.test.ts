import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import { citationKey, CITATION_STYLES, EXPORT_FORMATS, formatCitation, shippedStyles } from '../../src/cite/index.js';
import { citationBlock, citationExport } from '../../src/discord/citation.js';
import { LIMITS } from '../../src/discord/limits.js';
import { arbitraryPaper, awkwardText, paper } from './papers.js';
import { latexToChat, latexToPlain } from '../../src/corpus/latex.js';

// citeproc compiles a big style (Chicago's) in seconds: once per file, before the tests that cite.
beforeAll(async () => expect(await shippedStyles().warm()).toEqual([]), 120_000);

const UNKNOWN_AUTHORS = {
  bibtex: ' and others}',
  apa: 'et al.',
  mla: 'et al.',
  chicago: 'et al.',
  ieee: 'et al.',
  ris: 'N1  - The source page lists only these authors',
  csljson: '"note": "The source page lists only these authors',
} as const;
/** The styles shown as text only; the export formats are files (citationExport). */
const PROSE_STYLES = CITATION_STYLES.filter((style) => !EXPORT_FORMATS[style]);

// True when every "}" closes an earlier "{" and none is left open, as BibTeX counts them (escaped or not).
function bracesBalanced(text: string): boolean {
  let depth = 0;
  for (const ch of text) {
    if (ch === '{') depth += 1;
    if (ch === '}') depth -= 1;
    if (depth < 0) return false;
  }
  return depth === 0;
}

describe('BibTeX of non-ASCII text', () => {
  // Latin-1 and Latin Extended-A letters with no OT1 command (eth, thorn, d/h/t with stroke, eng, …) stay Unicode.
  const NO_TEX = new Set([...'ÐÞðþĐđĦħĲĳĸĿŀŉŊŋŦŧſ']);

  it('writes every other Latin-1 and Latin Extended-A letter in ASCII, in names and titles alike', async () => {
    const letter = fc.integer({ min: 0xc0, max: 0x17f }).map((code) => String.fromCharCode(code)).filter((ch) => /\p{L}/u.test(ch) && !NO_TEX.has(ch));
    await fc.assert(
      fc.asyncProperty(fc.array(fc.oneof(letter, fc.constantFrom('a', ' ', '₁', '²', 'ε', 'Ω', '—', 'i\u0301')), { minLength: 1, maxLength: 20 }), async (pieces) => {
        const text = pieces.join('');
        const entry = await formatCitation(paper({ title: `T ${text}`, authors: [`A ${text}`], date: '2024-01-01' }), 'bibtex');
        expect(entry).toMatch(/^[\x00-\x7F]*$/);
        expect(bracesBalanced(entry)).toBe(true);
      }),
    );
  });
});

describe('citations of arbitrary papers', () => {
  it('format in every style without throwing', async () => {
    await fc.assert(
      fc.asyncProperty(arbitraryPaper, fc.constantFrom(...CITATION_STYLES), async (p, style) => {
        expect((await formatCitation(p, style)).length).toBeGreaterThan(0);
      }),
    );
  });

  it('give BibTeX entries with balanced braces, one per paper, on the key', async () => {
    await fc.assert(
      fc.asyncProperty(arbitraryPaper, async (p) => {
        const entry = await formatCitation(p, 'bibtex');
        expect(bracesBalanced(entry)).toBe(true);
        expect(entry.startsWith(`@misc{${citationKey(p)},\n`)).toBe(true);
        expect(entry.endsWith('\n}')).toBe(true);
        // Field values hold no raw line breaks: one field per line.
        expect(entry.split('\n')).toHaveLength(entry.includes('month = ') ? 8 : 7);
      }),
    );
  });

  it('get stable keys of lower-case letters and digits', () => {
    fc.assert(
      fc.property(arbitraryPaper, (p) => {
        const key = citationKey(p);
        expect(key).toMatch(/^[a-z0-9]+$/);
        expect(citationKey(structuredClone(p))).toBe(key);
      }),
    );
  });

  it('never cite a truncated author list as complete', async () => {
    await fc.assert(
      fc.asyncProperty(
        arbitraryPaper.map((p) => ({ ...p, authorsTruncated: true })),
        fc.constantFrom(...CITATION_STYLES),
        async (p, style) => {
          expect(await formatCitation(p, style)).toContain(UNKNOWN_AUTHORS[style]);
        },
      ),
    );
  });
});

describe('citation code blocks', () => {
  it('fit a message, open and close exactly one fence, and keep "et al." for arbitrary papers', async () => {
    await fc.assert(
      fc.asyncProperty(arbitraryPaper, fc.constantFrom(...PROSE_STYLES), async (p, style) => {
        const block = await citationBlock(p, style);
        expect(block.length).toBeLessThanOrEqual(LIMITS.messageContent);
        expect(block.startsWith(style === 'bibtex' ? '```bibtex\n' : '```\n')).toBe(true);
        expect(block.endsWith('\n```')).toBe(true);
        expect(block.split('```')).toHaveLength(3);
        if (p.authorsTruncated) expect(block).toContain(UNKNOWN_AUTHORS[style]);
      }),
    );
  });

  it('shorten a pathological paper by cutting authors to "et al." and the title with "…"', async () => {
    const huge = paper({
      title: `${'Very Long Title Words '.repeat(500)}\`\`\` end`,
      authors: Array.from({ length: 2_000 }, (_, i) => `Given${i} ${'Family'.repeat(20)}${i}`),
      date: '2024-01-01',
    });
    for (const style of PROSE_STYLES) {
      const block = await citationBlock(huge, style);
      expect(block.length).toBeLessThanOrEqual(LIMITS.messageContent);
      expect(block).toContain(UNKNOWN_AUTHORS[style]);
      // BibTeX spells the ellipsis as TeX does.
      expect(block).toContain(style === 'bibtex' ? '\\ldots{}' : '…');
      expect(block.split('```')).toHaveLength(3);
    }
    expect(bracesBalanced(await citationBlock(huge, 'bibtex'))).toBe(true);
  });

  it('leave a citation that fits as it is', async () => {
    const p = paper({ title: 'Short', authors: ['Ada Lovelace'], date: '2024-01-01' });
    expect(await citationBlock(p, 'apa')).toBe(`\`\`\`\n${await formatCitation(p, 'apa')}\n\`\`\``);
  });
});

describe('citation exports (RIS, CSL-JSON)', () => {
  it('are whole files of well-formed records, shown in one closed code block only when it fits', async () => {
    await fc.assert(
      fc.asyncProperty(arbitraryPaper, fc.constantFrom('ris' as const, 'csljson' as const), async (p, style) => {
        const exported = await citationExport(p, style);
        expect(exported.fileName).toMatch(/^[a-z0-9]+\.(ris|json)$/);
        expect(exported.content.length).toBeLessThanOrEqual(LIMITS.messageContent);
        if (exported.content.startsWith('```')) expect(exported.content.split('```')).toHaveLength(3);
        else expect(exported.content).toContain(exported.fileName);
        if (style === 'ris') {
          const lines = exported.text.split('\r\n');
          expect(lines.pop()).toBe('');
          for (const line of lines) expect(line).toMatch(/^[A-Z][A-Z0-9] {2}-( [^\r\n]*)?$/);
          expect(lines[0]).toBe('TY  - UNPB');
          expect(lines[lines.length - 1]).toBe('ER  -');
          expect(lines.filter((line) => line.startsWith('AU  - '))).toHaveLength(p.authors.filter((a) => a.trim()).length || 1);
        } else {
          const [item] = JSON.parse(exported.text) as Array<{ author: unknown[]; title: string; id: string }>;
          expect(item?.author).toHaveLength(p.authors.filter((a) => a.trim()).length || 1);
          expect(item?.id).toBe(citationKey(p));
        }
      }),
    );
  });
});

describe('files a reference manager imports', () => {
  /** Abstract TeX with the markup the page reader turns into chat markdown, around awkward text. */
  const tex = fc
    .array(
      fc.oneof(
        awkwardText({ maxLength: 20 }),
        awkwardText({ minLength: 1, maxLength: 12 }).map((t) => `\\emph{${t}}`),
        awkwardText({ minLength: 1, maxLength: 12 }).map((t) => `\\textbf{${t}}`),
        fc.constantFrom('*slots*', '**i**dentifiable', '_x_', '\u200b', '\u2060', '`code`', '~~s~~', '||spoiler||'),
      ),
      { maxLength: 8 },
    )
    .map((parts) => parts.join(' '));
  const ZERO_WIDTH = /[\u200B-\u200D\u2060\uFEFF]/u;
  const plain = (text: string): string => text.replace(/[\u200B-\u200D\u2060\uFEFF]/gu, '').replace(/\s+/g, ' ').trim();

  it('carry the title and abstract as plain text: no chat markdown, no zero-width character, for any title or abstract', async () => {
    await fc.assert(
      fc.asyncProperty(arbitraryPaper, tex, async (p, source) => {
        const cited = { ...p, abstract: latexToChat(source) };
        const expectedAbstract = plain(latexToPlain(source));
        const [item] = JSON.parse(await formatCitation(cited, 'csljson')) as Array<{ title: string; abstract?: string }>;
        expect(item?.title).toBe(plain(p.title));
        expect(item?.abstract ?? '').toBe(expectedAbstract);
        const ris = await formatCitation(cited, 'ris');
        expect(ris).not.toMatch(ZERO_WIDTH);
        expect(/^AB {2}- (.*)$/m.exec(ris.replace(/\r/g, ''))?.[1] ?? '').toBe(expectedAbstract);
        expect(await formatCitation(cited, 'bibtex')).not.toMatch(ZERO_WIDTH);
      }),
      { numRuns: 300 },
    );
  });
});
