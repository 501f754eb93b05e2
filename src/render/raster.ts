/** SVG text → PNG bytes with resvg, off the main thread, in the bundled font only. */
import { renderAsync } from '@resvg/resvg-js';
import { FONT_FAMILY, FONT_FILES } from './font.js';

/** A rendered picture. */
export interface Png {
  data: Uint8Array;
  width: number;
  height: number;
}

/**
 * Rasterises `svg` at its own size. `renderAsync` runs on libuv's thread pool, so the event loop keeps
 * answering other interactions meanwhile.
 */
export async function svgToPng(svg: string): Promise<Png> {
  const image = await renderAsync(svg, {
    font: { fontFiles: [...FONT_FILES], loadSystemFonts: false, defaultFontFamily: FONT_FAMILY, sansSerifFamily: FONT_FAMILY },
  });
  return { data: new Uint8Array(image.asPng()), width: image.width, height: image.height };
}
