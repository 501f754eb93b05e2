/** The pictures' colours; an opaque light background, so a picture reads the same on Discord's dark and light themes. */
import { KNOWN_CATEGORIES, NO_CATEGORY } from '../corpus/categories.js';

export const BACKGROUND = '#ffffff';
/** Titles, labels. */
export const TEXT = '#1f2328';
/** Secondary text: captions, the corpus date, axis ticks. */
export const MUTED_TEXT = '#57606a';
/** Grid lines and quiet edges. */
export const GRID = '#d0d7de';
/** The highlight of `/coauthor … with:`. */
export const ACCENT = '#d1242f';

/** Category colours: Tableau 10, distinguishable for the common colour-vision deficiencies and dark enough against white. */
export const PALETTE: readonly string[] = ['#4e79a7', '#f28e2b', '#59a14f', '#e15759', '#76b7b2', '#edc948', '#b07aa1', '#ff9da7', '#9c755f', '#bab0ac'];

/** The `index`-th colour of the palette (past ten, they repeat; the legend still names every category). */
export function paletteColour(index: number): string {
  return PALETTE[index % PALETTE.length] ?? PALETTE[0] ?? '#4e79a7';
}

/** A category's colour by its arXiv name, the same in every chart: known ones in order, "No category" grey, others by hash. */
export function categoryColour(arxiv: string): string {
  const known = KNOWN_CATEGORIES.findIndex((category) => category.arxiv === arxiv);
  if (known >= 0) return paletteColour(known);
  if (arxiv === NO_CATEGORY.arxiv) return paletteColour(PALETTE.length - 1);
  const spare = PALETTE.length - 1 - KNOWN_CATEGORIES.length;
  let hash = 0;
  for (const char of arxiv) hash = (hash * 31 + (char.codePointAt(0) ?? 0)) >>> 0;
  return paletteColour(KNOWN_CATEGORIES.length + (hash % spare));
}
