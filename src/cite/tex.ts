/**
 * Unicode → classic (La)TeX for BibTeX fields. Anything else non-ASCII (CJK, emoji) is kept as it is: biber and
 * LaTeX's UTF-8 input read it, and no transliteration would be faithful. Every output has balanced braces.
 */
import {
  LIGATURES, MATH_SYMBOLS, SUBSCRIPTS as SUBSCRIPT_OF, SUPERSCRIPTS as SUPERSCRIPT_OF, TEX_ACCENTS, TEX_LETTERS,
} from '../corpus/tex-symbols.js';

/** Combining marks → the LaTeX accent command for them (src/corpus/tex-symbols.ts, inverted). */
const ACCENTS: ReadonlyMap<string, string> = new Map(Object.entries(TEX_ACCENTS).map(([command, mark]) => [mark, command]));

/** Accents drawn above the letter: on `i` and `j` they replace the dot (`{\'\i}`). */
const ABOVE = new Set(['`', "'", '^', '~', '=', 'u', '.', '"', 'r', 'H', 'v']);

/** Letters with a LaTeX command of their own (src/corpus/tex-symbols.ts, inverted): ß → {\\ss}. */
const LETTERS: ReadonlyMap<string, string> = new Map(Object.entries(TEX_LETTERS).map(([command, letter]) => [letter, `{\\${command}}`]));

/** Punctuation with a plain ASCII spelling in TeX: the ligatures our reader reads (inverted), and a few more. */
const PUNCTUATION: ReadonlyMap<string, string> = new Map([
  ...Object.entries(LIGATURES).map(([tex, ch]) => [ch, tex] as const),
  ['…', '\\ldots{}'], ['‘', '`'], ['’', "'"], ['\u00A0', '~'],
]);

/** Greek letters → their math command (src/corpus/tex-symbols.ts, inverted; capitals that look Latin have none and are kept). */
const GREEK: ReadonlyMap<string, string> = new Map(
  Object.entries(MATH_SYMBOLS).filter(([, ch]) => /^\p{Script=Greek}$/u.test(ch)).map(([command, ch]) => [ch, command]),
);

/** The characters whose sub/superscript BibTeX writes as math, and those forms (src/corpus/tex-symbols.ts). */
const SCRIPT_PLAIN = '0123456789+-=()';
const SUBSCRIPTS = [...SCRIPT_PLAIN].map((ch) => SUBSCRIPT_OF[ch]).join('');
const SUPERSCRIPTS = [...SCRIPT_PLAIN].map((ch) => SUPERSCRIPT_OF[ch]).join('');

/** What `texFor` reads (global): a run of sub/superscripts or Greek letters, or one character with its combining marks. */
export const TEX_CONVERTIBLE = new RegExp(`[${SUBSCRIPTS}]+|[${SUPERSCRIPTS}]+|[${[...GREEK.keys()].join('')}]+|[A-Za-z]\\p{M}+|[^\\x00-\\x7F]\\p{M}*`, 'gu');

/** A run matched by `TEX_CONVERTIBLE` as TeX (math for scripts and Greek, else commands); null where TeX has no spelling. */
export function texFor(run: string): string | null {
  const first = run[0] ?? '';
  if (SUBSCRIPTS.includes(first)) return `$_{${plainScripts(run, SUBSCRIPTS)}}$`;
  if (SUPERSCRIPTS.includes(first)) return `$^{${plainScripts(run, SUPERSCRIPTS)}}$`;
  if (GREEK.has(first)) return `$${[...run].map((ch) => `\\${GREEK.get(ch) ?? ''}`).join(' ')}$`;
  const composed = run.normalize('NFC');
  const named = LETTERS.get(composed) ?? PUNCTUATION.get(composed);
  if (named !== undefined) return named;
  return accented(run.normalize('NFD'));
}

// "u" + U+0308 → {\"u}; "c" + U+0327 → {\c{c}}; "i" + U+0301 → {\'{\i}}; several marks nest. Null for anything else.
function accented(decomposed: string): string | null {
  const base = decomposed[0] ?? '';
  const marks = [...decomposed.slice(1)];
  if (!/^[A-Za-z]$/.test(base) || marks.length === 0) return null;
  const commands = marks.map((mark) => ACCENTS.get(mark));
  if (commands.some((command) => command === undefined)) return null;
  let out = (base === 'i' || base === 'j') && ABOVE.has(commands[0] ?? '') ? `\\${base}` : base;
  for (const command of commands as string[]) {
    const argument = out.length === 1 ? out : `{${out}}`;
    out = /^[A-Za-z]$/.test(command) ? `\\${command}{${out}}` : `\\${command}${argument}`;
  }
  return `{${out}}`;
}

function plainScripts(run: string, scripts: string): string {
  return [...run].map((ch) => SCRIPT_PLAIN[scripts.indexOf(ch)] ?? '').join('');
}
