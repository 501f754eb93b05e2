/**
 * The pictures' colours. Each picture paints its own opaque light background, so it reads the same on
 * Discord's dark and light themes (a transparent one would put dark text on a dark chat).
 */

/** The picture's background. */
export const BACKGROUND = '#ffffff';
/** Titles, labels. */
export const TEXT = '#1f2328';
/** Secondary text: captions, the corpus date, axis ticks. */
export const MUTED_TEXT = '#57606a';
/** Grid lines and quiet edges. */
export const GRID = '#d0d7de';
/** The highlight of `/coauthor … with:`. */
export const ACCENT = '#d1242f';

/**
 * Category colours in legend order: Tableau 10, distinguishable for the common colour-vision deficiencies
 * and dark enough against white. Past ten, colours repeat (the legend still names every category).
 */
export const PALETTE: readonly string[] = ['#4e79a7', '#f28e2b', '#59a14f', '#e15759', '#76b7b2', '#edc948', '#b07aa1', '#ff9da7', '#9c755f', '#bab0ac'];

/** The colour of the `index`-th category. */
export function paletteColour(index: number): string {
  return PALETTE[index % PALETTE.length] ?? PALETTE[0] ?? '#4e79a7';
}
