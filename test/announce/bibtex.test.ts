/** Announcements when a lab adds and edits BibTeX files: new entries are announced once, added fields never. */
import { readFileSync } from 'node:fs';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createAnnouncer, type Announcer } from '../../src/announce/announcer.js';
import { loadCorpusFromFiles, type PageFile } from '../../src/corpus/load.js';
import { tempDatabase, type TempDatabase } from '../db/helpers.js';
import { arrayLogger, manualScheduler, recordingPost } from './helpers.js';

const AS_OF = new Date('2026-11-27T00:00:00Z');
const CHANNEL = '123456789012345678';
const GUILD = '223456789012345678';
const SEED: PageFile = { file: 'data/profiles/francesco-locatello.txt', text: readFileSync('data/profiles/francesco-locatello.txt', 'utf8') };
const DBLP: PageFile = { file: 'data/profiles/francesco-locatello.bib', text: readFileSync('test/fixtures/bib/francesco-locatello.bib', 'utf8') };

/** The DBLP file as a lab member might edit it: an abstract, a DOI and a code link added to every entry. */
function withAddedFields(bib: PageFile): PageFile {
  const text = bib.text.replace(
    /(\n\s*year\s*=\s*\{\d{4}\},)/g,
    '$1\n  abstract = {We add an abstract long enough to count as one, about objects, slots and the scenes they make up, read from real images.},\n  doi = {10.5555/edited.0001},\n  code = {https://github.com/example/edited},',
  );
  return { ...bib, text };
}

let database: TempDatabase;
let announcer: Announcer | null;

beforeEach(async () => {
  database = await tempDatabase('announce-bib');
  announcer = null;
});

afterEach(async () => {
  await announcer?.stop();
  await database.remove();
});

describe('announcing papers from BibTeX files', () => {
  it('announces a new entry once, and nothing when entries of known papers gain fields', async () => {
    const recorder = recordingPost();
    announcer = await createAnnouncer({
      db: database.handle.db,
      start: { guildId: GUILD, channelId: CHANNEL },
      post: recorder.post,
      log: arrayLogger().log,
      schedule: manualScheduler().schedule,
    });
    announcer.update(loadCorpusFromFiles([SEED], { asOf: AS_OF }));
    await announcer.idle();
    expect(recorder.attempts).toBe(0);

    // The .bib covers two papers of the page and one the page lacks.
    announcer.update(loadCorpusFromFiles([SEED, DBLP], { asOf: AS_OF }));
    await announcer.idle();
    expect(recorder.titles()).toEqual(['Object-Centric Learning with Slot Attention']);

    const edited = withAddedFields(DBLP);
    expect(edited.text).not.toBe(DBLP.text);
    const corpus = loadCorpusFromFiles([SEED, edited], { asOf: AS_OF });
    expect(corpus.papers.filter((p) => p.doi === '10.5555/edited.0001').length).toBeGreaterThanOrEqual(3);
    announcer.update(corpus);
    await announcer.idle();
    expect(recorder.titles()).toEqual(['Object-Centric Learning with Slot Attention']);
  });
});
