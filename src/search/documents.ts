/** Papers as MiniSearch documents: the fields, their weights, how text becomes terms. Free of Node: the site's page uses it too. */
import type { Options } from 'minisearch';
import type { Paper } from '../corpus/schema.js';
import { root } from './stem.js';
import { STOP_WORDS, joinedCompounds, wordForms } from './text.js';

/** The fields matched as printed (names never stemmed), and by the roots of the title's and the abstract's words. */
export const WORD_FIELDS = ['title', 'authors', 'abstract', 'affiliations', 'category'] as const;
export const FORM_FIELDS = ['titleForms', 'abstractForms'] as const;
const FIELDS = [...WORD_FIELDS, ...FORM_FIELDS] as const;
type Field = (typeof FIELDS)[number];
/** A word form weighs this much of the word as printed. */
const FORM_WEIGHT = 0.6;
/** MiniSearch's boost per field: a word in the title counts four times one in the abstract. */
export const FIELD_BOOST: Readonly<Record<Field, number>> = {
  title: 4,
  authors: 2.5,
  abstract: 1,
  affiliations: 0.7,
  category: 0.4,
  titleForms: 4 * FORM_WEIGHT,
  abstractForms: FORM_WEIGHT,
};

/** The most matched words a hit lists for the snippet (`SearchHit.terms`). */
export const MAX_HIT_TERMS = 24;

/** Joins a word's two foldings in one token ("lowe" + "loewe"): one word for the field's length, two terms. */
const FORM_SEPARATOR = '\u0001';
/** Starts a token that stands for a word whose root the field already has: it counts for the length, never as a term. */
const REPEAT = '\u0002';

const FIELD_TEXT: Readonly<Record<Field, (paper: Paper) => string>> = {
  title: (paper) => paper.title,
  titleForms: (paper) => paper.title,
  authors: (paper) => [...paper.authors, ...paper.owners].join(' · '),
  abstract: (paper) => paper.abstract,
  abstractForms: (paper) => paper.abstract,
  affiliations: (paper) => paper.affiliations.join(' · '),
  category: (paper) => `${paper.categoryLabel} ${paper.categoryCode} ${paper.category} ${paper.category.replaceAll('.', '')}`,
};

/** A field's text as MiniSearch tokens: folded words (stop words out but in names) and joined compounds; in form fields, distinct roots. */
function tokenize(text: string, field?: string): string[] {
  if (field === 'titleForms' || field === 'abstractForms') return formTokens(text);
  const names = field === 'authors';
  const tokens: string[] = [];
  for (const [plain = '', german] of wordForms(text)) {
    if (plain === '' || (!names && STOP_WORDS.has(plain))) continue;
    tokens.push(german === undefined ? plain : `${plain}${FORM_SEPARATOR}${german}`);
  }
  if (!names) for (const compound of joinedCompounds(text)) tokens.push(compound);
  return tokens;
}

/** A token as index terms: a joined pair split, a repeated root dropped (it only counts for the field's length). */
function processTerm(token: string): string | string[] | null {
  if (token.startsWith(REPEAT)) return null;
  return token.includes(FORM_SEPARATOR) ? token.split(FORM_SEPARATOR) : token;
}

/** MiniSearch's options for an index of `papers` by ordinal (the bot's index: a document is a paper's position). */
export function indexOptions(papers: readonly Paper[]): Options<number> {
  return {
    ...LOAD_OPTIONS,
    extractField: (ordinal, field) => {
      if (field === 'id') return ordinal;
      const paper = papers[ordinal];
      return paper === undefined ? undefined : FIELD_TEXT[field as Field](paper);
    },
  };
}

/** The options a saved index is loaded with (saved.ts). */
export const LOAD_OPTIONS: Options<number> = { fields: [...FIELDS], storeFields: [], idField: 'id', tokenize, processTerm };

/** The words of a hit to bold, folded as the paper prints them, including those matched by root or transliteration; sorted. */
export function matchedWords(paper: Paper, { match }: { match: Record<string, string[]> }): string[] {
  const printed = new Set<string>();
  const roots = new Set<string>();
  for (const [term, fields] of Object.entries(match)) {
    if (fields.some((field) => (FORM_FIELDS as readonly string[]).includes(field))) roots.add(term);
    if (fields.some((field) => (WORD_FIELDS as readonly string[]).includes(field))) printed.add(term);
  }
  const found = new Set(printed);
  const texts = [paper.title, paper.abstract, ...paper.authors, ...paper.owners];
  for (const [i, text] of texts.entries()) {
    for (const [plain = '', german] of wordForms(text)) {
      if (german !== undefined && printed.has(german)) found.add(plain);
      if (i < 2 && roots.size > 0 && roots.has(root(plain))) found.add(plain);
    }
  }
  return [...found].sort().slice(0, MAX_HIT_TERMS);
}

// The roots of a text's distinct words; a repeat token for a root already there ("slot slots" weighs as "slot" does).
function formTokens(text: string): string[] {
  const seen = new Set<string>();
  const roots = new Set<string>();
  const tokens: string[] = [];
  for (const [plain = '', german] of wordForms(text)) {
    // A word with an umlaut by its transliteration, as a query looks it up (plan.ts).
    const word = german ?? plain;
    if (word === '' || STOP_WORDS.has(plain) || seen.has(word)) continue;
    seen.add(word);
    const base = root(word);
    tokens.push(roots.has(base) ? `${REPEAT}${word}` : base);
    roots.add(base);
  }
  return tokens;
}
