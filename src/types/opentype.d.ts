/** The part of opentype.js 2.0 that `src/render/font.ts` uses (the package ships no types). */
declare module 'opentype.js' {
  namespace opentype {
    /** One drawing command of a glyph's outline, in font units (y up). */
    type PathCommand =
      | { type: 'M'; x: number; y: number }
      | { type: 'L'; x: number; y: number }
      | { type: 'Q'; x1: number; y1: number; x: number; y: number }
      | { type: 'C'; x1: number; y1: number; x2: number; y2: number; x: number; y: number }
      | { type: 'Z' };

    interface Glyph {
      index: number;
      advanceWidth?: number;
      path: { commands: PathCommand[] };
    }

    /** The GPOS lookups that kern a script (opaque here). */
    type KerningLookups = unknown;

    interface Font {
      unitsPerEm: number;
      charToGlyph(char: string): Glyph;
      position: {
        getKerningTables(script: string, language?: string): KerningLookups;
        getKerningValue(lookups: KerningLookups, leftIndex: number, rightIndex: number): number;
      };
    }
  }

  const opentype: {
    /** Reads a font file; `lowMemory` loads each glyph when first asked for. */
    parse(buffer: ArrayBuffer | Uint8Array, options?: { lowMemory?: boolean }): opentype.Font;
  };
  export default opentype;
}
