/** `ask --image`: the picture a reply carries, written to a file; the files listed when not asked for. */
import { mkdtemp, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { runAsk } from '../../src/cli/ask.js';
import { decodePng } from '../render/png.js';

async function ask(...argv: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  let stdout = '';
  let stderr = '';
  const code = await runAsk(argv, (text) => (stdout += text), (text) => (stderr += text));
  return { code, stdout, stderr };
}

describe('ask --image', () => {
  it("writes /stats's chart and /coauthor's network as PNG files", async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'paperbot-ask-'));
    for (const [argv, name] of [[['stats'], 'stats.png'], [['coauthor', '--name', 'Dingling Yao', '--with', 'Francesco Locatello'], 'coauthor.png']] as const) {
      const file = path.join(dir, name);
      const run = await ask(...argv, '--image', file);
      expect(run).toEqual({ code: 0, stdout: expect.stringMatching(new RegExp(`^Wrote ${name} to ${file.replace(/[.\\/]/g, '\\$&')} \\(\\d+ KB\\)\\n$`)) as unknown as string, stderr: '' });
      const png = decodePng(await readFile(file));
      expect(png.width).toBeGreaterThanOrEqual(800);
    }
  });

  it('says so for a reply without a picture, and lists the attached files in the readable reply', async () => {
    expect(await ask('latest', '--count', '1', '--image', path.join(tmpdir(), 'never.png'))).toEqual({ code: 1, stdout: '', stderr: 'ask: this reply carries no picture\n' });
    const plain = await ask('stats');
    expect(plain.stdout).toMatch(/\n│ \[image attachment:\/\/stats\.png\]\n/);
    expect(plain.stdout).toMatch(/\nAttached: stats\.png \(\d+ KB, the embed's image\) — Bar chart: papers per year by category, whole corpus \(--image <file> writes it\)\n$/);
  });
});
