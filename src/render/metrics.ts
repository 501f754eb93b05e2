/**
 * Text widths in the bundled font, read from its own TrueType tables (cmap format 4 and hmtx), so labels
 * are placed by the widths resvg will draw, not by a guess. Kerning is ignored (a pixel or two a word).
 */
import { readFileSync } from 'node:fs';
import { FONT_FILES } from './fonts.js';

/** Advance widths of one font, in em. */
class FontMetrics {
  readonly #advance = new Map<number, number>();
  readonly #fallback: number;

  constructor(file: string) {
    const font = readFileSync(file);
    const tables = tableOffsets(font, file);
    const unitsPerEm = font.readUInt16BE(need(tables, 'head', file) + 18);
    const metricCount = font.readUInt16BE(need(tables, 'hhea', file) + 34);
    const hmtx = need(tables, 'hmtx', file);
    const advanceOf = (glyph: number): number => font.readUInt16BE(hmtx + 4 * Math.min(glyph, metricCount - 1)) / unitsPerEm;
    for (const [code, glyph] of characterGlyphs(font, need(tables, 'cmap', file), file)) this.#advance.set(code, advanceOf(glyph));
    this.#fallback = advanceOf(0);
  }

  width(text: string): number {
    let em = 0;
    for (const char of text) em += this.#advance.get(char.codePointAt(0) ?? 0) ?? this.#fallback;
    return em;
  }
}

const [REGULAR_FILE = '', BOLD_FILE = ''] = FONT_FILES;
let regular: FontMetrics | null = null;
let bold: FontMetrics | null = null;

/** How wide `text` is drawn at `fontSize` px in the bundled font (bold when `isBold`). */
export function textWidth(text: string, fontSize: number, isBold = false): number {
  if (isBold) return (bold ??= new FontMetrics(BOLD_FILE)).width(text) * fontSize;
  return (regular ??= new FontMetrics(REGULAR_FILE)).width(text) * fontSize;
}

function tableOffsets(font: Buffer, file: string): Map<string, number> {
  const count = font.readUInt16BE(4);
  const tables = new Map<string, number>();
  for (let i = 0; i < count; i++) {
    const record = 12 + 16 * i;
    tables.set(font.toString('latin1', record, record + 4), font.readUInt32BE(record + 8));
  }
  if (tables.size === 0) throw new Error(`render: ${file} is not a TrueType font`);
  return tables;
}

function need(tables: Map<string, number>, tag: string, file: string): number {
  const offset = tables.get(tag);
  if (offset === undefined) throw new Error(`render: ${file} has no "${tag}" table`);
  return offset;
}

// Every BMP character of the Unicode (3,1) format-4 subtable, with its glyph.
function characterGlyphs(font: Buffer, cmap: number, file: string): Array<[number, number]> {
  const subtables = font.readUInt16BE(cmap + 2);
  let table = -1;
  for (let i = 0; i < subtables; i++) {
    const record = cmap + 4 + 8 * i;
    const platform = font.readUInt16BE(record);
    const encoding = font.readUInt16BE(record + 2);
    const offset = cmap + font.readUInt32BE(record + 4);
    if (((platform === 3 && encoding === 1) || platform === 0) && font.readUInt16BE(offset) === 4) table = offset;
  }
  if (table < 0) throw new Error(`render: ${file} has no Unicode cmap of format 4`);
  const segments = font.readUInt16BE(table + 6) / 2;
  const ends = table + 14;
  const starts = ends + 2 * segments + 2;
  const deltas = starts + 2 * segments;
  const rangeOffsets = deltas + 2 * segments;
  const glyphs: Array<[number, number]> = [];
  for (let s = 0; s < segments; s++) {
    const start = font.readUInt16BE(starts + 2 * s);
    const end = font.readUInt16BE(ends + 2 * s);
    const delta = font.readInt16BE(deltas + 2 * s);
    const rangeOffset = font.readUInt16BE(rangeOffsets + 2 * s);
    for (let code = start; code <= end && code !== 0xffff; code++) {
      let glyph: number;
      if (rangeOffset === 0) glyph = (code + delta) & 0xffff;
      else {
        const raw = font.readUInt16BE(rangeOffsets + 2 * s + rangeOffset + 2 * (code - start));
        glyph = raw === 0 ? 0 : (raw + delta) & 0xffff;
      }
      if (glyph !== 0) glyphs.push([code, glyph]);
    }
  }
  return glyphs;
}
