/**
 * People's names: shown as printed, matched case- and accent-insensitively under
 * both common foldings (accents dropped, ö→o; German transliteration, ö→oe).
 */

// Letters that carry no combining accent to drop, written out as German and Nordic writers do.
const TRANSLITERATION: Record<string, string> = {
  ß: 'ss', æ: 'ae', œ: 'oe', ø: 'o', ł: 'l', đ: 'd', ð: 'd', þ: 'th', ı: 'i',
};

/**
 * Folds text for matching: lower case, accents dropped, and German transliteration's digraphs
 * collapsed, so "Löwe", "Loewe" and "Lowe" all fold to "lowe" and "Matthäus" and "Matthaeus" to
 * "matthaus". Anything that is not a letter or digit becomes a single space. Idempotent.
 */
export function foldText(text: string): string {
  return (
    text
      .normalize('NFKD')
      .replace(/\p{M}+/gu, '')
      // Lower-case after decomposing: compatibility forms can decompose to capitals (ⱽ → V).
      .toLowerCase()
      .replace(/[ßæœøłđðþı]/g, (ch) => TRANSLITERATION[ch] ?? ch)
      // ä was written "ae" by some and "a" by others: both become "a" (likewise ö, ü).
      .replace(/([aou])e+/g, '$1')
      .replace(/[^\p{L}\p{N}]+/gu, ' ')
      .trim()
  );
}

/** The normalized person key: one per person however the name is spelled (`matthaus kleindessner`). */
export function personKey(name: string): string {
  return foldText(name).replace(/\s+/g, ' ');
}

/** The parts of a name as folded words, for prefix matching on any part ("kleind" → Kleindessner). */
export function nameParts(name: string): string[] {
  return personKey(name).split(' ').filter(Boolean);
}

/** A person's family name as printed: the last word of the name. */
export function familyName(name: string): string {
  const words = name.trim().split(/\s+/);
  return words[words.length - 1] ?? name;
}

/** Of several printed spellings of one person, the one to show: the one with accents (more faithful), else the first. */
export function preferredSpelling(spellings: readonly string[]): string {
  const accented = spellings.find((s) => /[^\u0000-\u007f]/.test(s));
  return accented ?? spellings[0] ?? '';
}
