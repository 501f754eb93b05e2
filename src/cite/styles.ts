/**
 * The prose citation styles: APA 7, MLA 9, Chicago 17 (author-date) and IEEE. Titles are kept as
 * printed (no sentence-casing: it would lower-case proper names such as "Hamiltonian"), and each
 * style writes an author list the page cut short as it writes unknown further authors: "et al.".
 * The locator is the paper's link (src/corpus/links.ts): its arXiv page or DOI where known, else an arXiv title search.
 */
import type { Paper } from '../corpus/schema.js';
import { citedWork, type CitedName, type CitedWork } from './work.js';

const MONTHS = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'] as const;
/** MLA abbreviates months longer than four letters. */
const MLA_MONTHS = ['Jan.', 'Feb.', 'Mar.', 'Apr.', 'May', 'June', 'July', 'Aug.', 'Sept.', 'Oct.', 'Nov.', 'Dec.'] as const;
/** The IEEE Reference Guide's month abbreviations. */
const IEEE_MONTHS = ['Jan.', 'Feb.', 'Mar.', 'Apr.', 'May', 'Jun.', 'Jul.', 'Aug.', 'Sept.', 'Oct.', 'Nov.', 'Dec.'] as const;

/** APA lists up to 20 authors; beyond that the first 19, an ellipsis and the last. */
const APA_MAX_AUTHORS = 20;
/** Chicago lists up to 10 authors; beyond that the first 7 and "et al.". */
const CHICAGO_MAX_AUTHORS = 10;
const CHICAGO_LISTED_WHEN_LONG = 7;
/** IEEE lists up to 6 authors; beyond that the first and "et al.". */
const IEEE_MAX_AUTHORS = 6;

/** APA 7: `Wenzel, F., Dittadi, A., Gehler, P. V., et al. (2022). Title [Preprint]. arXiv. URL` */
export function formatApa(paper: Paper): string {
  const work = citedWork(paper);
  const names = work.authors.map((a) => (a.initials ? `${a.family}, ${a.initials}` : a.family));
  let authors: string;
  if (work.truncated) authors = `${names.slice(0, APA_MAX_AUTHORS).join(', ')}, et al.`;
  else if (names.length > APA_MAX_AUTHORS) authors = `${names.slice(0, APA_MAX_AUTHORS - 1).join(', ')}, . . . ${names[names.length - 1]}`;
  else authors = listWith(names, ', & ', ', & ');
  return `${authors} (${work.year}). ${work.title} [Preprint]. arXiv. ${work.url}`;
}

/** MLA 9: `Wenzel, Florian, et al. “Title.” arXiv, 19 July 2022, arxiv.org/search/…` */
export function formatMla(paper: Paper): string {
  const work = citedWork(paper);
  const [first, second] = work.authors;
  let authors = invertedName(first);
  if (work.truncated || work.authors.length > 2) authors += ', et al.';
  else if (second) authors += `, and ${second.full}`;
  const date = [work.day, work.month === null ? null : MLA_MONTHS[work.month - 1], work.year].filter((part) => part !== null).join(' ');
  return `${sentence(authors)} “${sentence(work.title)}” arXiv, ${date}, ${work.url.replace(/^https?:\/\//, '')}.`;
}

/** Chicago 17, author-date: `Wenzel, Florian, Andrea Dittadi, Peter Vincent Gehler, et al. 2022. “Title.” Preprint, arXiv, July 19. URL.` */
export function formatChicago(paper: Paper): string {
  const work = citedWork(paper);
  const names = work.authors.map((a, i) => (i === 0 ? invertedName(a) : a.full));
  let authors: string;
  if (work.truncated || names.length > CHICAGO_MAX_AUTHORS) authors = `${names.slice(0, CHICAGO_LISTED_WHEN_LONG).join(', ')}, et al.`;
  else authors = listWith(names, ', and ', ', and ');
  const monthDay = chicagoMonthDay(work);
  const published = monthDay ? `Preprint, arXiv, ${monthDay}.` : 'Preprint, arXiv.';
  return `${sentence(authors)} ${work.year}. “${sentence(work.title)}” ${published} ${work.url}.`;
}

/** IEEE: `F. Wenzel et al., “Title,” arXiv preprint, Jul. 2022. [Online]. Available: URL` */
export function formatIeee(paper: Paper): string {
  const work = citedWork(paper);
  const names = work.authors.map((a) => (a.initials ? `${a.initials} ${a.family}` : a.family));
  const authors = work.truncated || names.length > IEEE_MAX_AUTHORS ? `${names[0] ?? ''} et al.` : listWith(names, ' and ', ', and ');
  // IEEE puts the comma inside the quotes, unless the title ends in its own ? or !.
  const title = /[?!]$/.test(work.title) ? `“${work.title}”` : `“${work.title},”`;
  const date = [work.month === null ? null : IEEE_MONTHS[work.month - 1], work.year].filter((part) => part !== null).join(' ');
  return `${authors}, ${title} arXiv preprint, ${date}. [Online]. Available: ${work.url}`;
}

// "Family, Given" (a one-word name as it is).
function invertedName(name: CitedName | undefined): string {
  if (!name) return '';
  return name.given ? `${name.family}, ${name.given}` : name.family;
}

// ["A"] → "A"; ["A","B"] → "A{pair}B"; ["A","B","C"] → "A, B{last}C".
function listWith(names: string[], pair: string, last: string): string {
  if (names.length <= 1) return names.join('');
  if (names.length === 2) return names.join(pair);
  return `${names.slice(0, -1).join(', ')}${last}${names[names.length - 1]}`;
}

// Ends the text with a period unless it already ends in . ? or !.
function sentence(text: string): string {
  return /[.?!]$/.test(text) ? text : `${text}.`;
}

function chicagoMonthDay(work: CitedWork): string {
  if (work.month === null) return '';
  const month = MONTHS[work.month - 1] ?? '';
  return work.day === null ? month : `${month} ${work.day}`;
}
