import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { paperId } from '../../src/corpus/ids.js';
import { foldGerman, foldIdentity, foldText, hasUmlaut, nameKeys, nameParts, personKey, preferredSpelling } from '../../src/corpus/names.js';

// Two spellings are one person when they share a key.
const samePerson = (a: string, b: string): boolean => nameKeys(a).some((key) => nameKeys(b).includes(key));

describe('nameKeys', () => {
  it('gives a spelling with an umlaut its accent-dropped and its transliterated key', () => {
    expect(nameKeys('Matthäus Kleindessner')).toEqual(['matthaus kleindessner', 'matthaeus kleindessner']);
    expect(nameKeys('Sindy Löwe')).toEqual(['sindy lowe', 'sindy loewe']);
    expect(nameKeys('Jürgen Müßig')).toEqual(['jurgen mussig', 'juergen muessig']);
  });

  it('gives any other spelling one key, its accents dropped', () => {
    expect(nameKeys('Matthaeus Kleindessner')).toEqual(['matthaeus kleindessner']);
    expect(nameKeys('Sébastien Lachapelle')).toEqual(['sebastien lachapelle']);
    expect(nameKeys('Noël Strauß')).toEqual(['noel strauss']);
    expect(nameKeys('  FRANCESCO   locatello ')).toEqual(['francesco locatello']);
    expect(nameKeys(' · ')).toEqual([]);
  });

  it('makes accented and transliterated spellings one person', () => {
    expect(samePerson('Matthäus Kleindessner', 'Matthaeus Kleindessner')).toBe(true);
    expect(samePerson('Sindy Löwe', 'Sindy Loewe')).toBe(true);
    expect(samePerson('Sindy Löwe', 'Sindy Lowe')).toBe(true);
    expect(samePerson('Sébastien Lachapelle', 'Sebastien Lachapelle')).toBe(true);
  });

  it('keeps apart names that differ by a letter "e" where no spelling has an umlaut', () => {
    expect(samePerson('Michael Novak', 'Michal Novak')).toBe(false);
    expect(samePerson('Michael Lohaus', 'Michal Lohaus')).toBe(false);
    expect(samePerson('Sindy Loewe', 'Sindy Lowe')).toBe(false);
    expect(samePerson('Dingling Yao', 'Jian Yao')).toBe(false);
  });

  it('reads a decomposed umlaut as the composed one', () => {
    expect(nameKeys('Lo\u0308we')).toEqual(nameKeys('Löwe'));
    expect(hasUmlaut('Lo\u0308we')).toBe(true);
    expect(hasUmlaut('Noël')).toBe(false);
  });

  it('always includes personKey, which is idempotent', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary' }), (s) => {
        const key = personKey(s);
        return personKey(key) === key && (key === '' || nameKeys(s)[0] === key);
      }),
    );
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

  it('is idempotent, and so are the German and identity folds', () => {
    fc.assert(
      fc.property(fc.oneof(fc.string({ unit: 'binary' }), fc.string({ unit: 'grapheme' })), (s) => {
        expect(foldText(foldText(s))).toBe(foldText(s));
        expect(foldGerman(foldGerman(s))).toBe(foldGerman(s));
        expect(foldIdentity(foldIdentity(s))).toBe(foldIdentity(s));
      }),
    );
  });

  it('drops accents but keeps "ae", "oe" and "ue" in ordinary words', () => {
    expect(foldText('TC-Bench: **(a+)+$**')).toBe('tc bench a');
    expect(foldText('Autoencoders, a Tradeoff: Löwe QUEUE')).toBe('autoencoders a tradeoff lowe queue');
    expect(foldGerman('Löwe Straße Noël')).toBe('loewe strasse noel');
  });

  it('keeps paper ids as they were (ids fold "oe" to "o")', () => {
    expect(foldIdentity('Toward Identifiable Sparse Autoencoders')).toBe('toward identifiable sparse autoncoders');
    expect(paperId('Toward Identifiable Sparse Autoencoders')).toBe('1ry50gg7lw');
    expect(paperId('The Rate-Distortion-Polysemanticity Tradeoff in SAEs')).toBe('0utf0ijpfo');
  });
});

describe('name helpers', () => {
  it('splits a name into folded parts under every key', () => {
    expect(nameParts('Matthäus Kleindessner')).toEqual(['matthaus', 'kleindessner', 'matthaeus']);
    expect(nameParts('Michael Novak')).toEqual(['michael', 'novak']);
  });

  it('prefers the accented spelling of a name', () => {
    expect(preferredSpelling(['Matthaeus Kleindessner', 'Matthäus Kleindessner'])).toBe('Matthäus Kleindessner');
    expect(preferredSpelling(['Yi Zhu', 'Yi  Zhu'])).toBe('Yi Zhu');
  });
});
