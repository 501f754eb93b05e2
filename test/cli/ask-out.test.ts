/** `ask --out` (and its older name `--image`): the file a reply attaches, written, with the reply still printed. */
import { mkdtemp, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Cite } from '@citation-js/core';
import '@citation-js/plugin-ris';
import { describe, expect, it } from 'vitest';
import { runAsk } from '../../src/cli/ask.js';
import { decodePng } from '../render/png.js';

async function ask(...argv: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  let stdout = '';
  let stderr = '';
  const code = await runAsk(argv, (text) => (stdout += text), (text) => (stderr += text));
  return { code, stdout, stderr };
}

describe('ask --out', () => {
  it("writes /stats's chart and /coauthor's network as PNG files, --image being the older name of --out", async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'paperbot-ask-'));
    for (const [argv, name, flag] of [[['stats'], 'stats.png', '--out'], [['coauthor', '--name', 'Dingling Yao', '--with', 'Francesco Locatello'], 'coauthor.png', '--image']] as const) {
      const file = path.join(dir, name);
      const run = await ask(...argv, flag, file);
      expect(run.code).toBe(0);
      expect(run.stderr).toBe('');
      // The reply stays on screen, and the last line says what was written where.
      expect(run.stdout).toMatch(new RegExp(`\\[image attachment://${name.replace('.', '\\.')}\\][\\s\\S]*\\nWrote ${name} to ${file.replace(/[.\\/]/g, '\\$&')} \\(\\d+ KB\\)\\n$`));
      const png = decodePng(await readFile(file));
      expect(png.width).toBeGreaterThanOrEqual(800);
    }
  });

  it('writes a RIS citation file that a RIS reader reads back, the reply printed above', async () => {
    const file = path.join(await mkdtemp(path.join(tmpdir(), 'paperbot-ask-')), 'cited.ris');
    const run = await ask('cite', '--paper', 'Causal Learning with the Invariance Principle', '--format', 'ris', '--out', file);
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('TY  - UNPB');
    expect(run.stdout).toMatch(/\nWrote montagna2026causal\.ris to .*cited\.ris \(\d+ KB\)\n$/);
    const [item] = new Cite(await readFile(file, 'utf8')).data as Array<{ title: string }>;
    expect(item?.title).toBe('Causal Learning with the Invariance Principle');
  });

  it('says so for a reply without an attachment, and lists the attached files in the readable reply', async () => {
    const none = await ask('latest', '--count', '1', '--out', path.join(tmpdir(), 'never.png'));
    expect(none.code).toBe(1);
    expect(none.stderr).toBe('ask: this reply attaches no file, so --out has nothing to write\n');
    const plain = await ask('stats');
    expect(plain.stdout).toMatch(/\n│ \[image attachment:\/\/stats\.png\]\n/);
    expect(plain.stdout).toMatch(/\nAttached: stats\.png \(\d+ KB, the embed's image\) — Bar chart: papers per year by category, whole corpus \(--out <file> writes it\)\n$/);
  });
});
