import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { familyName, foldText, nameParts, personKey, preferredSpelling } from '../../src/corpus/names.js';

describe('personKey', () => {
  it('makes accented and transliterated spellings one person', () => {
    expect(personKey('Matthäus Kleindessner')).toBe(personKey('Matthaeus Kleindessner'));
    expect(personKey('Sindy Löwe')).toBe(personKey('Sindy Loewe'));
    expect(personKey('Sindy Löwe')).toBe(personKey('Sindy Lowe'));
    expect(personKey('Sébastien Lachapelle')).toBe(personKey('Sebastien Lachapelle'));
    expect(personKey('  FRANCESCO   locatello ')).toBe(personKey('Francesco Locatello'));
  });

  it('keeps different people apart', () => {
    expect(personKey('Dingling Yao')).not.toBe(personKey('Jian Yao'));
    expect(personKey('Francesco Montagna')).not.toBe(personKey('Francesco Locatello'));
  });

  it('is idempotent for any text', () => {
    fc.assert(fc.property(fc.string(), (s) => personKey(personKey(s)) === personKey(s)));
  });
});

describe('foldText', () => {
  it('leaves only lower-case letters, digits and single spaces', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary' }), (s) => {
        const folded = foldText(s);
        return !/[A-Z]/.test(folded) && !/\s{2,}/.test(folded) && folded === folded.trim();
      }),
    );
  });

  it('drops punctuation and markdown', () => {
    expect(foldText('TC-Bench: **(a+)+$**')).toBe('tc bench a');
  });
});

describe('name helpers', () => {
  it('splits a name into folded parts', () => {
    expect(nameParts('Matthäus Kleindessner')).toEqual(['matthaus', 'kleindessner']);
  });

  it('takes the last word as the family name', () => {
    expect(familyName('Philipp M. Faller')).toBe('Faller');
    expect(familyName('Locatello')).toBe('Locatello');
  });

  it('prefers the accented spelling of a name', () => {
    expect(preferredSpelling(['Matthaeus Kleindessner', 'Matthäus Kleindessner'])).toBe('Matthäus Kleindessner');
    expect(preferredSpelling(['Yi Zhu', 'Yi  Zhu'])).toBe('Yi Zhu');
  });
});
