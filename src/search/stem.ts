/**
 * A light English stemmer: steps 1a–1c of Porter's algorithm (plurals, -ed, -ing, a final -y), enough to join
 * "forecasts" and "forecasting". Stems are never shown: two words are forms of each other when their stems are equal.
 */

/** The stem of a folded word of 4+ letters a–z; any other word is its own stem. */
export function stem(word: string): string {
  if (word.length <= MIN_LENGTH || !LETTERS_ONLY.test(word)) return word;
  return stepOneC(stepOneB(stepOneA(word)));
}

/** The root word forms meet at: `stem`, then -ability/-ibility, -able/-ible, -ment or -ness and a final -e off where Porter's m > 1 is left. */
export function root(word: string): string {
  const base = stem(word);
  if (base === word && (word.length <= MIN_LENGTH || !LETTERS_ONLY.test(word))) return word;
  let cut = base;
  for (const suffix of DERIVATIONAL) {
    if (!cut.endsWith(suffix)) continue;
    const rest = cut.slice(0, -suffix.length);
    if (measure(rest) > 1) cut = rest;
    break;
  }
  return cut.endsWith('e') && measure(cut.slice(0, -1)) > 1 ? cut.slice(0, -1) : cut;
}

// Plurals: -sses → -ss, -ies → -i, -s → (none), but not -ss, -us or -is.
function stepOneA(word: string): string {
  if (word.endsWith('sses') || word.endsWith('ies')) return word.slice(0, -2);
  if (word.endsWith('ss') || word.endsWith('us') || word.endsWith('is')) return word;
  return word.endsWith('s') ? word.slice(0, -1) : word;
}

// -eed → -ee when something precedes it; -ed and -ing dropped when a vowel precedes them, then tidied.
function stepOneB(word: string): string {
  if (word.endsWith('eed')) return measure(word.slice(0, -3)) > 0 ? word.slice(0, -1) : word;
  for (const suffix of ['ed', 'ing']) {
    if (!word.endsWith(suffix)) continue;
    const base = word.slice(0, -suffix.length);
    return hasVowel(base) ? tidy(base) : word;
  }
  return word;
}

// After -ed/-ing: "relat" → "relate", "hopp" → "hop", "hop" (short, consonant-vowel-consonant) → "hope".
function tidy(base: string): string {
  if (base.endsWith('at') || base.endsWith('bl') || base.endsWith('iz')) return `${base}e`;
  const last = base[base.length - 1] ?? '';
  if (base.length >= 2 && last === base[base.length - 2] && isConsonant(base, base.length - 1) && !'lsz'.includes(last)) {
    return base.slice(0, -1);
  }
  return measure(base) === 1 && endsConsonantVowelConsonant(base) ? `${base}e` : base;
}

// A final -y after a vowel somewhere before it becomes -i ("study" → "studi", like "studies").
function stepOneC(word: string): string {
  return word.endsWith('y') && hasVowel(word.slice(0, -1)) ? `${word.slice(0, -1)}i` : word;
}

// Porter's consonant: not a, e, i, o, u, and y only after a vowel (or at the start).
function isConsonant(word: string, i: number): boolean {
  const ch = word[i] ?? '';
  if ('aeiou'.includes(ch)) return false;
  if (ch !== 'y') return true;
  return i === 0 || !isConsonant(word, i - 1);
}

function hasVowel(word: string): boolean {
  for (let i = 0; i < word.length; i += 1) if (!isConsonant(word, i)) return true;
  return false;
}

// Porter's m: the number of vowel-run-then-consonant-run sequences in the word.
function measure(word: string): number {
  let count = 0;
  let previousVowel = false;
  for (let i = 0; i < word.length; i += 1) {
    const vowel = !isConsonant(word, i);
    if (previousVowel && !vowel) count += 1;
    previousVowel = vowel;
  }
  return count;
}

// Consonant, vowel, consonant at the end, the last not w, x or y ("hop", not "bow").
function endsConsonantVowelConsonant(word: string): boolean {
  const n = word.length;
  if (n < 3) return false;
  return isConsonant(word, n - 3) && !isConsonant(word, n - 2) && isConsonant(word, n - 1) && !'wxy'.includes(word[n - 1] ?? '');
}

const MIN_LENGTH = 3;
/** Derivational suffixes as `stem` leaves them (a final -y is -i), longest first. */
const DERIVATIONAL = ['abiliti', 'ibiliti', 'able', 'ible', 'ment', 'ness'];
const LETTERS_ONLY = /^[a-z]+$/;
