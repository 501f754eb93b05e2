/**
 * The citation thread (src/cite/worker.ts): citeproc compiles a style off the main thread, so the main thread's
 * event loop keeps turning meanwhile; its failures reach the caller as rejections naming the style; an idle thread
 * keeps no process alive.
 */
import { execFile } from 'node:child_process';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { CitationStyleError, CitationStyles, formatCitation } from '../../src/cite/index.js';
import { INVARIANCE } from './papers.js';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));

describe('the citation thread', () => {
  it('keeps the main thread\'s event loop turning while a style compiles', async () => {
    const { styles } = CitationStyles.load(null);
    const events: string[] = [];
    const ticking = setInterval(() => events.push('tick'), 10);
    try {
      // Chicago's engine is compiled by this first citation: one synchronous citeproc call of seconds.
      const cited = await formatCitation(INVARIANCE, 'chicago', styles);
      events.push('cited');
      expect(cited).toMatch(/^Montagna, Francesco/);
    } finally {
      clearInterval(ticking);
      await styles.close();
    }
    // The timer ran while the compile was under way: the event loop was never held by it.
    expect(events.indexOf('tick')).toBe(0);
    expect(events.at(-1)).toBe('cited');
  }, 120_000);

  it('rejects a citation in a style citeproc cannot compile, naming the file, and reports it from warm', async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'paperbot-styles-'));
    const file = path.join(dir, 'bogus.csl');
    // Well-formed and with a bibliography, so it is offered; but its layouts hold an element CSL does not have.
    await writeFile(file, '<style xmlns="http://purl.org/net/xbiblio/csl" class="in-text" version="1.0"><info><title>Bogus</title></info><citation><layout><bogus/></layout></citation><bibliography><layout><bogus variable="title"/></layout></bibliography></style>');
    const { styles, problems } = CitationStyles.load(dir);
    try {
      expect(problems).toEqual([]);
      const failed = formatCitation(INVARIANCE, 'bogus', styles);
      await expect(failed).rejects.toBeInstanceOf(CitationStyleError);
      await expect(failed).rejects.toThrow(`cite: ${file}: citeproc cannot use this style`);
      expect(await styles.warm()).toEqual([expect.stringContaining(`cite: ${file}: citeproc cannot use this style`)]);
      // The other styles are not held up by it.
      expect(await formatCitation(INVARIANCE, 'ieee', styles)).toMatch(/^F\. Montagna and F\. Locatello/);
    } finally {
      await styles.close();
    }
  }, 120_000);

  it('fails a request that outlasts its time with a message, and starts a new thread for the next one', async () => {
    // A 1 ms bound no compile meets: each request fails on it, the thread is replaced, and nothing hangs.
    const { styles } = CitationStyles.load(null, 1);
    try {
      await expect(formatCitation(INVARIANCE, 'apa', styles)).rejects.toThrow('cite: the citation thread took longer than 0.001 s citing in the style "apa"; it was restarted');
      await expect(formatCitation(INVARIANCE, 'apa', styles)).rejects.toThrow('took longer than');
      expect(styles.isBuilt('apa')).toBe(false);
    } finally {
      await styles.close();
    }
    await expect(formatCitation(INVARIANCE, 'apa', styles)).rejects.toThrow('cite: the citation styles are closed');
  });

  it('lets a process end once its citations are answered, without closing the styles', async () => {
    const script = [
      "const { CitationStyles, formatCitation } = await import('./src/cite/index.ts');",
      "const { INVARIANCE } = await import('./test/cite/papers.ts');",
      'const { styles } = CitationStyles.load(null);',
      "process.stdout.write(await formatCitation(INVARIANCE, 'ieee', styles));",
    ].join('\n');
    // execFile's own limit only stops a process that would otherwise be left running: the run fails then.
    const { stdout } = await promisify(execFile)(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], { cwd: ROOT, timeout: 100_000, killSignal: 'SIGKILL' });
    expect(stdout).toMatch(/^F\. Montagna and F\. Locatello/);
  }, 120_000);
});
