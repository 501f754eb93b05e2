/** Paper ids: short and stable, derived from the normalized title so every run and every page agree. */
import { createHash } from 'node:crypto';
import { latexToPlain } from './latex.js';
import { foldIdentity } from './names.js';

/** The key two pages' copies of one paper share: the title folded (case, accents, punctuation ignored; `foldIdentity`). */
export function titleKey(title: string): string {
  return foldIdentity(title);
}

/** The key a source's work and a page's or .bib file's paper are matched by: `titleKey` of the title with its LaTeX read as text. */
export function matchTitleKey(title: string): string {
  return titleKey(latexToPlain(title));
}

/** The paper id for a title: 10 base-36 characters of the SHA-1 of its `titleKey`. */
export function paperId(title: string): string {
  const key = titleKey(title) || title;
  const digest = createHash('sha1').update(key, 'utf8').digest('hex');
  // 48 bits fit in 10 base-36 digits (36^10 > 2^48); padding keeps every id the same length.
  return BigInt(`0x${digest.slice(0, 12)}`).toString(36).padStart(10, '0');
}
