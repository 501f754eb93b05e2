/**
 * TeX's names for accents and for letters without a Unicode decomposition, written once: the LaTeX reader
 * (src/corpus/latex.ts) reads `\"u` and `\ss` with them, and BibTeX (src/cite/tex.ts) writes them back.
 */

/** Accent commands → the combining mark each puts on a letter (`\"u` → u + U+0308). */
export const TEX_ACCENTS: Readonly<Record<string, string>> = {
  '`': '\u0300', "'": '\u0301', '^': '\u0302', '~': '\u0303', '=': '\u0304', u: '\u0306', '.': '\u0307', '"': '\u0308',
  r: '\u030a', H: '\u030b', v: '\u030c', d: '\u0323', c: '\u0327', k: '\u0328', b: '\u0331',
};

/** Letter commands → the letter (`\ss` → ß, `\o` → ø); OT1 has them all. */
export const TEX_LETTERS: Readonly<Record<string, string>> = {
  ss: 'ß', o: 'ø', O: 'Ø', ae: 'æ', AE: 'Æ', oe: 'œ', OE: 'Œ', aa: 'å', AA: 'Å', l: 'ł', L: 'Ł', i: 'ı', j: 'ȷ',
};
