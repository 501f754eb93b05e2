/**
 * Authors' names split by @citation-js/name, guarded where it slips: a suffix is taken off first (it reads "John Smith Jr."
 * as the family name "Jr."), a particle must be a real one, and a split that loses or reorders words falls back.
 */
import { parse, type CslName } from '@citation-js/name';

/** One author, split into the parts the citation styles write. */
export interface CitedName {
  /** Every given name ("Philipp M."); empty for a one-word name. */
  given: string;
  /** A particle written with the family name ("von", "van der"); empty where there is none. */
  particle: string;
  /** The family name without particle or suffix ("Kügelgen", "De Sousa Ribeiro"). */
  family: string;
  /** "Jr.", "Sr.", "II", "III" or "IV"; empty where there is none. */
  suffix: string;
}

/** Particles accepted as such (lower case, as printed); any other lower-case word is a name. */
const PARTICLES = new Set([
  'von', 'van', 'vom', 'zu', 'zum', 'zur', 'der', 'den', 'des', 'de', 'del', 'della', 'dello', 'degli', 'di', 'da', 'das', 'do', 'dos',
  'du', 'la', 'le', 'les', 'lo', 'ten', 'ter', 'te', "d'", 'al', 'el', 'bin', 'ibn',
]);

/** A generational suffix; at the end of a name, with or without a comma before it. */
const SUFFIX_WORD = /(Jr\.?|Sr\.?|II|III|IV)/.source;
const SUFFIX = new RegExp(`(?:,\\s*|\\s+)${SUFFIX_WORD}$`);
const LEADING_SUFFIX = new RegExp(`^${SUFFIX_WORD}(?:\\s+|$)`);

/** A printed name split into given names, particle, family name and suffix. */
export function citedName(printed: string): CitedName {
  const full = printed.replace(/\s+/g, ' ').trim();
  const { rest, suffix } = withoutSuffix(full);
  const parts = rest.includes(',') ? invertedParts(rest) : (parsedParts(rest) ?? lastWordParts(rest));
  return { ...parts, suffix: suffix || parts.suffix };
}

/** Particle and family name as one ("von Kügelgen", "De Sousa Ribeiro"): what a citation sorts and shows. */
export function surname(name: CitedName): string {
  return name.particle ? `${name.particle} ${name.family}` : name.family;
}

// "John Smith Jr." → "John Smith" and "Jr."; a name that is nothing but a suffix keeps it as its name.
function withoutSuffix(name: string): { rest: string; suffix: string } {
  const match = SUFFIX.exec(name);
  if (!match || match.index === 0 || !/\S\s+\S/.test(name.slice(0, match.index))) return { rest: name, suffix: '' };
  return { rest: name.slice(0, match.index).trim(), suffix: match[1] ?? '' };
}

// "Smith, Jr., John" or "von Kügelgen, Julius": the family name (with any particle) before the comma, a suffix maybe after.
function invertedParts(name: string): CitedName {
  const [familyPart = '', ...others] = name.split(',').map((part) => part.trim());
  if (!/[\p{L}\p{N}]/u.test(familyPart)) return lastWordParts(name);
  const [first = '', ...rest] = others.filter(Boolean);
  const leading = LEADING_SUFFIX.exec(first);
  const given = [leading ? first.slice(leading[0].length).trim() : first, ...rest].filter(Boolean).join(' ');
  // Particles before the last word are the particle ("von Kügelgen"); any other word keeps the whole ("De Sousa Ribeiro").
  const split = lastWordParts(familyPart);
  const family = split.given ? { particle: '', family: familyPart } : { particle: split.particle, family: split.family };
  return { given, ...family, suffix: leading?.[1] ?? '' };
}

// The parser's split, or null where it failed, lost, added or reordered words, or took a non-particle for a particle.
function parsedParts(name: string): CitedName | null {
  let parsed: CslName;
  try {
    parsed = parse(name);
  } catch {
    // It throws on some punctuation ("{" alone); the last-word split takes any text.
    return null;
  }
  if (parsed.literal !== undefined || !parsed.family) return null;
  const particle = [parsed['dropping-particle'], parsed['non-dropping-particle']].filter(Boolean).join(' ');
  if (particle && !particle.split(' ').every((word) => PARTICLES.has(word))) return null;
  const parts: CitedName = { given: parsed.given ?? '', particle, family: parsed.family, suffix: parsed.suffix ?? '' };
  const rebuilt = [parts.given, parts.particle, parts.family, parts.suffix].filter(Boolean).join(' ');
  return rebuilt === name ? parts : null;
}

// The last word is the family name, a run of particles before it its particle, the rest the given names.
function lastWordParts(name: string): CitedName {
  const words = name.split(' ').filter(Boolean);
  const family = words.pop() ?? name;
  let start = words.length;
  while (start > 0 && PARTICLES.has(words[start - 1] ?? '')) start -= 1;
  return { given: words.slice(0, start).join(' '), particle: words.slice(start).join(' '), family, suffix: '' };
}
