/** Papers back in the page format: the parser's inverse (a printed block parses back to the same paper), and pages for benchmarks. */
import type { Paper, ProfileStats } from './schema.js';

/** One paper as a page block: date line, title, authors line, abstract. Dates always carry their year. */
export function printPaperBlock(paper: Paper): string {
  const [year, month, day] = paper.date.split('-').map(Number);
  const monthName = MONTH_NAMES[(month ?? 1) - 1] ?? 'Jan';
  const dateLine = `${paper.categoryCode}${monthName} ${day ?? 1}, ${year ?? 1970}${paper.hasCode ? 'Code' : ''}`;
  const names = paper.authors.join(', ') + (paper.authorsTruncated ? ' et al.' : '');
  const byline = paper.affiliations.length > 0 ? `${names} · ${paper.affiliations.join(', ')}` : names;
  return [dateLine, paper.title, '', byline, '', chatToLatex(paper.abstract)].join('\n');
}

/** A whole page: the header as the site prints it (glued stat labels; absent ones left out), then every paper block. */
export function printProfilePage(
  header: { owner: string; primaryCategory?: string | null; stats?: Partial<ProfileStats>; papersListed?: number | null },
  papers: readonly Paper[],
): string {
  const stats = header.stats ?? {};
  const lines: string[] = [header.owner, ''];
  if (header.primaryCategory) lines.push(header.primaryCategory);
  if (stats.hIndex != null) lines.push(`h-index${stats.hIndex}`);
  if (stats.papers != null) lines.push(`${stats.papers}papers`);
  if (stats.citations != null) lines.push(`${stats.citations.toLocaleString('en-US')}citations`);
  if (stats.noveltyPercent != null) lines.push(`Novelty${stats.noveltyPercent}%`);
  if (stats.aiScore != null) lines.push(`AI Score${stats.aiScore}`);
  lines.push('');
  if (header.papersListed != null) lines.push(`${header.papersListed} Papers`, '');
  const blocks = papers.map(printPaperBlock);
  return `${[...lines, blocks.join('\n\n')].join('\n')}\n`;
}

/** The parser's chat markdown back in LaTeX (`**x**` → `\\textbf{x}`, `*x*` → `\\emph{x}`, escapes kept), so it parses back the same. */
export function chatToLatex(text: string): string {
  let out = '';
  const open: string[] = [];
  const toggle = (token: string): void => {
    if (open[open.length - 1] === token) {
      open.pop();
      out += '}';
    } else {
      open.push(token);
      out += token === '**' ? '\\textbf{' : '\\emph{';
    }
  };
  for (const token of text.match(MARKDOWN_TOKEN) ?? []) {
    if (token === '***') {
      // Bold and italic at once: close the innermost first, or open bold then italic.
      const order = open[open.length - 1] === '*' ? ['*', '**'] : ['**', '*'];
      order.forEach(toggle);
    } else if (token === '**' || token === '*') {
      toggle(token);
    } else {
      out += token;
    }
  }
  return out + '}'.repeat(open.length);
}

const MARKDOWN_TOKEN = /\\[\s\S]|\*\*\*|\*\*|\*|[^\\*]+/g;
const MONTH_NAMES = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
