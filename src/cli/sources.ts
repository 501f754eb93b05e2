/** `npm run sources [-- --json]`: reads and caches the works of lab.yaml's members now. Exits 1 when a read failed, 2 on bad usage. */
import { parseArgs } from 'node:util';
import { readConfigOrExit } from '../config.js';
import type { Corpus } from '../corpus/schema.js';
import { openMigratedDatabase } from '../db/migrate.js';
import { createLogger } from '../log.js';
import { makeSources } from '../sources/cache.js';
import { LabError, readLab } from '../sources/lab.js';
import { refreshSources, type SourcesReport } from '../sources/refresh.js';
import { exitQuietlyOnClosedStdout, readPages } from './shared.js';

function formatReport(report: SourcesReport): string {
  const lines: string[] = [`Sources read ${report.at}`, ''];
  for (const member of report.members) {
    lines.push(member.member);
    if (member.author) lines.push(`  OpenAlex author ${member.author.id} (${member.author.name}): ${member.author.why}`);
    if (member.error) lines.push(`  ERROR: ${member.error}${member.found === 0 ? ' (the works read before keep serving)' : ''}`);
    lines.push(`  works found: ${member.found}`, `  merged with a page or .bib paper: ${member.merged}`, `  new: ${member.new}`);
    lines.push(`  page papers that matched no work: ${member.unmatched.length}`);
    for (const paper of member.unmatched) lines.push(`    ${paper.file}:${paper.line}: ${paper.title}`);
    lines.push(`  ambiguous matches left apart: ${member.ambiguous.length}`);
    for (const apart of member.ambiguous) lines.push(`    "${apart.work}" ≠ ${apart.file}: "${apart.paper}" (${apart.reason})`);
    for (const skipped of member.skipped) lines.push(`  left out: ${skipped}`);
    lines.push('');
  }
  lines.push(report.arxiv.error ? `arXiv: ERROR: ${report.arxiv.error} (the categories read before keep serving)` : `arXiv: ${report.arxiv.entries} entries read`);
  return `${lines.join('\n')}\n`;
}

async function main(argv: readonly string[]): Promise<number> {
  let json: boolean;
  try {
    json = parseArgs({ args: [...argv], options: { json: { type: 'boolean', default: false } }, allowPositionals: false, strict: true }).values.json;
  } catch (error) {
    process.stderr.write(`sources: ${error instanceof Error ? error.message : String(error)}\nusage: npm run sources [-- --json]\n`);
    return 2;
  }
  const config = readConfigOrExit({ requireToken: false });
  const log = createLogger(config.logLevel);
  const lab = await readLab(config.dataDir).catch((error: unknown) => (error instanceof LabError ? error : Promise.reject(error)));
  if (lab === null || lab instanceof LabError) {
    const absent = `sources: there is no ${config.dataDir}/lab.yaml, so there is nothing to read (see docs/sources.md)`;
    process.stderr.write(`${lab?.message ?? absent}\n`);
    return 1;
  }
  const pages = await readPages(config).catch((error: unknown): Corpus => {
    // Members with an id need no page; the others are reported as such.
    log.warn('sources: no page or .bib paper could be read; members without an id cannot be matched', { reason: error instanceof Error ? error.message : String(error) });
    return { profiles: [], papers: [], diagnostics: [] };
  });
  const database = await openMigratedDatabase(config.databaseUrl);
  try {
    const report = await refreshSources({ lab, pages, db: database.db, clients: makeSources(config, lab, log), log });
    if (json) {
      const { works: _works, ...shown } = report;
      process.stdout.write(`${JSON.stringify(shown, null, 2)}\n`);
    } else process.stdout.write(formatReport(report));
    return report.failed ? 1 : 0;
  } finally {
    await database.close();
  }
}

exitQuietlyOnClosedStdout();
process.exitCode = await main(process.argv.slice(2));
