/**
 * The bundled font read from its own TrueType tables (cmap format 4, hmtx, loca, glyf): text widths, so labels are
 * placed by the widths drawn rather than a guess, and text as outline paths (see `textPath`). Kerning is ignored
 * (a pixel or two a word), the same way for widths and outlines.
 */
import { readFileSync } from 'node:fs';
import { FONT_FILES } from './fonts.js';

/** A point of a glyph's outline in font units; `on` false for a quadratic control point. */
interface OutlinePoint {
  x: number;
  y: number;
  on: boolean;
}

/** One TrueType font: glyphs by character, advances and outlines. */
class FontFile {
  readonly unitsPerEm: number;
  readonly #font: Buffer;
  readonly #file: string;
  readonly #glyphOf = new Map<number, number>();
  readonly #metricCount: number;
  readonly #hmtx: number;
  readonly #glyf: number;
  readonly #loca: number;
  readonly #longOffsets: boolean;
  readonly #outlines = new Map<number, OutlinePoint[][]>();

  constructor(file: string) {
    const font = readFileSync(file);
    const tables = tableOffsets(font, file);
    const head = need(tables, 'head', file);
    this.#font = font;
    this.#file = file;
    this.unitsPerEm = font.readUInt16BE(head + 18);
    this.#longOffsets = font.readInt16BE(head + 50) === 1;
    this.#metricCount = font.readUInt16BE(need(tables, 'hhea', file) + 34);
    this.#hmtx = need(tables, 'hmtx', file);
    this.#glyf = need(tables, 'glyf', file);
    this.#loca = need(tables, 'loca', file);
    for (const [code, glyph] of characterGlyphs(font, need(tables, 'cmap', file), file)) this.#glyphOf.set(code, glyph);
  }

  /** The glyph of a character; 0 (the font's "missing" box) when it has none. */
  glyph(char: string): number {
    return this.#glyphOf.get(char.codePointAt(0) ?? 0) ?? 0;
  }

  /** A glyph's advance, in font units. */
  advance(glyph: number): number {
    return this.#font.readUInt16BE(this.#hmtx + 4 * Math.min(glyph, this.#metricCount - 1));
  }

  /** The width of `text` in em. */
  width(text: string): number {
    let units = 0;
    for (const char of text) units += this.advance(this.glyph(char));
    return units / this.unitsPerEm;
  }

  /** A glyph's contours in font units (composite glyphs resolved), cached. */
  outline(glyph: number, depth = 0): OutlinePoint[][] {
    const known = this.#outlines.get(glyph);
    if (known) return known;
    const contours = this.#readOutline(glyph, depth);
    this.#outlines.set(glyph, contours);
    return contours;
  }

  #readOutline(glyph: number, depth: number): OutlinePoint[][] {
    const font = this.#font;
    const offsetAt = (g: number): number => (this.#longOffsets ? font.readUInt32BE(this.#loca + 4 * g) : 2 * font.readUInt16BE(this.#loca + 2 * g));
    const start = this.#glyf + offsetAt(glyph);
    if (offsetAt(glyph + 1) <= offsetAt(glyph)) return [];
    const contourCount = font.readInt16BE(start);
    if (contourCount >= 0) return simpleGlyph(font, start + 10, contourCount);
    if (depth > 8) throw new Error(`render: ${this.#file}: glyph ${glyph} nests components too deep`);
    const contours: OutlinePoint[][] = [];
    let at = start + 10;
    for (let more = true; more; ) {
      const flags = font.readUInt16BE(at);
      const component = font.readUInt16BE(at + 2);
      at += 4;
      let dx = 0;
      let dy = 0;
      if (flags & 0x1) {
        dx = flags & 0x2 ? font.readInt16BE(at) : 0;
        dy = flags & 0x2 ? font.readInt16BE(at + 2) : 0;
        at += 4;
      } else {
        dx = flags & 0x2 ? font.readInt8(at) : 0;
        dy = flags & 0x2 ? font.readInt8(at + 1) : 0;
        at += 2;
      }
      let [a, b, c, d] = [1, 0, 0, 1];
      if (flags & 0x8) {
        a = d = font.readInt16BE(at) / 16_384;
        at += 2;
      } else if (flags & 0x40) {
        a = font.readInt16BE(at) / 16_384;
        d = font.readInt16BE(at + 2) / 16_384;
        at += 4;
      } else if (flags & 0x80) {
        a = font.readInt16BE(at) / 16_384;
        b = font.readInt16BE(at + 2) / 16_384;
        c = font.readInt16BE(at + 4) / 16_384;
        d = font.readInt16BE(at + 6) / 16_384;
        at += 8;
      }
      for (const contour of this.outline(component, depth + 1)) {
        contours.push(contour.map((p) => ({ x: a * p.x + c * p.y + dx, y: b * p.x + d * p.y + dy, on: p.on })));
      }
      more = (flags & 0x20) !== 0;
    }
    return contours;
  }
}

const [REGULAR_FILE = '', BOLD_FILE = ''] = FONT_FILES;
let regular: FontFile | null = null;
let bold: FontFile | null = null;

function fontFor(isBold: boolean): FontFile {
  return isBold ? (bold ??= new FontFile(BOLD_FILE)) : (regular ??= new FontFile(REGULAR_FILE));
}

/** How wide `text` is drawn at `fontSize` px in the bundled font (bold when `isBold`). */
export function textWidth(text: string, fontSize: number, isBold = false): number {
  return fontFor(isBold).width(text) * fontSize;
}

/**
 * `text` as an SVG path (`d`), its baseline starting at (0, 0), `fontSize` px, in the bundled font: glyph outlines
 * placed by their advances.
 */
export function textPath(text: string, fontSize: number, isBold = false): string {
  const key = `${isBold ? 'b' : 'r'}${fontSize}\u0000${text}`;
  const known = pathCache.get(key);
  if (known !== undefined) return known;
  const path = buildTextPath(text, fontSize, isBold);
  // Labels repeat from picture to picture (years, ticks, names); past the bound the cache starts again.
  if (pathCache.size >= PATH_CACHE_ENTRIES) pathCache.clear();
  pathCache.set(key, path);
  return path;
}

/** Text paths kept (a few hundred bytes each). */
const PATH_CACHE_ENTRIES = 5_000;
const pathCache = new Map<string, string>();

function buildTextPath(text: string, fontSize: number, isBold: boolean): string {
  const font = fontFor(isBold);
  const scale = fontSize / font.unitsPerEm;
  const parts: string[] = [];
  let pen = 0;
  for (const char of text) {
    const glyph = font.glyph(char);
    for (const contour of font.outline(glyph)) parts.push(contourPath(contour, pen, scale));
    pen += font.advance(glyph);
  }
  return parts.join('');
}

// One closed contour as path commands: TrueType's quadratic curves, with the on-curve points implied between two
// control points made explicit. Font units go right and up; SVG's go right and down.
function contourPath(points: readonly OutlinePoint[], pen: number, scale: number): string {
  const count = points.length;
  if (count === 0) return '';
  const x = (p: OutlinePoint): string => round((pen + p.x) * scale);
  const y = (p: OutlinePoint): string => round(-p.y * scale);
  const mid = (p: OutlinePoint, q: OutlinePoint): OutlinePoint => ({ x: (p.x + q.x) / 2, y: (p.y + q.y) / 2, on: true });
  const firstOn = points.findIndex((p) => p.on);
  // Walk from an on-curve point; a contour of control points only starts midway between its last and first.
  const walk = firstOn >= 0 ? [...points.slice(firstOn + 1), ...points.slice(0, firstOn)] : points;
  const start = firstOn >= 0 ? points[firstOn]! : mid(points[count - 1]!, points[0]!);
  let d = `M${x(start)} ${y(start)}`;
  let control: OutlinePoint | null = null;
  for (const point of walk) {
    if (point.on) {
      d += control ? `Q${x(control)} ${y(control)} ${x(point)} ${y(point)}` : `L${x(point)} ${y(point)}`;
      control = null;
    } else {
      if (control) {
        const implied = mid(control, point);
        d += `Q${x(control)} ${y(control)} ${x(implied)} ${y(implied)}`;
      }
      control = point;
    }
  }
  if (control) d += `Q${x(control)} ${y(control)} ${x(start)} ${y(start)}`;
  return `${d}Z`;
}

function simpleGlyph(font: Buffer, at: number, contourCount: number): OutlinePoint[][] {
  const ends: number[] = [];
  for (let i = 0; i < contourCount; i++) ends.push(font.readUInt16BE(at + 2 * i));
  const pointCount = contourCount === 0 ? 0 : (ends[contourCount - 1] ?? -1) + 1;
  let p = at + 2 * contourCount;
  p += 2 + font.readUInt16BE(p);
  const flags: number[] = [];
  while (flags.length < pointCount) {
    const flag = font.readUInt8(p++);
    flags.push(flag);
    if (flag & 0x8) {
      const repeat = font.readUInt8(p++);
      for (let r = 0; r < repeat; r++) flags.push(flag);
    }
  }
  const read = (short: number, same: number): number[] => {
    const values: number[] = [];
    let value = 0;
    for (const flag of flags.slice(0, pointCount)) {
      if (flag & short) {
        const delta = font.readUInt8(p++);
        value += flag & same ? delta : -delta;
      } else if (!(flag & same)) {
        value += font.readInt16BE(p);
        p += 2;
      }
      values.push(value);
    }
    return values;
  };
  const xs = read(0x2, 0x10);
  const ys = read(0x4, 0x20);
  const contours: OutlinePoint[][] = [];
  let first = 0;
  for (const end of ends) {
    const contour: OutlinePoint[] = [];
    for (let i = first; i <= end; i++) contour.push({ x: xs[i] ?? 0, y: ys[i] ?? 0, on: ((flags[i] ?? 0) & 0x1) !== 0 });
    contours.push(contour);
    first = end + 1;
  }
  return contours;
}

function round(value: number): string {
  return (Math.round(value * 100) / 100).toString();
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
