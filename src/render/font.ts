/**
 * The font every picture is drawn in: DejaVu Sans, shipped by the `dejavu-fonts-ttf` dependency, so a fresh machine
 * with no fonts installed renders the same pixels (system fonts are never consulted). opentype.js reads it: text
 * widths, so labels are placed by the widths drawn rather than a guess, and text as outline paths (`textPath`),
 * both kerned by the font's own pairs as resvg kerns them.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import opentype from 'opentype.js';

const require = createRequire(import.meta.url);

/** The family name the SVGs (and Vega's text) ask for; the files below define it. */
export const FONT_FAMILY = 'DejaVu Sans';

/** The TrueType files resvg loads: regular and bold. */
export const FONT_FILES: readonly string[] = Object.freeze([
  require.resolve('dejavu-fonts-ttf/ttf/DejaVuSans.ttf'),
  require.resolve('dejavu-fonts-ttf/ttf/DejaVuSans-Bold.ttf'),
]);

/** How wide `text` is drawn at `fontSize` px in the bundled font (bold when `isBold`). */
export function textWidth(text: string, fontSize: number, isBold = false): number {
  const face = faceFor(isBold);
  return layout(face, text).width * (fontSize / face.font.unitsPerEm);
}

/**
 * `text` as an SVG path (`d`), its baseline starting at (0, 0), `fontSize` px, in the bundled font: glyph outlines
 * placed by their advances and kerning.
 */
export function textPath(text: string, fontSize: number, isBold = false): string {
  const key = `${isBold ? 'b' : 'r'}${fontSize}\u0000${text}`;
  const known = pathCache.get(key);
  if (known !== undefined) return known;
  const face = faceFor(isBold);
  const scale = fontSize / face.font.unitsPerEm;
  const parts: string[] = [];
  for (const { glyph, pen } of layout(face, text).placed) glyphPath(glyph, pen, scale, parts);
  // One flat string: built by `+=`, the cached paths would be trees of thousands of pieces for the collector to walk.
  const path = parts.join('');
  // Labels repeat from picture to picture (years, ticks, names); past the bound the cache starts again.
  if (pathCache.size >= PATH_CACHE_ENTRIES) pathCache.clear();
  pathCache.set(key, path);
  return path;
}

/** Text paths kept (a few hundred bytes each). */
const PATH_CACHE_ENTRIES = 5_000;
const pathCache = new Map<string, string>();

/** One loaded font file and its kerning lookups. */
interface Face {
  font: opentype.Font;
  kerning: opentype.KerningLookups;
}

let regular: Face | null = null;
let bold: Face | null = null;

function faceFor(isBold: boolean): Face {
  return isBold ? (bold ??= loadFace(FONT_FILES[1] ?? '')) : (regular ??= loadFace(FONT_FILES[0] ?? ''));
}

function loadFace(file: string): Face {
  // lowMemory reads a glyph when it is first asked for, not all 6,000 at load (80 ms instead of 300 to 800).
  const font = opentype.parse(readFileSync(file), { lowMemory: true });
  return { font, kerning: font.position.getKerningTables('latn') };
}

// Glyphs and their pen positions in font units. Not `font.getAdvanceWidth`/`getPath`: they shape through the GSUB
// table, and opentype.js 2.0 throws on DejaVu Sans's `ccmp` lookup (chained context, format 2; opentypejs/opentype.js
// #861). Ligatures are left out with it (resvg draws "fi" as one glyph of nearly the same width).
function layout(face: Face, text: string): { placed: Array<{ glyph: opentype.Glyph; pen: number }>; width: number } {
  const placed: Array<{ glyph: opentype.Glyph; pen: number }> = [];
  let pen = 0;
  let previous: opentype.Glyph | null = null;
  for (const char of text) {
    const glyph = face.font.charToGlyph(char);
    if (previous) pen += face.font.position.getKerningValue(face.kerning, previous.index, glyph.index);
    placed.push({ glyph, pen });
    pen += glyph.advanceWidth ?? 0;
    previous = glyph;
  }
  return { placed, width: pen };
}

// A glyph's outline as path commands, scaled and moved to the pen, appended to `parts`. Written here rather than by
// `Path.toPathData`, which costs about 0.1 ms a glyph (a picture has thousands). Font units go right and up; SVG's go
// right and down.
function glyphPath(glyph: opentype.Glyph, pen: number, scale: number, parts: string[]): void {
  const x = (value: number): string => round((pen + value) * scale);
  const y = (value: number): string => round(-value * scale);
  for (const command of glyph.path.commands) {
    if (command.type === 'Z') parts.push('Z');
    else if (command.type === 'M' || command.type === 'L') parts.push(`${command.type}${x(command.x)} ${y(command.y)}`);
    else if (command.type === 'Q') parts.push(`Q${x(command.x1)} ${y(command.y1)} ${x(command.x)} ${y(command.y)}`);
    else parts.push(`C${x(command.x1)} ${y(command.y1)} ${x(command.x2)} ${y(command.y2)} ${x(command.x)} ${y(command.y)}`);
  }
}

function round(value: number): string {
  return (Math.round(value * 100) / 100).toString();
}
