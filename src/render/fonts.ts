/**
 * The font every picture is drawn in: DejaVu Sans, shipped by the `dejavu-fonts-ttf` dependency, so a fresh
 * machine with no fonts installed renders the same pixels. System fonts are never consulted.
 */
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);

/** The family name the SVGs (and Vega's text) ask for; the files below define it. */
export const FONT_FAMILY = 'DejaVu Sans';

/** The TrueType files resvg loads: regular and bold. */
export const FONT_FILES: readonly string[] = Object.freeze([
  require.resolve('dejavu-fonts-ttf/ttf/DejaVuSans.ttf'),
  require.resolve('dejavu-fonts-ttf/ttf/DejaVuSans-Bold.ttf'),
]);
