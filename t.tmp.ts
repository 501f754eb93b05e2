import { formatCitation } from './src/cite/index.js';
import { loadCorpus } from './src/corpus/load.js';
const c = await loadCorpus('data/profiles');
for (const p of c.papers) console.log(formatCitation(p,'apa').replace(/ \[Preprint\].*/,''));
const k = c.papers.find(p=>p.authors.some(a=>/Kügelgen|Ribeiro/.test(a)));
for (const s of ['bibtex','mla','chicago','ieee'] as const) for (const p of c.papers.filter(p=>p.authors.some(a=>/Kügelgen|Ribeiro/.test(a))).slice(0,2)) console.log(formatCitation(p,s));
