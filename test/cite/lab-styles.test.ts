/** A lab's own CSL styles in DATA_DIR/styles: offered beside the shipped ones; a bad file named, never a crash. */
import { mkdtemp, writeFile, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import { CitationStyles, formatCitation, openCitationStyles } from '../../src/cite/index.js';
import { SHIPPED_STYLES_DIR } from '../../src/cite/styles.js';
import { INVARIANCE } from './papers.js';

describe('CitationStyles.load', () => {
  it('offers a dropped .csl file by its name, and names each file it cannot use', async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'paperbot-styles-'));
    // A real independent style (IEEE's, renamed) stands for the journal style a lab would drop in.
    await writeFile(path.join(dir, 'our-journal.csl'), await readFile(path.join(SHIPPED_STYLES_DIR, 'ieee.csl'), 'utf8'));
    await writeFile(path.join(dir, 'broken.csl'), '<style><info><title>Broken</title></info><bibliography>');
    await writeFile(path.join(dir, 'dependent.csl'), '<style xmlns="http://purl.org/net/xbiblio/csl"><info><title>Nature</title><link href="http://www.zotero.org/styles/nature" rel="independent-parent"/></info></style>');
    await writeFile(path.join(dir, 'apa.csl'), '<style/>');
    const { styles, problems } = CitationStyles.load(dir);
    expect(styles.list().map((style) => style.id)).toEqual(['apa', 'mla', 'chicago', 'ieee', 'our-journal']);
    expect(await formatCitation(INVARIANCE, 'our-journal', styles)).toBe(await formatCitation(INVARIANCE, 'ieee', styles));
    expect(problems.map((problem) => problem.replace(dir, 'DIR'))).toEqual([
      'cite: DIR/apa.csl: the name "apa" is taken by a built-in format; rename the file',
      expect.stringMatching(/^cite: DIR\/broken\.csl:1: not well-formed XML: /) as unknown as string,
      'cite: DIR/dependent.csl: a dependent style (it only points to http://www.zotero.org/styles/nature); add that parent style\'s file instead',
    ]);
  });
});

describe('building the engines at start', () => {
  it('returns the styles before compiling any, then compiles each in the background', async () => {
    const dataDir = await mkdtemp(path.join(tmpdir(), 'paperbot-data-'));
    const warned: string[] = [];
    const styles = openCitationStyles(dataDir, (problem) => warned.push(problem));
    const ids = styles.list().map((style) => style.id);
    expect(ids.filter((id) => styles.isBuilt(id))).toEqual([]);
    await vi.waitFor(() => expect(ids.filter((id) => styles.isBuilt(id))).toEqual(ids), { timeout: 120_000, interval: 50 });
    expect(warned).toEqual([]);
  }, 150_000);

  it('answers a citation asked for while the engines compile before the compiles queued after it', async () => {
    const { styles } = CitationStyles.load(null);
    const warming = styles.warm(false);
    // The background build asks for one style at a time (APA, MLA, Chicago, IEEE): an IEEE citation asked for now
    // is answered after APA's compile, before Chicago's.
    expect(await formatCitation(INVARIANCE, 'ieee', styles)).toContain('“');
    expect(styles.isBuilt('ieee')).toBe(true);
    expect(styles.isBuilt('chicago')).toBe(false);
    expect(await warming).toEqual([]);
    expect(styles.list().every((style) => styles.isBuilt(style.id))).toBe(true);
    await styles.close();
  }, 150_000);
});
