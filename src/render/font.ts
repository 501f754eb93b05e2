/**
 * The font every picture is drawn in (DejaVu Sans, never a system font): opentype.js gives text widths and turns SVG
 * `<text>` into outlines kerned as resvg kerns (resvg shapes each text element anew, 1–2 ms each); resvg rasterises.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { renderAsync } from '@resvg/resvg-js';
import opentype from 'opentype.js';

const require = createRequire(import.meta.url);

/** The family name the SVGs (and Vega's text) ask for. */
export const FONT_FAMILY = 'DejaVu Sans';

/** The TrueType files resvg loads: regular and bold. */
export const FONT_FILES: readonly string[] = Object.freeze([
  require.resolve('dejavu-fonts-ttf/ttf/DejaVuSans.ttf'),
  require.resolve('dejavu-fonts-ttf/ttf/DejaVuSans-Bold.ttf'),
]);

/** A font weight as SVG and Vega name it: `bold` and 600 up are drawn bold, anything else regular. */
export type FontWeight = string | number | undefined;

/** A rendered picture. */
export interface Png {
  data: Uint8Array;
  width: number;
  height: number;
}

/** SVG text → PNG bytes at its own size, in the bundled font only, on libuv's thread pool (the event loop keeps answering). */
export async function svgToPng(svg: string): Promise<Png> {
  const image = await renderAsync(svg, {
    font: { fontFiles: [...FONT_FILES], loadSystemFonts: false, defaultFontFamily: FONT_FAMILY, sansSerifFamily: FONT_FAMILY },
  });
  return { data: new Uint8Array(image.asPng()), width: image.width, height: image.height };
}

/** How wide `text` is drawn at `fontSize` px and `weight` in the bundled font. */
export function textWidth(text: string, fontSize: number, weight?: FontWeight): number {
  const face = faceFor(weight);
  return layout(face, text).width * (fontSize / face.font.unitsPerEm);
}

const TEXT_ELEMENT = /<text\b([^>]*)>([^<]*)<\/text>/g;
const ATTRIBUTE = /([a-z-]+)="([^"]*)"/g;
/** Attributes carried from the text to its path as they are. */
const KEPT = ['fill', 'opacity', 'fill-opacity', 'stroke', 'stroke-width', 'stroke-linejoin', 'stroke-opacity', 'paint-order'];

/** The SVG with every text element replaced by its outline; reads the text elements Vega and `network.ts` write. */
export function outlineText(svg: string): string {
  return svg.replace(TEXT_ELEMENT, (_whole, rawAttributes: string, rawText: string) => {
    const attributes = new Map([...rawAttributes.matchAll(ATTRIBUTE)].map((m) => [m[1] ?? '', m[2] ?? '']));
    const text = decodeEntities(rawText);
    const size = Number.parseFloat(attributes.get('font-size') ?? '') || 12;
    const weight = attributes.get('font-weight');
    const width = textWidth(text, size, weight);
    const anchor = attributes.get('text-anchor');
    const shift = anchor === 'middle' ? -width / 2 : anchor === 'end' ? -width : 0;
    const x = Number.parseFloat(attributes.get('x') ?? '0') || 0;
    const y = Number.parseFloat(attributes.get('y') ?? '0') || 0;
    const transforms = [x || y ? `translate(${x},${y})` : '', attributes.get('transform') ?? '', shift ? `translate(${round(shift)},0)` : ''].filter(Boolean).join(' ');
    const kept = KEPT.filter((name) => attributes.has(name)).map((name) => ` ${name}="${attributes.get(name)}"`);
    if (!attributes.has('fill')) kept.unshift(' fill="#000"');
    return `<path${transforms ? ` transform="${transforms}"` : ''} d="${textPath(text, size, weight)}"${kept.join('')}/>`;
  });
}

// Vega escapes text content as `&amp;`, `&lt;` and `&gt;` only, and network.ts does the same.
function decodeEntities(text: string): string {
  return text.replace(/&(amp|lt|gt);/g, (_entity, name: string) => ({ amp: '&', lt: '<', gt: '>' })[name] ?? '');
}

// `text` as an SVG path (`d`), its baseline starting at (0, 0), `fontSize` px: glyph outlines placed by their advances and kerning.
function textPath(text: string, fontSize: number, weight?: FontWeight): string {
  const face = faceFor(weight);
  const key = `${face.bold ? 'b' : 'r'}${fontSize}\u0000${text}`;
  // Labels repeat from picture to picture (years, ticks, names).
  return cached(pathCache, key, PATH_CACHE_ENTRIES, () => {
    const scale = fontSize / face.font.unitsPerEm;
    const parts: string[] = [];
    for (const { glyph, pen } of layout(face, text).placed) glyphPath(glyph, pen, scale, parts);
    // One flat string: built by `+=`, the cached paths would be trees of thousands of pieces for the collector to walk.
    return parts.join('');
  });
}

// `map`'s value at `key`, computed once; past `max` entries the map starts again (untrusted names could grow it without end).
function cached<K, V>(map: Map<K, V>, key: K, max: number, compute: () => V): V {
  let value = map.get(key);
  if (value === undefined) {
    if (map.size >= max) map.clear();
    map.set(key, (value = compute()));
  }
  return value;
}

/** Text paths kept (a few hundred bytes each). */
const PATH_CACHE_ENTRIES = 5_000;
const pathCache = new Map<string, string>();

/** One loaded font file, its kerning lookups, and the pairs looked up in them (labels repeat their letters). */
interface Face {
  bold: boolean;
  font: opentype.Font;
  kerning: opentype.KerningLookups;
  /** Kerning by pair of glyph indices (left × 65,536 + right). */
  pairs: Map<number, number>;
}

const faces: Array<Face | undefined> = []; // regular, bold

function faceFor(weight: FontWeight): Face {
  const bold = weight === 'bold' || Number(weight) >= 600;
  return (faces[Number(bold)] ??= loadFace(bold));
}

function loadFace(bold: boolean): Face {
  // lowMemory reads a glyph when it is first asked for, not all 6,000 at load (80 ms instead of 300 to 800).
  const font = opentype.parse(readFileSync(FONT_FILES[Number(bold)] ?? ''), { lowMemory: true });
  return { bold, font, kerning: font.position.getKerningTables('latn'), pairs: new Map() };
}

// Glyphs and their pen positions in font units. Not `font.getAdvanceWidth`/`getPath`: their GSUB shaping throws on
// DejaVu Sans's `ccmp` lookup (opentypejs/opentype.js#861); no ligatures, then (resvg's "fi" is nearly as wide).
function layout(face: Face, text: string): { placed: Array<{ glyph: opentype.Glyph; pen: number }>; width: number } {
  const placed: Array<{ glyph: opentype.Glyph; pen: number }> = [];
  let pen = 0;
  let previous: opentype.Glyph | null = null;
  for (const char of text) {
    // opentype.js keeps each glyph it has read.
    const glyph = face.font.charToGlyph(char);
    if (previous) pen += kerning(face, previous.index, glyph.index);
    placed.push({ glyph, pen });
    pen += glyph.advanceWidth ?? 0;
    previous = glyph;
  }
  return { placed, width: pen };
}

function kerning(face: Face, left: number, right: number): number {
  return cached(face.pairs, left * 65_536 + right, LOOKUPS_KEPT, () => face.font.position.getKerningValue(face.kerning, left, right));
}

const LOOKUPS_KEPT = 50_000;

// A glyph's outline as path commands at the pen, appended to `parts` (`Path.toPathData` costs 0.1 ms a glyph). The
// lines opentype.js draws to where the pen is, or back to the start before a close, are left out (a fifth of the text).
function glyphPath(glyph: opentype.Glyph, pen: number, scale: number, parts: string[]): void {
  const x = (value: number): string => round((pen + value) * scale);
  const y = (value: number): string => round(-value * scale);
  const commands = glyph.path.commands;
  let at = { x: Number.NaN, y: Number.NaN };
  let start = at;
  commands.forEach((command, i) => {
    if (command.type === 'Z') parts.push('Z');
    else if (command.type === 'L') {
      const closing = commands[i + 1]?.type === 'Z' && command.x === start.x && command.y === start.y;
      if (!closing && (command.x !== at.x || command.y !== at.y)) parts.push(`L${x(command.x)} ${y(command.y)}`);
    } else if (command.type === 'M') parts.push(`M${x(command.x)} ${y(command.y)}`);
    else if (command.type === 'Q') parts.push(`Q${x(command.x1)} ${y(command.y1)} ${x(command.x)} ${y(command.y)}`);
    else parts.push(`C${x(command.x1)} ${y(command.y1)} ${x(command.x2)} ${y(command.y2)} ${x(command.x)} ${y(command.y)}`);
    if (command.type !== 'Z') at = { x: command.x, y: command.y };
    if (command.type === 'M') start = at;
  });
}

// A coordinate as SVG text: two decimals at most, the same on every machine.
function round(value: number): string {
  return (Math.round(value * 100) / 100).toString();
}
