/** LaTeX in page text (`\emph{…}`, `$\nabla \log p(X)$`) → chat or plain text, math as Unicode (`∇ log p(X)`); never a throw. */
import {
  BLACKBOARD, LIGATURES, MATH_ACCENTS, MATH_OPERATORS, MATH_SYMBOLS, RELATIONS, SUBSCRIPTS, SUPERSCRIPTS, TEX_ACCENTS, TEXT_SYMBOLS,
} from './tex-symbols.js';

/** Where the TeX is from: a page, or a BibTeX field, whose bare braces only group (case protection) and whose `~` is a space. */
type TexSource = 'page' | 'bibtex';

/** How one piece of text is being rendered: as markdown (`*x*`, escaped `*`/`_`) or plain text (titles, names). */
interface Style {
  markdown: boolean;
  bibtex: boolean;
  italic: boolean;
  bold: boolean;
}

/** Page text with LaTeX → Discord markdown: italic/bold as `*x*`/`**x**`, math as Unicode, markdown characters escaped. */
export function latexToChat(text: string, source: TexSource = 'page'): string {
  return convert(text, { markdown: true, bibtex: source === 'bibtex', italic: false, bold: false });
}

/** Page text with LaTeX → plain Unicode text (no markdown): for titles and people's names. */
export function latexToPlain(text: string, source: TexSource = 'page'): string {
  return convert(text, { markdown: false, bibtex: source === 'bibtex', italic: false, bold: false });
}

function convert(text: string, style: Style): string {
  try {
    return tidy(readText(new Reader(text), style, false, 0));
  } catch {
    // Unreachable by design (the reader is bounded); kept so a page can never take the bot down.
    return tidy(text.replace(/\\[a-zA-Z]+|[\\${}]/g, ' '));
  }
}

/** Collapses runs of spaces and trims each line; the page's text is one paragraph per line. */
function tidy(text: string): string {
  return text
    .split('\n')
    .map((line) => line.replace(/[ \t\u00a0]+/g, ' ').trim())
    .join('\n')
    .normalize('NFC');
}

class Reader {
  pos = 0;
  constructor(readonly text: string) {}

  peek(offset = 0): string {
    return this.text.charAt(this.pos + offset);
  }

  /** Matches a sticky regex at the current position and consumes it. */
  take(pattern: RegExp): string | null {
    pattern.lastIndex = this.pos;
    const match = pattern.exec(this.text);
    if (!match) return null;
    this.pos += match[0].length;
    return match[0];
  }
}

const COMMAND_WORD = /\\[a-zA-Z]+\*?/y;
const SPACES = /[ \t]*/y;
const ONE_CHAR = /[^]/y;
/** After a control word TeX eats one run of spaces; we keep one, where a word follows. */
const SPACES_BUT_ONE = /[ \t]*(?=[ \t])/y;
const VERBATIM_OR_LIGATURE = /https?:\/\/[^\s<>"{}|\\^`]+|---|--|``|''/y;

/** Text mode to the end or (`inGroup`) past the group's `}`; bare braces stay as text, balanced (in BibTeX, dropped). */
function readText(r: Reader, style: Style, inGroup: boolean, depth: number): string {
  let out = '';
  while (r.pos < r.text.length) {
    const ch = r.peek();
    if (ch === '}') {
      r.pos++;
      if (inGroup) return out;
      if (!style.bibtex) out += '}';
      continue;
    }
    if (ch === '\\') {
      const switched = depth < MAX_DEPTH ? switchStyle(r, style) : null;
      if (switched) {
        // `{\em rest of the group}`: the switch styles everything up to the group's end.
        return out + wrap(readText(r, switched, inGroup, depth + 1), switched, style);
      }
      out += readCommand(r, style, depth);
      continue;
    }
    if (ch === '$') {
      out += readDollarMath(r, style, depth);
      continue;
    }
    if (ch === '{') {
      r.pos++;
      if (depth >= MAX_DEPTH) out += style.bibtex ? '' : '{';
      else if (r.peek() === '\\' || style.bibtex) out += readText(r, style, true, depth + 1);
      else out += `{${readText(r, style, true, depth + 1)}}`;
      continue;
    }
    // A URL as written (its `_` and `--` are no markup); two backquotes, two quotes and dashes as typography.
    const token = (ch === 'h' && r.peek(1) === 't') || ch === '`' || ch === "'" || ch === '-' ? r.take(VERBATIM_OR_LIGATURE) : null;
    if (token) {
      out += own(LIGATURES, token) ?? token;
      continue;
    }
    r.pos++;
    out += ch === '~' && style.bibtex ? ' ' : style.markdown ? escapeMarkdownChar(ch, r) : ch;
  }
  return out;
}

function escapeMarkdownChar(ch: string, r: Reader): string {
  if (ch === '*' || ch === '_' || ch === '`') return `\\${ch}`;
  // `~~` strikes through and `||` hides: escape only the doubled forms.
  if ((ch === '~' || ch === '|') && (r.peek() === ch || r.text.charAt(r.pos - 2) === ch)) return `\\${ch}`;
  return ch;
}

/** `\em`, `\bf`, … (declarations that style the rest of their group): the new style, or null. */
function switchStyle(r: Reader, style: Style): Style | null {
  const start = r.pos;
  const next = restyle(style, r.take(COMMAND_WORD)?.slice(1) ?? '', STYLE_SWITCHES);
  if (next) r.take(SPACES);
  else r.pos = start;
  return next;
}

/** The style a command sets by the sets it is in (`[italic, bold, plain]`), or null where it sets none. */
function restyle(style: Style, name: string, [italic, bold, plain]: StyleSets): Style | null {
  if (italic.has(name)) return { ...style, italic: true };
  if (bold.has(name)) return { ...style, bold: true };
  return plain.has(name) ? style : null;
}

/** Wraps `inner` in the markdown for the styles `next` adds over `outer`; spaces stay outside the markers. */
function wrap(inner: string, next: Style, outer: Style): string {
  if (!next.markdown) return inner;
  let marker = '';
  if (next.bold && !outer.bold) marker += '**';
  if (next.italic && !outer.italic) marker += '*';
  // From the first non-space to the last (`\s` is what trim() strips); all-space text stays as it is.
  return marker ? inner.replace(/\S(?:[^]*\S)?/, (body) => `${marker}${body}${marker}`) : inner;
}

/** A backslash command in text mode (the reader is at the backslash). */
function readCommand(r: Reader, style: Style, depth: number): string {
  const word = r.take(COMMAND_WORD);
  if (!word) {
    const mark = own(TEX_ACCENTS, r.peek(1));
    if (mark === undefined) return controlSymbol(r, style, TEXT_CONTROL);
    r.pos += 2;
    return accent(r, mark, style, depth);
  }
  const name = word.replace(/\*$/, '').slice(1);
  const styled = restyle(style, name, STYLE_COMMANDS);
  if (styled) return wrap(argumentText(r, styled, depth), styled, style);
  if (DROPPED_COMMANDS.has(name)) {
    readRawArgument(r);
    return '';
  }
  if (name === 'url') return readRawArgument(r);
  if (name === 'href') {
    const url = readRawArgument(r);
    const label = argumentText(r, style, depth);
    return label && label !== url ? `${label} (${url})` : url;
  }
  if (name === 'footnote') {
    const note = argumentText(r, style, depth);
    return note ? ` (${note})` : '';
  }
  const mark = own(TEX_ACCENTS, name);
  if (mark !== undefined) return accent(r, mark, style, depth);
  const symbol = own(TEXT_SYMBOLS, name) ?? own(MATH_SYMBOLS, name) ?? own(RELATIONS, name);
  if (symbol !== undefined) {
    r.take(SPACES_BUT_ONE);
    return symbol;
  }
  if (name === 'ensuremath') return argumentText(r, style, depth, readMath);
  // An unknown command: keep its argument (if any) and drop the command itself.
  if (r.peek() === '{') return argumentText(r, style, depth);
  r.take(SPACES_BUT_ONE);
  return '';
}

/** A control symbol (`\%`, `\,`, `\\`, a lone backslash at the end), the reader at its backslash: its text in `table`, else itself. */
function controlSymbol(r: Reader, style: Style, table: Readonly<Record<string, string>>): string {
  const symbol = r.peek(1);
  r.pos += 1 + symbol.length;
  return own(table, symbol) ?? (style.markdown && (symbol === '_' || symbol === '*') ? `\\${symbol}` : symbol);
}

/** The text of a `{…}` argument, read in text mode (or by `read`: math); '' where there is none. */
function argumentText(r: Reader, style: Style, depth: number, read = readText): string {
  r.take(SPACES);
  if (r.peek() !== '{' || depth >= MAX_DEPTH) return '';
  r.pos++;
  return read(r, style, true, depth + 1);
}

/** A `{…}` argument taken verbatim (URLs, labels); '' where there is none. */
function readRawArgument(r: Reader): string {
  r.take(SPACES);
  if (r.peek() !== '{') return '';
  let level = 0;
  const start = r.pos + 1;
  while (r.pos < r.text.length) {
    const ch = r.peek();
    r.pos++;
    if (ch === '{') level++;
    else if (ch === '}' && --level === 0) return r.text.slice(start, r.pos - 1).trim();
  }
  return r.text.slice(start).trim();
}

/** `\'e`, `\"{o}`, `\c c`: the letter with its combining mark. */
function accent(r: Reader, mark: string, style: Style, depth: number): string {
  r.take(SPACES);
  let base: string;
  if (r.peek() === '{') base = argumentText(r, { ...style, markdown: false }, depth);
  else if (r.peek() === '\\') base = depth < MAX_DEPTH ? readCommand(r, { ...style, markdown: false }, depth + 1) : '';
  else base = r.take(ONE_CHAR) ?? '';
  if (!base) return mark.trim();
  // `\'\i` and `\"{\i}`: the dotless i (or j) takes the accent in place of its dot.
  const accented = base.replace(/^ı/, 'i').replace(/^ȷ/, 'j').replace(/^./su, (first) => `${first}${mark}`).normalize('NFC');
  // The base was read without markdown (`\c *`, `\c{_}`): a markdown character in it is escaped as in the text around.
  return style.markdown ? accented.replace(/[*_`]/g, '\\$&') : accented;
}

/** `$…$` or `$$…$$` at the reader: math if it is math (pandoc's rule), else a literal `$`. */
function readDollarMath(r: Reader, style: Style, depth: number): string {
  const display = r.peek(1) === '$';
  const fence = display ? '$$' : '$';
  const start = r.pos + fence.length;
  const end = findClosingDollar(r.text, start, display);
  if (end < 0) {
    r.pos += fence.length;
    return fence;
  }
  const inner = new Reader(r.text.slice(start, end));
  r.pos = end + fence.length;
  return readMath(inner, style, false, depth + 1);
}

/** Pandoc's rule: `$` opens before a non-space and closes after a non-space and before no digit ("costs $5 and $10" is text). */
function findClosingDollar(text: string, start: number, display: boolean): number {
  if (display) {
    const end = text.indexOf('$$', start);
    return end - start > MAX_MATH_LENGTH ? -1 : end;
  }
  const first = text.charAt(start);
  if (!first || /\s/.test(first) || first === '$') return -1;
  // Bounded so that a page full of lone `$` signs stays linear.
  const limit = Math.min(text.length, start + MAX_MATH_LENGTH);
  for (let i = start; i < limit; i++) {
    const ch = text.charAt(i);
    if (ch === '\\') i++;
    else if (ch === '$' && !/\s/.test(text.charAt(i - 1)) && !/\d/.test(text.charAt(i + 1))) return i;
  }
  return -1;
}

/** Math mode until the end or (when `inGroup`) the closing `}`. Braces group; spacing follows the source. */
function readMath(r: Reader, style: Style, inGroup: boolean, depth: number): string {
  let out = '';
  while (r.pos < r.text.length) {
    const ch = r.peek();
    if (ch === '}') {
      r.pos++;
      if (inGroup) return out;
      continue;
    }
    if (ch === '{') {
      r.pos++;
      out += depth >= MAX_DEPTH ? '' : readMath(r, style, true, depth + 1);
      continue;
    }
    if (ch === '_' || ch === '^') {
      r.pos++;
      out += toScript(readMathAtom(r, style, depth), ch, style);
      continue;
    }
    if (ch === '\\') {
      out += readMathCommand(r, style, depth);
      continue;
    }
    r.pos++;
    out += ch === '~' ? ' ' : style.markdown && (ch === '*' || ch === '`') ? `\\${ch}` : ch;
  }
  return out;
}

/** The next atom after `_`/`^`: a group, a command, or one character; as plain text. */
function readMathAtom(r: Reader, style: Style, depth: number): string {
  r.take(SPACES);
  const plain = { ...style, markdown: false };
  const ch = r.peek();
  if (ch === '{') {
    r.pos++;
    return depth >= MAX_DEPTH ? '' : readMath(r, plain, true, depth + 1);
  }
  if (ch === '\\') {
    if (depth < MAX_DEPTH) return readMathCommand(r, plain, depth + 1).trim();
    if (!r.take(COMMAND_WORD)) r.pos += 2;
    return '';
  }
  return r.take(ONE_CHAR) ?? '';
}

/** Sub/superscript in Unicode when every character has a form (uppercase borrows the lowercase one), else `_x`/`_(xy)`. */
function toScript(atom: string, mark: string, style: Style): string {
  const text = atom.trim();
  if (!text) return '';
  const chars = [...text];
  const table = mark === '_' ? SUBSCRIPTS : SUPERSCRIPTS;
  const mapped = chars.map((c) => own(table, c) ?? own(table, c.toLowerCase()));
  if (mapped.every((m) => m !== undefined)) return mapped.join('');
  const sign = style.markdown && mark === '_' ? '\\_' : mark;
  return chars.length === 1 ? `${sign}${text}` : `${sign}(${text})`;
}

function readMathCommand(r: Reader, style: Style, depth: number): string {
  const word = r.take(COMMAND_WORD);
  if (!word) return controlSymbol(r, style, MATH_CONTROL);
  const name = word.replace(/\*$/, '').slice(1);
  if (MATH_FONT_COMMANDS.has(name)) return readMathAtom(r, style, depth);
  if (name === 'mathbb') return [...readMathAtom(r, style, depth)].map((c) => own(BLACKBOARD, c) ?? c).join('');
  if (restyle(style, name, STYLE_COMMANDS)) return argumentText(r, { ...style, markdown: false }, depth);
  if (name === 'frac' || name === 'dfrac' || name === 'tfrac') {
    const top = bracketed(readMathAtom(r, style, depth));
    return `${top}/${bracketed(readMathAtom(r, style, depth))}`;
  }
  if (name === 'sqrt') {
    if (r.peek() === '[') {
      const close = r.text.indexOf(']', r.pos);
      r.pos = close < 0 ? r.text.length : close + 1;
    }
    return `√${bracketed(readMathAtom(r, style, depth))}`;
  }
  const mathAccent = own(MATH_ACCENTS, name);
  if (mathAccent !== undefined) {
    const base = readMathAtom(r, style, depth);
    return [...base].length === 1 ? `${base}${mathAccent}`.normalize('NFC') : base;
  }
  if (SIZING_COMMANDS.has(name)) return '';
  // `\log x` → "log x", `\log(x)` → "log(x)".
  if (MATH_OPERATORS.has(name)) return /[\p{L}\p{N}\\]/u.test(r.peek()) ? `${name} ` : name;
  const relation = own(RELATIONS, name);
  if (relation !== undefined) return ` ${relation} `;
  const symbol = own(MATH_SYMBOLS, name) ?? own(TEXT_SYMBOLS, name);
  if (symbol !== undefined) return symbol;
  if (r.peek() === '{') return readMathAtom(r, style, depth);
  return name;
}

function bracketed(text: string): string {
  const trimmed = text.trim();
  return [...trimmed].length <= 1 || /^[\p{L}\p{N}]+$/u.test(trimmed) ? trimmed : `(${trimmed})`;
}

/** A table lookup that ignores inherited keys (`\\constructor` is not a symbol). */
function own(table: Record<string, string>, key: string): string | undefined {
  return Object.hasOwn(table, key) ? table[key] : undefined;
}

/** The longest `$…$` read as math; an inline formula in an abstract is far shorter. */
const MAX_MATH_LENGTH = 500;

/** Braces nested deeper than this are read as literal characters: bounded recursion for any input. */
const MAX_DEPTH = 40;

/** The commands that style their argument and the switches that style the rest of their group: italic, bold, plain. */
type StyleSets = readonly [ReadonlySet<string>, ReadonlySet<string>, ReadonlySet<string>];
const STYLE_COMMANDS: StyleSets = [
  new Set(['emph', 'textit', 'textsl', 'mathit']),
  new Set(['textbf', 'bm', 'boldsymbol']),
  new Set(['textsc', 'textrm', 'textnormal', 'text', 'textsf', 'texttt', 'textup', 'textmd', 'mbox', 'hbox', 'underline', 'uline', 'textcolor']),
];
const STYLE_SWITCHES: StyleSets = [
  new Set(['em', 'it', 'itshape', 'sl', 'slshape']),
  new Set(['bf', 'bfseries']),
  new Set(['sc', 'scshape', 'rm', 'rmfamily', 'tt', 'ttfamily', 'sf', 'sffamily', 'normalfont', 'small', 'large', 'footnotesize']),
];
/** Control symbols read as a space (`\,`, `\\`), as nothing (`\!`, `\-`) or (math) as a symbol, in text and in math. */
const TEXT_CONTROL = { '\\': ' ', '\n': ' ', ',': ' ', ';': ' ', ':': ' ', ' ': ' ', '!': '', '/': '', '-': '' };
const MATH_CONTROL = { '\\': ' ', ',': ' ', ';': ' ', ':': ' ', ' ': ' ', '>': ' ', '!': '', '|': '‖' };
const DROPPED_COMMANDS = new Set(['cite', 'citep', 'citet', 'ref', 'eqref', 'label', 'vspace', 'hspace']);
const MATH_FONT_COMMANDS = new Set(['mathbf', 'mathrm', 'mathsf', 'mathtt', 'mathcal', 'mathscr', 'mathfrak', 'mathnormal', 'operatorname', 'mathit', 'bm', 'boldsymbol', 'pmb']);
const SIZING_COMMANDS = new Set(['left', 'right', 'big', 'Big', 'bigg', 'Bigg', 'bigl', 'bigr', 'Bigl', 'Bigr', 'middle', 'displaystyle', 'textstyle', 'limits', 'nolimits']);
