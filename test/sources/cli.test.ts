import { execFile } from 'node:child_process';
import { copyFile, mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Paper } from '../../src/corpus/schema.js';
import { REPO_ROOT, SEED_PAGE } from '../e2e/bot-process.js';
import type { WorkSpec } from './standins/fixtures.js';
import { ScholarlyStandIn } from './standins/server.js';

const run = promisify(execFile);
const standIn = new ScholarlyStandIn();
let root = '';
let env: NodeJS.ProcessEnv = {};

async function cli(script: 'sources' | 'corpus', ...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await run(process.execPath, ['--import', 'tsx', `src/cli/${script}.ts`, ...args], { cwd: REPO_ROOT, env, maxBuffer: 64 * 1024 * 1024 });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const failed = error as { code: number; stdout: string; stderr: string };
    return { code: failed.code, stdout: failed.stdout, stderr: failed.stderr };
  }
}

const ADA_WORKS: WorkSpec[] = Array.from({ length: 450 }, (_, i) => ({ id: `W7${String(i).padStart(5, '0')}`, title: `Ada's work ${i}`, authors: [{ name: 'Ada Quill', id: 'A5000000001' }], date: '2025-02-01' }));

beforeAll(async () => {
  await standIn.start();
  root = await mkdtemp(path.join(os.tmpdir(), 'paperbot-sources-'));
  await mkdir(path.join(root, 'data/profiles'), { recursive: true });
  await copyFile(SEED_PAGE, path.join(root, 'data/profiles/francesco-locatello.txt'));
  await writeFile(path.join(root, 'data/lab.yaml'), 'contact: admin@lab.example\nmembers:\n  - name: Francesco Locatello\n  - name: Ada Quill\n    openalex: A5000000001\n');
  standIn.authors.set('A111', {
    id: 'A111',
    name: 'Francesco Locatello',
    works: [
      // The page's "Toward Identifiable Sparse Autoencoders" (2026-05-29), by title only.
      { id: 'W1', title: 'Toward identifiable sparse autoencoders', authors: [{ name: 'Walter Nelson' }, { name: 'Theofanis Karaletsos' }, { name: 'Francesco Locatello', id: 'A111' }], date: '2026-05-29', arxivId: '2605.00001', citedBy: 5 },
      // A decoy: the title of a page paper, by other people, years before.
      { id: 'W2', title: 'The Rate-Distortion-Polysemanticity Tradeoff in SAEs', authors: [{ name: 'Zed Other' }], date: '2019-03-01', venue: { name: 'Decoy Journal', type: 'journal' } },
      { id: 'W3', title: 'A Brand New Work', authors: [{ name: 'Francesco Locatello', id: 'A111' }], date: '2026-07-01', venue: { name: 'Proceedings of Things', type: 'conference' } },
    ],
  });
  // A namesake whose works match none of the page's titles.
  standIn.authors.set('A222', { id: 'A222', name: 'Francesco Locatello', works: [{ id: 'W9', title: 'Unrelated Botany', authors: [{ name: 'Francesco Locatello' }], date: '2001-01-01' }] });
  standIn.authors.set('A5000000001', { id: 'A5000000001', name: 'Ada Quill', works: ADA_WORKS });
  standIn.arxiv.set('2605.00001', { id: '2605.00001', title: 'Toward Identifiable Sparse Autoencoders', authors: ['Walter Nelson', 'Theofanis Karaletsos', 'Francesco Locatello'], published: '2026-05-29', primaryCategory: 'cs.LG', categories: ['cs.LG', 'stat.ML'] });
  env = { PATH: process.env['PATH'], HOME: process.env['HOME'], DATA_DIR: path.join(root, 'data'), STATE_DIR: path.join(root, 'state'), LOG_LEVEL: 'error', ARXIV_INTERVAL_MS: '0', CORPUS_AS_OF: '2026-12-01', ...standIn.env() };
  await mkdir(path.join(root, 'state'));
});

afterAll(async () => {
  await standIn.stop();
  await rm(root, { recursive: true, force: true });
});

describe('npm run sources', () => {
  it('reads every member, finds the author of a member without an id by titles, and reports merged, new, unmatched and ambiguous', async () => {
    const pagesOnly = JSON.parse((await cli('corpus', '--json')).stdout) as { papers: Paper[] };
    const result = await cli('sources', '--json');
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    const report = JSON.parse(result.stdout) as { members: Array<Record<string, unknown> & { author: { id: string; why: string } | null; unmatched: unknown[]; ambiguous: Array<{ work: string; reason: string }> }>; failed: boolean };
    const [francesco, ada] = report.members;
    expect(francesco?.author?.id).toBe('A111');
    expect(francesco?.author?.why).toMatch(/^chosen: 2 of \d+ titles in .*francesco-locatello\.txt match its works; next best A222 with 0$/);
    expect(francesco).toMatchObject({ found: 3, merged: 1, new: 2, error: null });
    // Every page paper but the one merged matched no work.
    expect(francesco?.unmatched).toHaveLength(pagesOnly.papers.length - 1);
    expect(francesco?.ambiguous).toEqual([expect.objectContaining({ work: 'The Rate-Distortion-Polysemanticity Tradeoff in SAEs', reason: 'same title, but years 2019 and 2026, no author in common' })]);
    expect(ada).toMatchObject({ found: 450, merged: 0, new: 450, author: expect.objectContaining({ id: 'A5000000001', why: 'pinned in lab.yaml' }) });
    const arxivQueries = standIn.requests.filter((r) => r.service === 'arxiv');
    expect(arxivQueries.map((q) => q.query.get('id_list'))).toEqual(['2605.00001']);

    // `npm run corpus` now serves the works fetched: the page's papers, Francesco's two new works and Ada's 450.
    const corpus = JSON.parse((await cli('corpus', '--json')).stdout) as { papers: Paper[] };
    expect(corpus.papers).toHaveLength(pagesOnly.papers.length + 2 + 450);
    const merged = corpus.papers.find((p) => p.title === 'Toward Identifiable Sparse Autoencoders');
    expect(merged).toMatchObject({ arxivId: '2605.00001', openalexId: 'W1', categories: ['cs.LG', 'stat.ML'], citedBy: { count: 5, source: 'OpenAlex' }, id: pagesOnly.papers.find((p) => p.title === 'Toward Identifiable Sparse Autoencoders')?.id });
    expect(merged?.provenance).toMatchObject({ title: 'page', arxivId: 'openalex', categories: 'arxiv' });
    expect(corpus.papers.filter((p) => p.title === 'The Rate-Distortion-Polysemanticity Tradeoff in SAEs')).toHaveLength(2);
  }, 120_000);

  it('exits 1 when the sources cannot be read, and the works read before keep serving', async () => {
    const before = JSON.parse((await cli('corpus', '--json')).stdout) as { papers: Paper[] };
    await standIn.stop();
    const result = await cli('sources');
    expect(result.code).toBe(1);
    expect(result.stdout).toMatch(/ERROR: OpenAlex: cannot be reached/);
    const after = JSON.parse((await cli('corpus', '--json')).stdout) as { papers: Paper[] };
    expect(after.papers.map((p) => p.id)).toEqual(before.papers.map((p) => p.id));
  }, 120_000);
});
