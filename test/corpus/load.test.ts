import { execFile } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config.js';
import { decodePage, loadCorpus, loadCorpusFromFiles } from '../../src/corpus/load.js';
import { PaperSchema, ProfileSchema } from '../../src/corpus/schema.js';
import { SEED_HEADER_LINE, SEED_HEADER_REASON } from './seed-header.js';

const run = promisify(execFile);
const AS_OF = new Date('2026-11-27T00:00:00Z');
const SEED_FILE = 'data/profiles/francesco-locatello.txt';
const FIXTURES = 'test/fixtures/pages';
const scratch = mkdtempSync(path.join(tmpdir(), 'paperbot-corpus-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

/** A fresh directory under the scratch dir holding `files` (name → text or bytes). */
function pagesDir(label: string, files: Record<string, string | Uint8Array>): string {
  const dir = path.join(scratch, label);
  mkdirSync(dir, { recursive: true });
  for (const [name, content] of Object.entries(files)) writeFileSync(path.join(dir, name), content);
  return dir;
}

describe('loadCorpus', () => {
  it('reads the seed directory into 50 valid papers and one profile', async () => {
    const corpus = await loadCorpus('data/profiles', { asOf: AS_OF });
    expect(corpus.papers).toHaveLength(50);
    expect(corpus.diagnostics.map((d) => d.reason)).toEqual([SEED_HEADER_REASON]);
    expect(corpus.profiles.map((p) => [p.owner, p.file, p.papersListed, p.papersRead])).toEqual([['Francesco Locatello', SEED_FILE, 105, 50]]);
    for (const paper of corpus.papers) expect(PaperSchema.safeParse(paper).success).toBe(true);
    for (const profile of corpus.profiles) expect(ProfileSchema.safeParse(profile).success).toBe(true);
  });

  it('reads every *.txt page by name order, skips other files, and reports a page with no paper', async () => {
    const dir = pagesDir('mixed', {
      'b-colleague.txt': readFileSync(`${FIXTURES}/colleague.txt`),
      'a-small.txt': readFileSync(`${FIXTURES}/small.txt`),
      'c-empty.txt': '',
      'notes.md': 'LGJan 1, 2020\nNot a page\n\nX\n\nY\n',
    });
    mkdirSync(path.join(dir, 'd-folder.txt'));
    const corpus = await loadCorpus(dir, { asOf: AS_OF });
    expect(corpus.profiles.map((p) => path.basename(p.file))).toEqual(['a-small.txt', 'b-colleague.txt']);
    expect(corpus.papers).toHaveLength(3);
    expect(corpus.diagnostics.map((d) => `${path.basename(d.file)}:${d.line}: ${d.reason}`)).toEqual([
      'd-folder.txt:1: not a file; skipped',
      'c-empty.txt:1: page has no paper; skipped: a profile page lists each paper under a date line such as "LGJul 19, 2022" (see data/profiles/); for a list from Google Scholar, DBLP or Zotero, save its BibTeX export as a .bib file',
    ]);
  });

  it('names the directory when it does not exist', async () => {
    await expect(loadCorpus('test/fixtures/no-such-dir')).rejects.toThrowErrorMatchingInlineSnapshot(
      `[Error: corpus: cannot read the profile directory test/fixtures/no-such-dir: it does not exist]`,
    );
  });

  it('refuses a corpus with no paper, naming the directory and each page', async () => {
    const dir = pagesDir('only-empty', { 'empty.txt': '', 'junk.txt': '\u0000\u0000\u0001' });
    const error = (await loadCorpus(dir).catch((e: unknown) => e)) as Error;
    expect(error.message.replaceAll(dir, '<dir>')).toMatchInlineSnapshot(`
      "corpus: no paper could be read from <dir>
        corpus: <dir>/empty.txt:1: page has no paper; skipped: a profile page lists each paper under a date line such as "LGJul 19, 2022" (see data/profiles/); for a list from Google Scholar, DBLP or Zotero, save its BibTeX export as a .bib file
        corpus: <dir>/junk.txt:1: binary data (NUL bytes) skipped
        corpus: <dir>/junk.txt:1: page has no paper; skipped: a profile page lists each paper under a date line such as \"LGJul 19, 2022\" (see data/profiles/); for a list from Google Scholar, DBLP or Zotero, save its BibTeX export as a .bib file"
    `);
    const none = pagesDir('no-pages', { 'readme.md': 'hello' });
    await expect(loadCorpus(none)).rejects.toThrow(`corpus: no paper could be read from ${none} (no *.txt page or *.bib file in it)`);
  });

  it('reads *.bib files beside the pages, skipping a BibTeX file over its size limit and naming one that is not BibTeX', async () => {
    const dir = pagesDir('with-bib', {
      'colleague.txt': readFileSync(`${FIXTURES}/colleague.txt`),
      'zotero-bo.bib': readFileSync('test/fixtures/bib/zotero-bo.bib'),
      'ADA-QUILL.BIB': readFileSync('test/fixtures/bib/ada-quill.bib'),
      'notes.bib': 'Papers to read:\n- the slot attention one\n',
      'huge.bib': Buffer.alloc(2_000_001, 0x20),
    });
    const corpus = await loadCorpus(dir, { asOf: AS_OF });
    expect(corpus.profiles.map((p) => [path.basename(p.file), p.owner, p.papersRead])).toEqual([
      ['ADA-QUILL.BIB', 'ADA QUILL', 4],
      ['colleague.txt', 'Bo Ström', 2],
      ['zotero-bo.bib', 'Bo Ström', 3],
    ]);
    expect(corpus.diagnostics.map((d) => `${path.basename(d.file)}:${d.line}: ${d.reason}`)).toEqual([
      'huge.bib:1: file is larger than 2 MB; skipped',
      'notes.bib:1: file has no BibTeX entry (is it a .bib file?)',
    ]);
    // "First Good Paper on Causal Slots" is on the page and in zotero-bo.bib: one paper.
    expect(corpus.papers).toHaveLength(2 + 4 + 3 - 1);
  });

  it('reads UTF-8 bytes as a strict TextDecoder does, a leading byte-order mark dropped', () => {
    const bom = Buffer.from([0xef, 0xbb, 0xbf]);
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 64 }), fc.string({ unit: 'binary' }), (noise, text) => {
        for (const bytes of [noise, Buffer.from(text), Buffer.concat([bom, Buffer.from(text)]), Buffer.concat([bom, bom, noise])]) {
          if ((bytes[0] === 0xff && bytes[1] === 0xfe) || (bytes[0] === 0xfe && bytes[1] === 0xff)) continue;
          let strict: string;
          try {
            strict = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
          } catch {
            continue;
          }
          expect(decodePage(bytes)).toEqual({ text: strict, note: null });
        }
      }),
    );
    expect(decodePage(Buffer.concat([bom, Buffer.from('Ström')])).text).toBe('Ström');
  });

  it('reads a UTF-16 page and a Windows-1252 page', async () => {
    const small = readFileSync(`${FIXTURES}/small.txt`, 'utf8');
    const utf16 = Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(small, 'utf16le')]);
    const cp1252 = Buffer.from(small.replace('Bo Ström et al.', 'Bo Str\u00f6m et al.').replace(/[^\u0000-\u00ff]/g, '?'), 'latin1');
    const dir = pagesDir('encodings', { 'a.txt': utf16, 'b.txt': cp1252 });
    const corpus = await loadCorpus(dir, { asOf: AS_OF });
    expect(corpus.profiles.map((p) => p.papersRead)).toEqual([2, 2]);
    expect(corpus.papers.flatMap((p) => p.authors)).toContain('Bo Ström');
    expect(corpus.diagnostics.map((d) => `${path.basename(d.file)}:${d.line}: ${d.reason}`)).toEqual(['b.txt:1: page is not UTF-8; read as Windows-1252']);
  });

  it('reads CORPUS_AS_OF only through the config, never from the environment itself', async () => {
    const config = loadConfig({ CORPUS_AS_OF: '2026-05-01', DATA_DIR: 'data' }, { requireToken: false });
    const corpus = await loadCorpus(config.profilesDir, { asOf: config.corpusAsOf ?? undefined });
    expect(corpus.papers.find((p) => p.title.startsWith('Reconciling Causality'))?.date).toBe('2025-06-03');
    const saved = process.env.CORPUS_AS_OF;
    try {
      delete process.env.CORPUS_AS_OF;
      const without = await loadCorpus('data/profiles');
      process.env.CORPUS_AS_OF = '2026-05-01';
      const withEnv = await loadCorpus('data/profiles');
      expect(withEnv.papers.map((p) => p.date)).toEqual(without.papers.map((p) => p.date));
    } finally {
      if (saved === undefined) delete process.env.CORPUS_AS_OF;
      else process.env.CORPUS_AS_OF = saved;
    }
  });
});

describe('decodePage', () => {
  it('reads UTF-8 with binary junk as UTF-8, leaving the junk to the parser', () => {
    const bytes = Buffer.concat([Buffer.from('Sébastien\n'), Buffer.from([0x00, 0xff, 0xfe, 0x0a])]);
    expect(decodePage(bytes)).toEqual({ text: 'Sébastien\n\u0000\ufffd\ufffd\n', note: null });
  });
});

describe('loadCorpusFromFiles', () => {
  it('merges pages given as text without touching the disk', () => {
    const corpus = loadCorpusFromFiles(
      [
        { file: 'a.txt', text: readFileSync(`${FIXTURES}/small.txt`, 'utf8') },
        { file: 'b.txt', text: readFileSync(`${FIXTURES}/colleague.txt`, 'utf8') },
      ],
      { asOf: AS_OF },
    );
    expect(corpus.papers.map((p) => p.owners)).toEqual([['Ada Example'], ['Ada Example', 'Bo Ström'], ['Bo Ström']]);
  });
});

describe('npm run corpus', () => {
  const dataDir = path.join(scratch, 'data');
  mkdirSync(path.join(dataDir, 'profiles'), { recursive: true });
  copyFileSync(SEED_FILE, path.join(dataDir, 'profiles', 'francesco-locatello.txt'));
  const env = { ...process.env, DATA_DIR: dataDir, CORPUS_AS_OF: '2026-11-27' };
  const cli = (args: string[], extraEnv: Record<string, string> = {}) =>
    run(process.execPath, ['--import', 'tsx', 'src/cli/corpus.ts', ...args], { env: { ...env, ...extraEnv } });

  it('prints only JSON with --json: the profiles and the 50 papers', async () => {
    const { stdout } = await cli(['--json']);
    const dump = JSON.parse(stdout) as { profiles: unknown[]; papers: unknown[]; diagnostics: unknown[] };
    expect(dump.papers).toHaveLength(50);
    for (const paper of dump.papers) expect(PaperSchema.safeParse(paper).success).toBe(true);
    expect(dump.profiles).toEqual([
      expect.objectContaining({ owner: 'Francesco Locatello', papersListed: 105, papersRead: 50, stats: expect.objectContaining({ hIndex: 137 }) }),
    ]);
    expect(dump.diagnostics).toEqual([expect.objectContaining({ line: SEED_HEADER_LINE, reason: SEED_HEADER_REASON })]);
  });

  it('prints a summary per page, category and year', async () => {
    const { stdout } = await cli([]);
    expect(stdout).toContain('50 papers from 1 page in');
    expect(stdout).toContain('Francesco Locatello: 50 / 105');
    expect(stdout).toMatch(/34 {2}cs\.LG Machine Learning/);
    expect(stdout).toMatch(/2026 +12/);
    expect(stdout).toContain(`Diagnostics (1)\n  ${path.join(dataDir, 'profiles', 'francesco-locatello.txt')}:${SEED_HEADER_LINE}: ${SEED_HEADER_REASON}`);
  });

  it('exits 1 with a clear message when the pages cannot be read', async () => {
    const failure = await cli(['--json'], { DATA_DIR: path.join(scratch, 'nowhere') }).catch((e: { code: number; stderr: string; stdout: string }) => e);
    expect('code' in failure ? failure.code : 0).toBe(1);
    expect(failure.stdout).toBe('');
    expect(failure.stderr.replaceAll(scratch, '<tmp>')).toMatchInlineSnapshot(`
      "corpus: cannot read the profile directory <tmp>/nowhere/profiles: it does not exist
      "
    `);
  });
});
