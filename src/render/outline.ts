/**
 * SVG `<text>` elements → `<path>` outlines in the bundled font (`textPath`). resvg shapes each text element anew,
 * re-reading the font's layout tables every time (1–2 ms an element with DejaVu Sans, most of a picture's cost);
 * outlines it only fills. The text elements read are the ones Vega and `network.ts` write: position by `x`/`y`
 * and/or `transform`, `text-anchor`, `font-size`, `font-weight`, fill, stroke and opacity.
 */
import { round, textPath, textWidth } from './font.js';

const TEXT_ELEMENT = /<text\b([^>]*)>([^<]*)<\/text>/g;
const ATTRIBUTE = /([a-z-]+)="([^"]*)"/g;
/** Attributes carried from the text to its path as they are. */
const KEPT = ['fill', 'opacity', 'fill-opacity', 'stroke', 'stroke-width', 'stroke-linejoin', 'stroke-opacity', 'paint-order'];

/** The SVG with every text element replaced by its outline. */
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

function decodeEntities(text: string): string {
  return text.replace(/&(amp|lt|gt|quot|#39|apos|#(\d+)|#x([0-9a-f]+));/gi, (entity, name: string, decimal?: string, hex?: string) => {
    if (decimal) return String.fromCodePoint(Number(decimal));
    if (hex) return String.fromCodePoint(Number.parseInt(hex, 16));
    return { amp: '&', lt: '<', gt: '>', quot: '"', '#39': "'", apos: "'" }[name.toLowerCase()] ?? entity;
  });
}
