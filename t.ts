import { readFileSync } from 'node:fs';
import { parseBibtexFile } from './src/corpus/bibtex.js';
const r = parseBibtexFile(readFileSync(process.argv[2]!, 'utf8'), process.argv[2]!);
console.log(JSON.stringify(r, null, 1));
