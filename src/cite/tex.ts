/**
 * Unicode → classic (La)TeX for BibTeX fields, so an entry works with BibTeX + pdflatex as well as biber (the forms
 * are at `texFor`). Anything else non-ASCII (CJK, emoji, rarer symbols) is kept as it is: biber and LaTeX's UTF-8
 * input read it, and no transliteration would be faithful. Every output has balanced braces.
 */
import { TEX_ACCENTS, TEX_LETTERS } from '../corpus/tex-symbols.js';

/** Combining marks → the LaTeX accent command for them (src/corpus/tex-symbols.ts, inverted). */
const ACCENTS: ReadonlyMap<string, string> = new Map(Object.entries(TEX_ACCENTS).map(([command, mark]) => [mark, command]));

/** Accents drawn above the letter: on `i` and `j` they replace the dot (`{\'\i}`). */
const ABOVE = new Set(['`', "'", '^', '~', '=', 'u', '.', '"', 'r', 'H', 'v']);

/** Letters with a LaTeX command of their own (src/corpus/tex-symbols.ts, inverted): ß → {\\ss}. */
const LETTERS: ReadonlyMap<string, string> = new Map(Object.entries(TEX_LETTERS).map(([command, letter]) => [letter, `{\\${command}}`]));

/** Punctuation with a plain ASCII spelling in TeX. */
const PUNCTUATION: ReadonlyMap<string, string> = new Map([
  ['–', '--'],
  ['—', '---'],
  ['…', '\\ldots{}'],
  ['‘', '`'],
  ['’', "'"],
  ['“', '``'],
  ['”', "''"],
  ['\u00A0', '~'],
]);

/** Greek letters and their math commands (capitals that look Latin have none and are kept). */
const GREEK: ReadonlyMap<string, string> = new Map(
  Object.entries({
    α: 'alpha', β: 'beta', γ: 'gamma', δ: 'delta', ε: 'varepsilon', ϵ: 'epsilon', ζ: 'zeta', η: 'eta', θ: 'theta', ϑ: 'vartheta',
    ι: 'iota', κ: 'kappa', λ: 'lambda', μ: 'mu', ν: 'nu', ξ: 'xi', π: 'pi', ϖ: 'varpi', ρ: 'rho', ϱ: 'varrho', σ: 'sigma', ς: 'varsigma',
    τ: 'tau', υ: 'upsilon', φ: 'varphi', ϕ: 'phi', χ: 'chi', ψ: 'psi', ω: 'omega',
    Γ: 'Gamma', Δ: 'Delta', Θ: 'Theta', Λ: 'Lambda', Ξ: 'Xi', Π: 'Pi', Σ: 'Sigma', Υ: 'Upsilon', Φ: 'Phi', Ψ: 'Psi', Ω: 'Omega',
  }),
);

const SUBSCRIPTS = '₀₁₂₃₄₅₆₇₈₉₊₋₌₍₎';
const SUPERSCRIPTS = '⁰¹²³⁴⁵⁶⁷⁸⁹⁺⁻⁼⁽⁾';
const SCRIPT_PLAIN = '0123456789+-=()';

/**
 * What `texFor` reads, global (for `String.replace`): a run of subscripts, of superscripts or of Greek letters,
 * an ASCII letter with combining marks, or any other non-ASCII character with its combining marks.
 */
export const TEX_CONVERTIBLE = new RegExp(`[${SUBSCRIPTS}]+|[${SUPERSCRIPTS}]+|[${[...GREEK.keys()].join('')}]+|[A-Za-z]\\p{M}+|[^\\x00-\\x7F]\\p{M}*`, 'gu');

/**
 * A run matched by `TEX_CONVERTIBLE` as TeX: math for scripts and Greek, commands for accented and special
 * Latin letters and typographic punctuation; null when it has no TeX spelling (it is then kept in Unicode).
 */
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
