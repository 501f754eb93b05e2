/**
 * APA 7's sentence case for titles (Publication Manual 6.17). A word is a proper noun when the paper's abstract capitalises
 * it mid-sentence (and never writes it in lower case), or is a name-derived term (Hamiltonian); acronyms stay as printed.
 */

/** Name-derived words that stay capitalised in any title (lower case here; matched on the folded word). */
const PROPER_TERMS = new Set([
  'bayes', 'bayesian', 'gaussian', 'gauss', 'markov', 'markovian', 'hamiltonian', 'lagrangian', 'euclidean', 'riemannian', 'hilbert',
  'fourier', 'laplace', 'laplacian', 'boltzmann', 'langevin', 'wasserstein', 'newton', 'newtonian', 'lipschitz', 'hessian', 'jacobian',
  'kalman', 'dirichlet', 'poisson', 'bernoulli', 'gibbs', 'metropolis', 'monte', 'carlo', 'turing', 'shapley', 'granger',
  'hebbian', 'mendelian', 'ising', 'hopfield', 'kullback', 'leibler', 'shannon', 'schrödinger', 'einstein', 'maxwell', 'navier', 'stokes', 'koopman',
  'english', 'german', 'french', 'chinese', 'european', 'african', 'american', 'earth', 'internet',
]);

/** The title in sentence case; `context` (the abstract) tells proper nouns. A title already in sentence case is kept. */
export function sentenceCase(title: string, context = ''): string {
  if (isSentenceCased(title)) return title;
  const proper = properNouns(context);
  let startsClause = true;
  return title
    .split(/(\s+)/)
    .map((token) => {
      if (/^\s*$/.test(token)) return token;
      const cased = caseWord(token, startsClause, proper);
      startsClause = endsClause(token);
      return cased;
    })
    .join('');
}

/** At most this share of the words after a clause's first may be capitalised in a title already in sentence case. */
const SENTENCE_CASED_SHARE = 1 / 3;

// True when few of the words that do not start a clause are capitalised ("… groups in the United States"), where
// Title Case capitalises every major word. Words with inner capitals (acronyms) count for neither.
function isSentenceCased(title: string): boolean {
  let startsClause = true;
  let words = 0;
  let capitalised = 0;
  for (const token of title.split(/\s+/).filter(Boolean)) {
    const core = token.replace(/^[^\p{L}]+|[^\p{L}]+$/gu, '');
    if (!startsClause && core !== '' && !hasInnerCapital(core)) {
      words += 1;
      if (/^\p{Lu}/u.test(core)) capitalised += 1;
    }
    startsClause = endsClause(token);
  }
  return words >= 3 && capitalised <= words * SENTENCE_CASED_SHARE;
}

// APA capitalises the first word after a colon, em dash, question mark or exclamation mark.
function endsClause(token: string): boolean {
  return /[:?!—]$/.test(token) || token === '-';
}

/** True for a word with a capital after its first letter in any hyphen- or slash-separated part ("TeST", "TC-Bench", "3D"). */
export function hasInnerCapital(word: string): boolean {
  return word.split(/[-/]/).some((part) => /\p{Lu}/u.test(Array.from(part).slice(1).join('')));
}

// One whitespace-separated token, punctuation around it kept.
function caseWord(token: string, startsClause: boolean, proper: ReadonlySet<string>): string {
  const match = /^([^\p{L}\p{N}]*)(.*?)([^\p{L}\p{N}]*)$/su.exec(token);
  const [, lead = '', core = '', trail = ''] = match ?? [];
  if (core === '' || hasInnerCapital(core)) return token;
  if (proper.has(core.toLowerCase())) return startsClause ? `${lead}${capitalise(core)}${trail}` : token;
  const parts = core.split(/([-/])/);
  const cased = parts.map((part, i) => {
    if (part === '-' || part === '/') return part;
    if (i === 0 && startsClause) return capitalise(part);
    return proper.has(part.toLowerCase()) || PROPER_TERMS.has(part.toLowerCase()) ? part : part.toLowerCase();
  });
  return `${lead}${cased.join('')}${trail}`;
}

// Words the text capitalises mid-sentence and never writes in lower case, lower-cased. A run of capitalised words
// ("Mendelian Randomization") is a coined term rather than a name, and is left out.
function properNouns(text: string): Set<string> {
  const words = text
    .split(/\s+/)
    .map((token) => ({ token, core: token.replace(/^[^\p{L}\p{N}]+|[^\p{L}\p{N}]+$/gu, '') }))
    .filter((word) => word.core !== '');
  const isCapitalised = (core: string): boolean => core.split(/[-/]/).every((part) => /^\p{Lu}\p{Ll}+$/u.test(part));
  const lower = new Set(words.flatMap((word) => word.core.split(/[-/]/)).filter((part) => /^\p{Ll}+$/u.test(part)));
  const proper = new Set<string>();
  words.forEach((word, i) => {
    const previous = words[i - 1];
    const next = words[i + 1];
    const startsSentence = previous === undefined || /[.?!:]["”’)]*$/.test(previous.token);
    if (startsSentence || !isCapitalised(word.core)) return;
    if (isCapitalised(previous.core) || (next !== undefined && isCapitalised(next.core) && !/[,;:.?!)]$/.test(word.token))) return;
    if (word.core.split(/[-/]/).some((part) => lower.has(part.toLowerCase()))) return;
    proper.add(word.core.toLowerCase());
  });
  return proper;
}

function capitalise(word: string): string {
  const [first = '', ...rest] = Array.from(word);
  return first.toUpperCase() + rest.join('');
}
