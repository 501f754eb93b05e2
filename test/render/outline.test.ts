/**
 * Text drawn as outlines read from the font's own tables looks as resvg's own text engine draws it: resvg renders
 * the same SVG both ways, and the ink of each must match (where it falls and how much there is).
 */
import { Resvg } from '@resvg/resvg-js';
import { describe, expect, it } from 'vitest';
import { FONT_FAMILY, FONT_FILES, outlineText } from '../../src/render/font.js';
import { decodePng, type DecodedPng } from './png.js';

function draw(svg: string): DecodedPng {
  const png = new Resvg(svg, { font: { fontFiles: [...FONT_FILES], loadSystemFonts: false, defaultFontFamily: FONT_FAMILY } }).render().asPng();
  return decodePng(png);
}

// Dark pixels per column band and row band, and in all: where the ink is, coarsely, and how much.
function ink(png: DecodedPng): { total: number; columns: number[]; rows: number[] } {
  const band = 20;
  const columns = new Array<number>(Math.ceil(png.width / band)).fill(0);
  const rows = new Array<number>(Math.ceil(png.height / band)).fill(0);
  let total = 0;
  for (let y = 0; y < png.height; y++) {
    for (let x = 0; x < png.width; x++) {
      if ((png.rgba[(y * png.width + x) * 4] ?? 255) < 128) {
        total++;
        columns[Math.floor(x / band)]! += 1;
        rows[Math.floor(y / band)]! += 1;
      }
    }
  }
  return { total, columns, rows };
}

const SAMPLE = `<svg xmlns="http://www.w3.org/2000/svg" width="900" height="240"><rect width="100%" height="100%" fill="#fff"/>
<text x="20" y="40" font-size="24" font-weight="bold" fill="#000">Papers per year · whole corpus</text>
<text x="20" y="80" font-size="15" fill="#000">Matthäus Kleindessner (3) · Sébastien Lachapelle &amp; Q&lt;u&gt;é 0123456789</text>
<text x="880" y="120" font-size="15" text-anchor="end" fill="#000">Corpus of 2026-12-04</text>
<text transform="translate(450,170)" text-anchor="middle" font-size="16px" fill="#000">Computer Vision and Pattern Recognition (cs.CV)</text>
<text transform="translate(30,230) rotate(-90)" font-size="14" fill="#000">Papers</text>
</svg>`;

// Pixels whose grey differs by more than a quarter between two pictures of one size.
function differingPixels(a: DecodedPng, b: DecodedPng): number {
  let count = 0;
  for (let i = 0; i < a.rgba.length; i += 4) if (Math.abs((a.rgba[i] ?? 0) - (b.rgba[i] ?? 0)) > 64) count++;
  return count;
}

describe('text as outlines', () => {
  it('leaves no text element, and draws the ink where and as much as resvg draws the text', () => {
    const outlined = outlineText(SAMPLE);
    expect(outlined).not.toMatch(/<text/);
    expect(outlined.match(/<path /g)).toHaveLength(5);
    const reference = ink(draw(SAMPLE));
    const ours = ink(draw(outlined));
    expect(reference.total).toBeGreaterThan(3_000);
    expect(Math.abs(ours.total - reference.total) / reference.total).toBeLessThan(0.05);
    ours.columns.forEach((count, i) => expect(Math.abs(count - (reference.columns[i] ?? 0)), `column band ${i}`).toBeLessThanOrEqual(Math.max(25, 0.15 * (reference.columns[i] ?? 0))));
    ours.rows.forEach((count, i) => expect(Math.abs(count - (reference.rows[i] ?? 0)), `row band ${i}`).toBeLessThanOrEqual(Math.max(25, 0.1 * (reference.rows[i] ?? 0))));
  });

  it('matches resvg pixel for pixel, kerned pairs included', () => {
    // Outlines are placed by advances and the font's kerning pairs ("AV", "To", "Wa", "y."), as resvg places them.
    // No "fi" or "fl": resvg draws those as one ligature glyph and we do not.
    const sample = `<svg xmlns="http://www.w3.org/2000/svg" width="700" height="210"><rect width="100%" height="100%" fill="#fff"/>
<text x="20" y="40" font-size="24" fill="#000">0123456789 minimum</text>
<text x="20" y="90" font-size="15" font-weight="bold" fill="#000">(2) 2024 · 1,234 ümlaut é</text>
<text x="680" y="140" font-size="17" text-anchor="end" fill="#000">numbering 5678</text>
<text x="20" y="190" font-size="28" fill="#000">AVATAR To Wales, Ty. LTA VAWA Yo</text></svg>`;
    const reference = draw(sample);
    const ours = draw(outlineText(sample));
    expect(differingPixels(reference, ours)).toBeLessThan(0.01 * ink(reference).total);
  });
});
