/**
 * Papers as MiniSearch documents: which fields are indexed, how each weighs, and how a field's text becomes terms.
 * The title and the abstract are indexed twice, as printed and as the roots of their words (stem.ts), so a query
 * reaches "forecasts" from "forecasting" by the root `forecast`, and a paper printing the exact word scores in both.
 * Pure and free of Node, so the site's page searches its index with the same options.
 */
import type { Options } from 'minisearch';
import type { Paper } from '../corpus/schema.js';
import { root } from './stem.js';
import { STOP_WORDS, joinedCompounds, wordForms } from './text.js';

/** The fields matched as printed (names never stemmed), and by the roots of the title's and the abstract's words. */
export const WORD_FIELDS = ['title', 'authors', 'abstract', 'affiliations', 'category'] as const;
export const FORM_FIELDS = ['titleForms', 'abstractForms'] as const;
const FIELDS = [...WORD_FIELDS, ...FORM_FIELDS] as const;
export type Field = (typeof FIELDS)[number];
/** A word form weighs this much of the word as printed. */
export const FORM_WEIGHT = 0.6;
/** The title weighs most, then authors, then the abstract; affiliations and the category label little; word forms `FORM_WEIGHT` of their field. */
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

/** The text of one field of a paper. */
export function fieldText(paper: Paper, field: Field): string {
  switch (field) {
    case 'title':
    case 'titleForms':
      return paper.title;
    case 'authors':
      return [...paper.authors, ...paper.owners].join(' · ');
    case 'abstract':
    case 'abstractForms':
      return paper.abstract;
    case 'affiliations':
      return paper.affiliations.join(' · ');
    case 'category':
      return `${paper.categoryLabel} ${paper.categoryCode} ${paper.category} ${paper.category.replaceAll('.', '')}`;
  }
}

/**
 * A field's text as MiniSearch tokens. Word fields: folded words, stop words out except in names ("An", "De"),
 * hyphenated words also joined; a word with an umlaut one token of both its foldings, which `processTerm` splits.
 * Form fields: each distinct word's root once (a paper printing "slot" and "slots" weighs what one printing "slot"
 * does), a later word of the same root a token `processTerm` drops, so both count one token per distinct word.
 */
export function tokenize(text: string, field?: string): string[] {
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

/** A token as index terms (the `processTerm` option): a joined pair split, a repeated root dropped. */
export function processTerm(token: string): string | string[] | null {
  if (token.startsWith(REPEAT)) return null;
  return token.includes(FORM_SEPARATOR) ? token.split(FORM_SEPARATOR) : token;
}

/** MiniSearch's options for an index of `papers` by ordinal (the bot's index: a document is a paper's position). */
export function indexOptions(papers: readonly Paper[]): Options<number> {
  return {
    ...loadOptions(),
    extractField: (ordinal, field) => {
      if (field === 'id') return ordinal;
      const paper = papers[ordinal];
      return paper === undefined ? undefined : fieldText(paper, field as Field);
    },
  };
}

/** The options a saved index is loaded with (saved.ts). */
export function loadOptions(): Options<number> {
  return { fields: [...FIELDS], storeFields: [], idField: 'id', tokenize, processTerm };
}

/**
 * The words of a hit to bold, as the paper prints them (folded): the terms MiniSearch's `match` has as printed, a
 * transliteration ("loewe") also as the word beside it ("lowe"), and the words whose root it matched; at most
 * MAX_HIT_TERMS, sorted (the order MiniSearch reaches terms in depends on how its tree was filled).
 */
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

// The roots of a text's distinct words, a repeat token where a root is already there.
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
