/**
 * The README's example replies are what `ask` prints: every `$ npm run ask -- …` block in README.md and in the
 * docs/*.md it links to is run on the bundled corpus (file by file, in order, one STATE_DIR, so /follow list sees
 * the follows made above it) and compared line by line. What varies by run is masked on both sides: the time the corpus was loaded, a picture's size in KB, and the
 * random ids of follows.
 */
import { execFile } from 'node:child_process';
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const PROMPT = '$ npm run ask -- ';
/** The day the README's examples were taken (year-less dates on a page are read against it). */
const AS_OF = '2026-12-04';

interface Example {
  line: number;
  args: string[];
  expected: string;
}

// The examples: each prompt line and the lines after it, up to the next prompt or the fence that closes the block
// (a block showing a fenced reply, such as /cite's, is opened with four backticks).
function examples(readme: string): Example[] {
  const lines = readme.split('\n');
  const found: Example[] = [];
  let fence: string | null = null;
  let open: { line: number; args: string[]; body: string[] } | null = null;
  const close = (): void => {
    if (open) found.push({ line: open.line, args: open.args, expected: open.body.join('\n').trim() });
    open = null;
  };
  lines.forEach((line, at) => {
    if (fence === null) {
      fence = /^(`{3,})/.exec(line)?.[1] ?? null;
      return;
    }
    if (line.trim() === fence) {
      close();
      fence = null;
    } else if (line.startsWith(PROMPT)) {
      close();
      open = { line: at + 1, args: shellWords(line.slice(PROMPT.length)), body: [] };
    } else if (line.startsWith('$ ')) close();
    else open?.body.push(line);
  });
  return found;
}

// The README's command lines use plain words and double quotes only.
function shellWords(text: string): string[] {
  return [...text.matchAll(/"([^"]*)"|(\S+)/g)].map((match) => match[1] ?? match[2] ?? '');
}

function masked(text: string): string {
  return text
    .replace(/Loaded \d{4}-\d{2}-\d{2} \d{2}:\d{2} UTC/g, 'Loaded <time> UTC')
    .replace(/\.png \(\d+ KB/g, '.png (<n> KB')
    .replace(/^[0-9a-z]{10} {2}(author|topic|category) /gm, '<id>  $1 ');
}

let stateDir: string;
/** README.md, then docs/*.md by name: the documents whose examples are checked. */
let documents: Array<{ file: string; text: string }>;
beforeAll(async () => {
  stateDir = await mkdtemp(path.join(tmpdir(), 'paperbot-readme-'));
  const docs = (await readdir(path.join(ROOT, 'docs'))).filter((name) => name.endsWith('.md')).sort().map((name) => `docs/${name}`);
  documents = await Promise.all(['README.md', ...docs].map(async (file) => ({ file, text: await readFile(path.join(ROOT, file), 'utf8') })));
});
afterAll(async () => {
  await rm(stateDir, { recursive: true, force: true });
});

function ask(args: string[]): Promise<string> {
  const env = { PATH: process.env['PATH'], HOME: process.env['HOME'], DATA_DIR: path.join(ROOT, 'data'), CORPUS_AS_OF: AS_OF, STATE_DIR: stateDir, LOG_LEVEL: 'warn' };
  return new Promise((resolve, reject) => {
    // As package.json's script runs it: one process (tsx's CLI would start a second node).
    execFile(process.execPath, ['--import', 'tsx', 'src/cli/ask.ts', ...args], { cwd: ROOT, env, timeout: 60_000 }, (error, stdout) => (error ? reject(error) : resolve(stdout)));
  });
}

describe("the README's examples", () => {
  it('are what ask prints, every one of them', { timeout: 300_000 }, async () => {
    const found = documents.flatMap(({ file, text }) => examples(text).map((example) => ({ file, ...example })));
    expect(found.filter((example) => example.file === 'README.md').length).toBeGreaterThanOrEqual(2);
    expect(found.length).toBeGreaterThanOrEqual(10);
    for (const example of found) {
      const printed = (await ask(example.args)).trim();
      expect(masked(printed), `${example.file}:${example.line}: npm run ask -- ${example.args.join(' ')}`).toBe(masked(example.expected));
    }
  });
});
