import { describe, expect, it } from 'vitest';
import { texFor } from '../../src/cite/tex.js';
import { latexToPlain } from '../../src/corpus/latex.js';
import { TEX_ACCENTS, TEX_LETTERS } from '../../src/corpus/tex-symbols.js';

describe('TeX names, one table for reading and writing', () => {
  it('reads back every letter BibTeX writes', () => {
    for (const letter of Object.values(TEX_LETTERS)) expect(latexToPlain(texFor(letter) ?? ''), letter).toBe(letter);
  });

  it('reads back every accent BibTeX writes, on a plain letter and on i', () => {
    for (const mark of Object.values(TEX_ACCENTS)) {
      for (const base of ['o', 'i']) {
        const accented = `${base}${mark}`.normalize('NFC');
        const written = texFor(`${base}${mark}`);
        expect(written, `${base}+U+${mark.codePointAt(0)?.toString(16)}`).not.toBeNull();
        // A dotless i under an accent above is how TeX writes an accented i; reading gives ı + mark, i.e. the same look.
        expect(latexToPlain(written ?? '').replace('ı', 'i').normalize('NFC'), written ?? '').toBe(accented);
      }
    }
  });
});
