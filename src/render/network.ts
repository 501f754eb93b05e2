/** The /coauthor picture: the person in the centre, coauthors sized by papers shared, laid out by d3-force (seeded: same input, same picture). */
import { forceCollide, forceLink, forceManyBody, forceRadial, forceSimulation, type SimulationLinkDatum, type SimulationNodeDatum } from 'd3-force';
import { FONT_FAMILY, outlineText, svgToPng, textWidth, type Png } from './font.js';
import { ACCENT, BACKGROUND, GRID, MUTED_TEXT, TEXT, paletteColour } from './theme.js';

/** One person in the picture. */
export interface NetworkNode {
  id: string;
  label: string;
  /** Papers shared with the centre (sizes the node). */
  weight: number;
  /** Ringed in the accent colour (the people on the pair's shared papers, for `with:`). */
  highlighted?: boolean;
  /** `pair`: one of the two people of `with:`, filled in the accent colour and labelled in bold. */
  emphasis?: 'pair';
}

/** Two people who wrote `weight` papers together. */
export interface NetworkEdge {
  source: string;
  target: string;
  weight: number;
  highlighted?: boolean;
}

/** What the picture shows. Plain data: the caller picks the people, the picture places and draws them. */
export interface NetworkInput {
  title: string;
  subtitle: string;
  /** Lines under the network (at most two drawn), e.g. how many coauthors are left out. */
  caption: readonly string[];
  /** Written in the top-right corner, e.g. "Corpus of 2026-12-04". */
  corner: string;
  centre: NetworkNode;
  coauthors: readonly NetworkNode[];
  /** Edges between any two of the centre and the coauthors; edges naming anyone else are ignored. */
  edges: readonly NetworkEdge[];
}

/** A node where the layout put it. */
interface PlacedNode extends NetworkNode {
  x: number;
  y: number;
  radius: number;
}

const NETWORK_WIDTH = 1_100;
const NETWORK_HEIGHT = 760;

const HEADER = 92;
const FOOTER = 62;
const MARGIN = 24;
const LABEL_SIZE = 14;
const CENTRE_LABEL_SIZE = 17;
const CENTRE_FILL = '#24292f';
const MIN_RADIUS = 6;
const MAX_RADIUS = 22;
const CENTRE_RADIUS = 28;
const TICKS = 300;
/** Bounds of the layout's scale into the picture (the simulation's units are about pixels). */
const MIN_SCALE = 0.3;
const MAX_SCALE = 1.6;

/** Renders the network to a PNG. */
export async function renderNetwork(input: NetworkInput): Promise<Png> {
  return svgToPng(outlineText(networkSvg(input)));
}

/** The network as SVG text. */
export function networkSvg(input: NetworkInput): string {
  const ids = new Set([input.centre, ...input.coauthors].map((node) => node.id));
  const edges = input.edges.filter((e) => e.source !== e.target && ids.has(e.source) && ids.has(e.target));
  const nodes = layoutNetwork(input, edges);
  const byId = new Map(nodes.map((n) => [n.id, n]));
  const maxEdge = Math.max(1, ...edges.map((e) => e.weight));
  const centre = nodes[0];
  const out: string[] = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${NETWORK_WIDTH}" height="${NETWORK_HEIGHT}" viewBox="0 0 ${NETWORK_WIDTH} ${NETWORK_HEIGHT}" font-family="${FONT_FAMILY}">`,
    `<rect width="100%" height="100%" fill="${BACKGROUND}"/>`,
    text(MARGIN, 40, input.title, { size: 24, weight: 'bold', fill: TEXT }),
    text(MARGIN, 66, input.subtitle, { size: 16, fill: MUTED_TEXT }),
    text(NETWORK_WIDTH - MARGIN, 66, input.corner, { size: 15, fill: MUTED_TEXT, anchor: 'end' }),
  ];
  // Quiet edges first, highlighted ones on top of them.
  const ordered = [...edges].sort((a, b) => Number(a.highlighted ?? false) - Number(b.highlighted ?? false));
  for (const edge of ordered) {
    const a = byId.get(edge.source)!;
    const b = byId.get(edge.target)!;
    const width = 1 + 5 * Math.sqrt(edge.weight / maxEdge);
    const colour = edge.highlighted ? ACCENT : a === centre || b === centre ? '#8c959f' : GRID;
    const opacity = edge.highlighted ? 0.9 : 0.75;
    out.push(`<line x1="${n(a.x)}" y1="${n(a.y)}" x2="${n(b.x)}" y2="${n(b.y)}" stroke="${colour}" stroke-width="${n(width)}" stroke-opacity="${opacity}" stroke-linecap="round"/>`);
  }
  nodes.forEach((node, i) => {
    const fill = node.emphasis === 'pair' ? ACCENT : i === 0 ? CENTRE_FILL : paletteColour(0);
    const ring = node.highlighted && node.emphasis !== 'pair' ? ACCENT : BACKGROUND;
    const ringWidth = ring === ACCENT ? 4 : 2;
    out.push(`<circle cx="${n(node.x)}" cy="${n(node.y)}" r="${n(node.radius)}" fill="${fill}" stroke="${ring}" stroke-width="${ringWidth}"/>`);
  });
  out.push(...placeLabels(nodes));
  const captions = input.caption.slice(0, 2);
  captions.forEach((line, i) => out.push(text(MARGIN, NETWORK_HEIGHT - 16 - 21 * (captions.length - 1 - i), line, { size: 15, fill: MUTED_TEXT })));
  out.push('</svg>');
  return out.join('\n');
}

/** Places the centre in the middle and the coauthors around it; deterministic. The centre is first. */
function layoutNetwork(input: NetworkInput, edges: readonly NetworkEdge[]): PlacedNode[] {
  const maxWeight = Math.max(1, ...input.coauthors.map((c) => c.weight));
  type SimNode = SimulationNodeDatum & PlacedNode;
  const nodes: SimNode[] = [
    { ...input.centre, radius: CENTRE_RADIUS, x: 0, y: 0, fx: 0, fy: 0 },
    // Start on a circle, most shared first, so the layout never depends on d3's own initial placement.
    ...input.coauthors.map((c, i, all) => {
      const angle = (2 * Math.PI * i) / all.length;
      const radius = MIN_RADIUS + (MAX_RADIUS - MIN_RADIUS) * Math.sqrt(c.weight / maxWeight);
      return { ...c, radius, x: 200 * Math.cos(angle), y: 200 * Math.sin(angle) };
    }),
  ];
  type Link = SimulationLinkDatum<SimNode> & { weight: number };
  const links: Link[] = edges.map((e) => ({ source: e.source, target: e.target, weight: e.weight }));
  // The centre's label sits under it, the others' beside them: room for half of each keeps them clear of their neighbours.
  const labelRoom = (node: SimNode): number =>
    node.fx === 0 ? Math.max(node.radius + CENTRE_LABEL_SIZE, textWidth(node.label, CENTRE_LABEL_SIZE, 'bold') / 2 + 8) : node.radius + Math.min(120, textWidth(node.label, LABEL_SIZE) / 2);
  const simulation = forceSimulation<SimNode>(nodes)
    .force('link', forceLink<SimNode, Link>(links).id((d) => d.id).distance(120).strength((l) => 0.05 + 0.25 * Math.min(1, l.weight / maxWeight)))
    .force('charge', forceManyBody<SimNode>().strength(-200))
    .force('collide', forceCollide<SimNode>().radius(labelRoom).strength(0.9))
    // Who shares more sits nearer the centre.
    .force('radial', forceRadial<SimNode>((d) => (d.fx === 0 ? 0 : 210 + 130 * (1 - d.weight / maxWeight)), 0, 0).strength(0.8))
    .stop();
  for (let i = 0; i < TICKS; i++) simulation.tick();
  return fitToCanvas(nodes);
}

// Scales the layout into the drawing area, the centre person exactly in its middle; each node and its label bound the scale.
function fitToCanvas(nodes: PlacedNode[]): PlacedNode[] {
  const middleX = NETWORK_WIDTH / 2;
  const top = HEADER + LABEL_SIZE;
  const bottom = NETWORK_HEIGHT - FOOTER - LABEL_SIZE;
  const middleY = (top + bottom) / 2;
  const halfWidth = NETWORK_WIDTH / 2 - MARGIN;
  const halfHeight = (bottom - top) / 2;
  // Horizontal and vertical scales apart: the picture is wider than high, and so may the layout be.
  let scaleX = MAX_SCALE;
  let scaleY = MAX_SCALE;
  for (const d of nodes) {
    // A coauthor's label takes room beside its node, away from the centre (the centre's own x is 0: no bound).
    const room = d.radius + textWidth(`${d.label} (${d.weight})`, LABEL_SIZE) + 5;
    if (Math.abs(d.x) > 1) scaleX = Math.min(scaleX, Math.max(0, halfWidth - room) / Math.abs(d.x));
    if (Math.abs(d.y) > 1) scaleY = Math.min(scaleY, Math.max(0, halfHeight - d.radius) / Math.abs(d.y));
  }
  scaleX = Math.max(MIN_SCALE, Math.min(scaleX, 2 * scaleY));
  scaleY = Math.max(MIN_SCALE, Math.min(scaleY, 2 * scaleX));
  return nodes.map((d) => ({
    ...d,
    x: Math.min(NETWORK_WIDTH - MARGIN - d.radius, Math.max(MARGIN + d.radius, middleX + d.x * scaleX)),
    y: Math.min(bottom - d.radius, Math.max(top + d.radius, middleY + d.y * scaleY)),
  }));
}

type Box = Record<'left' | 'top' | 'right' | 'bottom', number>;

// The labels, biggest nodes first, each at its first spot clear of nodes and earlier labels, else where it overlaps least.
function placeLabels(nodes: readonly PlacedNode[]): string[] {
  const centre = nodes[0];
  const taken: Box[] = nodes.map((d) => ({ left: d.x - d.radius, top: d.y - d.radius, right: d.x + d.radius, bottom: d.y + d.radius }));
  const labels: string[] = [];
  const order = nodes.map((node, i) => ({ node, i })).sort((a, b) => (a.i === 0 ? -1 : b.i === 0 ? 1 : b.node.weight - a.node.weight || a.i - b.i));
  for (const { node, i } of order) {
    const isCentre = i === 0;
    const size = isCentre ? CENTRE_LABEL_SIZE : LABEL_SIZE;
    const weight = isCentre || node.emphasis === 'pair' ? 'bold' : undefined;
    const content = isCentre ? node.label : `${node.label} (${node.weight})`;
    const width = textWidth(content, size, weight);
    const gap = node.radius + 5;
    const outward = !centre || node.x >= centre.x ? 1 : -1;
    const candidates: Array<{ x: number; y: number; anchor: 'start' | 'middle' | 'end' }> = isCentre
      ? [{ x: node.x, y: node.y + gap + size, anchor: 'middle' }, { x: node.x, y: node.y - gap - 4, anchor: 'middle' }]
      : [
          { x: node.x + outward * gap, y: node.y + size * 0.35, anchor: outward > 0 ? 'start' : 'end' },
          { x: node.x - outward * gap, y: node.y + size * 0.35, anchor: outward > 0 ? 'end' : 'start' },
          { x: node.x, y: node.y - gap - 3, anchor: 'middle' },
          { x: node.x, y: node.y + gap + size, anchor: 'middle' },
        ];
    let best: { candidate: (typeof candidates)[number]; box: Box; overlap: number } | null = null;
    for (const candidate of candidates) {
      const left = candidate.anchor === 'start' ? candidate.x : candidate.anchor === 'end' ? candidate.x - width : candidate.x - width / 2;
      const box = { left, right: left + width, top: candidate.y - size, bottom: candidate.y + size * 0.3 };
      const outside = box.left < 4 || box.right > NETWORK_WIDTH - 4 ? 1e6 : 0;
      const overlap = outside + taken.reduce((sum, other) => sum + overlapArea(box, other), 0);
      if (!best || overlap < best.overlap) best = { candidate, box, overlap };
      if (overlap === 0) break;
    }
    if (!best) continue;
    taken.push(best.box);
    const { x, y, anchor } = best.candidate;
    labels.push(text(x, y, content, { size, weight, fill: node.emphasis === 'pair' ? ACCENT : TEXT, anchor, halo: true }));
  }
  return labels;
}

function overlapArea(a: Box, b: Box): number {
  const width = Math.min(a.right, b.right) - Math.max(a.left, b.left);
  const height = Math.min(a.bottom, b.bottom) - Math.max(a.top, b.top);
  return width > 0 && height > 0 ? width * height : 0;
}

interface TextStyle {
  size: number;
  fill: string;
  weight?: 'bold';
  anchor?: 'start' | 'middle' | 'end';
  /** A background-coloured outline under the letters, so a label stays readable over a line. */
  halo?: boolean;
}

function text(x: number, y: number, content: string, style: TextStyle): string {
  const attributes = [
    `x="${n(x)}"`,
    `y="${n(y)}"`,
    `font-size="${style.size}"`,
    `fill="${style.fill}"`,
    style.weight ? `font-weight="${style.weight}"` : '',
    style.anchor && style.anchor !== 'start' ? `text-anchor="${style.anchor}"` : '',
    style.halo ? `stroke="${BACKGROUND}" stroke-width="4" stroke-linejoin="round" paint-order="stroke"` : '',
  ].filter(Boolean);
  return `<text ${attributes.join(' ')}>${content.replace(/[&<>]/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;' })[c] ?? c)}</text>`;
}

// One decimal: enough for pixels, and the same text on every machine.
function n(value: number): string {
  return (Math.round(value * 10) / 10).toString();
}
