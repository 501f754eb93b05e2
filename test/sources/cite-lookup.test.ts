import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import cite from '../../commands/cite.js';
import { UserError, type CommandContext, type CommandRequest, type OptionValues } from '../../src/discord/command.js';
import { silentLogger } from '../../src/log.js';
import { arxivClient } from '../../src/sources/arxiv.js';
import { crossrefClient } from '../../src/sources/crossref.js';
import { sourceLookup } from '../../src/sources/cache.js';
import { contextFor, seedPage } from '../cite/library.js';
import { ScholarlyStandIn } from './standins/server.js';

const INVOKER = { userId: '1', guildId: '2', channelId: '3', permissions: null };
const request = (options: OptionValues): CommandRequest => ({ command: 'cite', options, invoker: INVOKER });
const standIn = new ScholarlyStandIn();
let ctx: CommandContext;
let offline: CommandContext;

beforeAll(async () => {
  await standIn.start();
  standIn.crossref.set('10.5555/12345678', { doi: '10.5555/12345678', title: 'A Study of Things', authors: [{ given: 'Ada', family: 'Lovelace' }, { given: 'Charles', family: 'Babbage' }], issued: [2024, 3, 15], container: 'Journal of Examples', volume: '12', issue: '3', page: '100-110', publisher: 'Example Press' });
  standIn.arxiv.set('2401.09999', { id: '2401.09999', title: 'An Outside Preprint', authors: ['Ivo Marek', 'Nia Ode'], published: '2024-01-20', primaryCategory: 'cs.CV', categories: ['cs.CV'] });
  offline = contextFor([await seedPage()]);
  const clients = {
    crossref: crossrefClient({ baseUrl: `${standIn.origin}/crossref`, contact: 'admin@lab.example', log: silentLogger, intervalMs: 0 }),
    arxiv: arxivClient({ baseUrl: `${standIn.origin}/arxiv`, contact: 'admin@lab.example', log: silentLogger, intervalMs: 0 }),
  };
  ctx = { ...offline, lookup: sourceLookup(clients) };
});
afterAll(() => standIn.stop());

async function userErrorOf(context: CommandContext, options: OptionValues): Promise<string> {
  try {
    await cite.execute(request(options), context);
  } catch (error) {
    if (error instanceof UserError) return error.message;
    throw error;
  }
  throw new Error('expected a UserError');
}

describe('/cite of a paper outside the corpus', () => {
  it('fetches a DOI (bare or as a doi.org URL) from Crossref, once, and writes it in every style', async () => {
    const bibtex = await cite.execute(request({ paper: 'https://doi.org/10.5555/12345678' }), ctx);
    expect(bibtex.content).toContain('title = {A Study of Things}');
    expect(bibtex.content).toContain('author = {Lovelace, Ada and Babbage, Charles}');
    expect(bibtex.content).toContain('doi = {10.5555/12345678}');
    const apa = await cite.execute(request({ paper: '10.5555/12345678', format: 'apa' }), ctx);
    expect(apa.content).toContain('Lovelace, A., & Babbage, C. (2024');
    expect(standIn.requests.filter((r) => r.service === 'crossref')).toHaveLength(1);
  });

  it('fetches an arXiv id or an arxiv.org URL from arXiv', async () => {
    for (const query of ['2401.09999', 'https://arxiv.org/abs/2401.09999v2', 'arXiv:2401.09999']) {
      const reply = await cite.execute(request({ paper: query }), ctx);
      expect(reply.content).toContain('title = {An Outside Preprint}');
      expect(reply.content).toContain('2401.09999');
    }
  });

  it('answers an unknown id clearly, and says so where the bot does not look papers up', async () => {
    expect(await userErrorOf(ctx, { paper: '10.5555/nothing' })).toMatchInlineSnapshot(`"Crossref knows no paper with the DOI “10.5555/nothing”. Check it, or cite a paper of the corpus by its title."`);
    expect(await userErrorOf(ctx, { paper: '2401.00000' })).toMatchInlineSnapshot(`"arXiv knows no paper with the arXiv id “2401.00000”. Check it, or cite a paper of the corpus by its title."`);
    expect(await userErrorOf(offline, { paper: '10.5555/12345678' })).toMatchInlineSnapshot(`"No paper in the corpus has the DOI “10.5555/12345678”, and this bot does not look papers up (it has no DATA_DIR/lab.yaml)."`);
  });
});
