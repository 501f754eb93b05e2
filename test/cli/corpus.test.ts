/** `npm run corpus` as a child process over temporary data directories: the summary, the JSON, and the exit code. */
import { execFile } from 'node:child_process';
import { mkdir, mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

// A data directory whose profiles/ holds the given pages (name → text or bytes).
async function dataDir(pages: Record<string, string | Uint8Array>): Promise<string> {
  const dir = await mkdtemp(path.join(tmpdir(), 'corpus-cli-'));
  await mkdir(path.join(dir, 'profiles'));
  for (const [name, content] of Object.entries(pages)) await writeFile(path.join(dir, 'profiles', name), content);
  return dir;
}

function corpus(dir: string, ...args: string[]): Promise<Run> {
  const env = { PATH: process.env['PATH'], HOME: process.env['HOME'], DATA_DIR: dir, CORPUS_AS_OF: '2026-11-27' };
  return new Promise((resolve) => {
    // As package.json's script runs it: one process (tsx's CLI would start a second node).
    execFile(process.execPath, ['--import', 'tsx', 'src/cli/corpus.ts', ...args], { cwd: ROOT, env, timeout: 30_000 }, (error, stdout, stderr) => {
      resolve({ code: error ? (typeof error.code === 'number' ? error.code : 1) : 0, stdout: stdout.replaceAll(dir, '<dir>'), stderr: stderr.replaceAll(dir, '<dir>') });
    });
  });
}

const small = await readFile(path.join(ROOT, 'test/fixtures/pages/small.txt'), 'utf8');
const BINARY = Uint8Array.from({ length: 64 }, (_, i) => (i * 37) % 32);

describe('npm run corpus', () => {
  it('exits 0 when every page yields a paper', async () => {
    const { code, stdout, stderr } = await corpus(await dataDir({ 'ada.txt': small }));
    expect(code).toBe(0);
    expect(stderr).toBe('');
    expect(stdout).toContain('  Ada Example: 2 / 40 · 2 indexed  (<dir>/profiles/ada.txt)');
  });

  it('marks a page that yields no paper as an error, names it, still prints everything, and exits 1', async () => {
    const dir = await dataDir({ 'ada.txt': small, 'empty.txt': '', 'binary.txt': BINARY });
    const { code, stdout, stderr } = await corpus(dir);
    expect(code).toBe(1);
    expect(stdout).toContain('2 papers from 1 page in <dir>/profiles');
    expect(stdout).toContain('  ERROR: no paper could be read  (<dir>/profiles/empty.txt)');
    expect(stdout).toContain('<dir>/profiles/binary.txt:1: page has no paper; skipped: a profile page lists each paper under a date line such as "LGJul 19, 2022" (see data/profiles/); for a list from Google Scholar, DBLP or Zotero, save its BibTeX export as a .bib file');
    expect(stderr).toMatchInlineSnapshot(`
      "corpus: error: <dir>/profiles/binary.txt: no paper could be read from this page
      corpus: error: <dir>/profiles/empty.txt: no paper could be read from this page
      "
    `);
  });

  it('lists each BibTeX file with its papers, and names one that yields none as an error', async () => {
    const zotero = await readFile(path.join(ROOT, 'test/fixtures/bib/zotero-bo.bib'), 'utf8');
    const dir = await dataDir({ 'ada.txt': small, 'bo.bib': zotero, 'notes.bib': 'Remember to export from Zotero.\n' });
    const { code, stdout, stderr } = await corpus(dir);
    expect(code).toBe(1);
    // small.txt and the Zotero file share "First Good Paper on Causal Slots": 2 + 3 papers, one of them merged.
    expect(stdout).toContain('4 papers from 1 page and 1 BibTeX file in <dir>/profiles');
    expect(stdout).toContain('  Bo Ström: 3 entries read as papers (BibTeX) · 3 indexed  (<dir>/profiles/bo.bib)');
    expect(stdout).toContain('  ERROR: no paper could be read  (<dir>/profiles/notes.bib)');
    expect(stdout).toContain('<dir>/profiles/notes.bib:1: file has no BibTeX entry (is it a .bib file?)');
    expect(stderr).toMatchInlineSnapshot(`
      "corpus: error: <dir>/profiles/notes.bib: no paper could be read from this file
      "
    `);
  });

  it('prints only the JSON on stdout with --json, and exits 1 for a page without papers', async () => {
    const { code, stdout, stderr } = await corpus(await dataDir({ 'ada.txt': small, 'empty.txt': '' }), '--json');
    expect(code).toBe(1);
    const json = JSON.parse(stdout) as { papers: unknown[] };
    expect(json.papers).toHaveLength(2);
    expect(stderr).toContain('<dir>/profiles/empty.txt: no paper could be read');
  });

  it('counts a paper a page lists twice once as indexed, as /stats does', async () => {
    const twice = `${small.trimEnd()}\n\n${small.split('\n').slice(11, 17).join('\n')}\n`;
    const { code, stdout } = await corpus(await dataDir({ 'ada.txt': twice }));
    expect(code).toBe(0);
    expect(stdout).toContain('  Ada Example: 3 / 40 · 2 indexed (repeats on the page merged)  (<dir>/profiles/ada.txt)');
    expect(stdout).toContain('is listed twice on the page');
  });
});
