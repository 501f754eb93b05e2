/**
 * Plain text for files a reference manager imports: a paper's abstract is chat text (src/corpus/latex.ts writes
 * `*italic*`, `**bold**` and escapes `\*`, `\_`, `` \` ``, `\~`, `\|`), which Zotero would import as literal
 * asterisks. Here the markers go, the escaped characters stay as themselves, and zero-width characters (which the
 * chat side uses to defuse mentions and fences) are dropped. Whitespace is collapsed to single spaces.
 */

/** The zero-width characters never written to a file: ZWSP, ZWNJ, ZWJ, word joiner, BOM. */
const ZERO_WIDTH = /[\u200B-\u200D\u2060\uFEFF]/gu;

/** Chat text (the corpus's abstracts) as plain text: markdown markers removed, escapes resolved, one line. */
export function chatToPlain(chat: string): string {
  const plain = chat.replace(/\\([*_`~|])|\*+/g, (match, escaped: string | undefined) => escaped ?? '');
  return plainText(plain);
}

/** Text already plain (titles, names, venues) with zero-width characters dropped and whitespace collapsed. */
export function plainText(text: string): string {
  return text.replace(ZERO_WIDTH, '').replace(/\s+/g, ' ').trim();
}
