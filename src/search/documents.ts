/**
 * Papers as MiniSearch documents: which fields are indexed, how each weighs, and how a field's text becomes
 * terms (the `tokenize` and `processTerm` options). A document is a paper's ordinal (its position newest
 * first); the fields are read from the paper with `extractField`, and nothing is stored in the index
 * (`storeFields` empty: the papers are looked up by ordinal).
 */
import type { Options } from 'minisearch';
import type { Paper } from '../corpus/schema.js';
import { isStopWord, joinedCompounds, wordForms } from './text.js';
import type { VocabularyCounter } from './vocabulary.js';

/** The indexed fields. */
export const FIELDS = ['title', 'authors', 'abstract', 'affiliations', 'category'] as const;
/** One indexed field. */
export type Field = (typeof FIELDS)[number];
/** The fields matched by word form (`root`): all but the names, which are matched as printed. */
export const STEMMED_FIELDS: readonly Field[] = ['title', 'abstract', 'affiliations', 'category'];
/** The title weighs most, then authors, then the abstract; affiliations and the category label little. */
export const FIELD_BOOST: Readonly<Record<Field, number>> = { title: 4, authors: 2.5, abstract: 1, affiliations: 0.7, category: 0.4 };

/** Joins a word's two foldings in one token ("lowe" + "loewe"): one word for the field's length, two terms. */
const FORM_SEPARATOR = '\u0001';

/** The text of one field of a paper. */
export function fieldText(paper: Paper, field: Field): string {
  switch (field) {
    case 'title':
      return paper.title;
    case 'authors':
      return [...paper.authors, ...paper.owners].join(' · ');
    case 'abstract':
      return paper.abstract;
    case 'affiliations':
      return paper.affiliations.join(' · ');
    case 'category':
      return `${paper.categoryLabel} ${paper.categoryCode} ${paper.category} ${paper.category.replaceAll('.', '')}`;
  }
}

/**
 * A field's terms as MiniSearch tokens: folded words (`foldText`), stop words out except in names ("An",
 * "De"), hyphenated words also joined ("TC-Bench" → tc, bench, tcbench); a word with an umlaut is one token
 * holding both its foldings, which `processTerm` splits. Counts each distinct term into `counter` when given.
 */
export function fieldTokens(text: string, field: Field, counter: VocabularyCounter | null): string[] {
  const names = field === 'authors';
  const tokens: string[] = [];
  for (const [plain = '', german] of wordForms(text)) {
    if (plain === '' || (!names && isStopWord(plain))) continue;
    if (german === undefined) tokens.push(plain);
    else {
      tokens.push(`${plain}${FORM_SEPARATOR}${german}`);
      counter?.addTransliteration(german, plain);
    }
  }
  if (!names) for (const compound of joinedCompounds(text)) tokens.push(compound);
  if (counter !== null) {
    const terms = new Set<string>();
    for (const token of tokens) for (const term of splitToken(token)) terms.add(term);
    counter.addField(terms, !names);
  }
  return tokens;
}

/** MiniSearch's options for an index of `papers` by ordinal; `counter` is filled as papers are added. */
export function indexOptions(papers: readonly Paper[], counter: VocabularyCounter | null): Options<number> {
  return {
    ...loadOptions(),
    extractField: (ordinal, field) => {
      if (field === 'id') return ordinal;
      const paper = papers[ordinal];
      return paper === undefined ? undefined : fieldText(paper, field as Field);
    },
    tokenize: (text, field) => fieldTokens(text, (field ?? 'abstract') as Field, counter),
    processTerm: (token) => (token.includes(FORM_SEPARATOR) ? splitToken(token) : token),
  };
}

/** The options an index saved with `toJSON` is loaded with: the fields and no stored fields. */
export function loadOptions(): Options<number> {
  return { fields: [...FIELDS], storeFields: [], idField: 'id' };
}

function splitToken(token: string): string[] {
  return token.includes(FORM_SEPARATOR) ? token.split(FORM_SEPARATOR) : [token];
}
