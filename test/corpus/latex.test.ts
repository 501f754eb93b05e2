import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { latexToChat, latexToPlain } from '../../src/corpus/latex.js';

const SEED_LINES = readFileSync('data/profiles/francesco-locatello.txt', 'utf8').split('\n');

describe('latexToChat', () => {
  it('turns text styles into markdown, nested ones included', () => {
    expect(latexToChat('an \\textit{x} and \\emph{y} and \\textbf{z}')).toBe('an *x* and *y* and **z**');
    expect(latexToChat('we present \\emph{\\textsc{Co}nditional \\textsc{S}lot \\textsc{A}ttention} (\\textsc{CoSA})')).toBe(
      'we present *Conditional Slot Attention* (CoSA)',
    );
    expect(latexToChat('an \\textbf{i}dentifiable SAE')).toBe('an **i**dentifiable SAE');
    expect(latexToChat('\\emph{a \\textbf{b}}')).toBe('*a **b***');
    expect(latexToChat('\\emph{outer \\emph{inner}}')).toBe('*outer inner*');
  });

  it('keeps spaces outside the markers so Discord renders them', () => {
    expect(latexToChat('a\\emph{ spaced }b')).toBe('a *spaced* b');
    expect(latexToChat('a \\emph{} b')).toBe('a b');
  });

  it('applies style switches to the rest of their group', () => {
    expect(latexToChat('plain {\\em slanted words} plain')).toBe('plain *slanted words* plain');
    expect(latexToChat('{\\bf bold}')).toBe('**bold**');
  });

  it('writes math as readable Unicode', () => {
    expect(latexToChat('$\\nabla \\log p(\\mathbf{X})$')).toBe('∇ log p(X)');
    expect(latexToChat('(${W}_2$) metric')).toBe('(W₂) metric');
    expect(latexToChat('$W_K$-geodesics')).toBe('Wₖ-geodesics');
    expect(latexToChat('more than $20\\%$ IoU')).toBe('more than 20% IoU');
    expect(latexToChat('tolerance $ε$.')).toBe('tolerance ε.');
    expect(latexToChat('$x \\in \\mathbb{R}^d$, $A^{-1}$, $A^\\top$')).toBe('x ∈ ℝᵈ, A⁻¹, Aᵀ');
    expect(latexToChat('$\\alpha\\leq\\beta$ and $\\frac{1}{2}\\sqrt{n}$')).toBe('α ≤ β and 1/2√n');
    expect(latexToChat('$\\hat{y}$ $\\tilde x$')).toBe('ŷ x̃');
  });

  it('falls back to a marked script where Unicode has no subscript form', () => {
    expect(latexToChat('$x_{qy}$')).toBe('x\\_(qy)');
    expect(latexToPlain('$x_{qy}$')).toBe('x_(qy)');
  });

  it('leaves dollar signs that are not math alone', () => {
    expect(latexToChat('it costs $5 and $10 each')).toBe('it costs $5 and $10 each');
    expect(latexToChat('a lone $ sign')).toBe('a lone $ sign');
  });

  it('turns LaTeX quotes, dashes, accents and escapes into characters', () => {
    expect(latexToChat('``healthy volunteer bias\'\' -- and---so')).toBe('“healthy volunteer bias” – and—so');
    expect(latexToPlain('Schölkopf, Sch\\"{o}lkopf, Sch\\"olkopf, Lachapelle S\\\'ebastien, \\c{C}a\\u{g}lar')).toBe(
      'Schölkopf, Schölkopf, Schölkopf, Lachapelle Sébastien, Çağlar',
    );
    expect(latexToChat('R\\&D, 5\\%, \\#1')).toBe('R&D, 5%, #1');
  });

  it('escapes markdown characters of plain text but leaves URLs whole', () => {
    expect(latexToChat('snake_case and *stars* and `ticks`')).toBe('snake\\_case and \\*stars\\* and \\`ticks\\`');
    expect(latexToChat('see https://github.com/a_b/c_d.')).toBe('see https://github.com/a_b/c_d.');
    expect(latexToChat('\\url{https://x.org/a_b} and \\href{https://y.org}{the site}')).toBe('https://x.org/a_b and the site (https://y.org)');
    expect(latexToPlain('snake_case')).toBe('snake_case');
    // Under an accent too (a case fast-check found: `\c *slots*` left a bare `*` in the chat text).
    expect(latexToChat("\\c *slots* and \\'{_}")).toBe('\\*\u0327slots\\* and \\_\u0301');
    expect(latexToPlain('\\c *slots*')).toBe('*\u0327slots*');
  });

  it('drops citations and unknown commands but keeps their text arguments', () => {
    expect(latexToChat('as shown \\cite{foo2020} by \\unknowncmd{them}\\xspace.')).toBe('as shown by them.');
    expect(latexToChat('\\constructor{x} \\toString y')).toBe('x y');
  });

  it('leaves no backslash command and no dollar sign in any of the seed abstracts', () => {
    for (const line of SEED_LINES) {
      const chat = latexToChat(line);
      expect(chat).not.toMatch(/\\[a-zA-Z]/);
      expect(chat).not.toContain('$');
    }
  });

  it('is the identity on plain text without markdown or LaTeX characters', () => {
    const plain = fc.stringMatching(/^[A-Za-z0-9 .,;:()'"!?éüß-]*$/).filter((s) => !s.includes('--') && !s.includes("''"));
    fc.assert(fc.property(plain, (text) => latexToChat(text) === text.replace(/ +/g, ' ').trim()));
  });

  it('never throws, on any text and on pathological nesting', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary' }), (text) => {
        expect(typeof latexToChat(text)).toBe('string');
        expect(typeof latexToPlain(text)).toBe('string');
      }),
      { numRuns: 500 },
    );
    const tokens = fc.constantFrom('\\emph{', '{', '}', '$', '$$', '_', '^', '\\frac', '\\hat', '\\"', '\\em ', 'x', ' ', '\\', '\\url{', '\\sqrt[');
    fc.assert(fc.property(fc.array(tokens, { maxLength: 60 }), (parts) => typeof latexToChat(parts.join('')) === 'string'));
    for (const deep of ['{'.repeat(50_000), '\\emph{'.repeat(20_000), '\\hat'.repeat(20_000), '$' + '{'.repeat(20_000) + '$', "\\'".repeat(20_000)]) {
      expect(typeof latexToChat(deep)).toBe('string');
    }
  });
});
