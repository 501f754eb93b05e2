/** `npm run site -- --out <folder>`: writes the publication site (docs/site.md). Exits 2 on bad usage, 1 on an unreadable corpus. */
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { readConfigOrExit } from '../config.js';
import { renderSite, writeSite } from '../web/site.js';
import { isEntryPoint, readPages } from './shared.js';

const USAGE = `usage: npm run site -- --out <folder> [--title <text>] [--url <https://…/>]
  --out    the folder to write (created; its papers/ folder is replaced)
  --title  the site's title (default SITE_TITLE, else "Publications")
  --url    the absolute URL the site is published at, for the feeds' ids (default SITE_URL; without it, tag: ids)`;

/** Reads the command line; throws an Error whose message is the problem and the usage. */
export function parseSiteArgs(argv: readonly string[]): { out: string; title: string | null; url: string | null } {
  let values;
  try {
    ({ values } = parseArgs({ args: [...argv], options: { out: { type: 'string' }, title: { type: 'string' }, url: { type: 'string' }, help: { type: 'boolean', short: 'h' } }, strict: true, allowPositionals: false }));
  } catch (error) {
    throw new Error(`${error instanceof Error ? error.message : String(error)}\n${USAGE}`);
  }
  if (values.help) throw new Error(USAGE);
  if (!values.out) throw new Error(`--out is missing: the folder to write the site into\n${USAGE}`);
  if (values.url !== undefined && !/^https?:\/\/[^\s/]+/i.test(values.url)) throw new Error(`--url must be an absolute http(s) URL, e.g. https://lab.example.org/papers/\n${USAGE}`);
  return { out: values.out, title: values.title ?? null, url: values.url === undefined ? null : values.url.endsWith('/') ? values.url : `${values.url}/` };
}

async function main(): Promise<void> {
  let args: ReturnType<typeof parseSiteArgs>;
  try {
    args = parseSiteArgs(process.argv.slice(2));
  } catch (error) {
    process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
    process.exit(2);
  }
  const config = readConfigOrExit({ requireToken: false });
  const started = performance.now();
  const corpus = await readPages(config).catch((error: unknown) => {
    process.stderr.write(`site: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exit(1);
  });
  const site = await renderSite(corpus, { title: args.title ?? config.siteTitle, siteUrl: args.url ?? config.siteUrl });
  await writeSite(site, args.out);
  const ms = Math.round(performance.now() - started);
  process.stdout.write(`${corpus.papers.length} papers: ${site.size} files written to ${args.out} in ${ms} ms; open ${pathToFileURL(path.resolve(args.out, 'index.html')).href}\n`);
}

if (isEntryPoint(import.meta.url)) void main();
