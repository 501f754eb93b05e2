import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import { shippedStyles } from '../../src/cite/index.js';
import cite from '../../commands/cite.js';
import { CITATION_STYLES, citationKey, EXPORT_FORMATS, formatCitation } from '../../src/cite/index.js';
import { UserError, type AutocompleteRequest, type CommandContext, type CommandRequest, type OptionValues } from '../../src/discord/command.js';
import { LIMITS } from '../../src/discord/limits.js';
import { contextFor, seedPage } from '../cite/library.js';

// citeproc compiles a big style (Chicago's) in seconds: once per file, before the tests that cite.
beforeAll(async () => expect(await shippedStyles().warm()).toEqual([]), 120_000);

const INVOKER = { userId: '1', guildId: '2', channelId: '3', permissions: null };
const request = (options: OptionValues): CommandRequest => ({ command: 'cite', options, invoker: INVOKER });
const autocomplete = (value: string, name = 'paper'): AutocompleteRequest => ({ ...request({ [name]: value }), focused: { name, value } });

let ctx: CommandContext;
beforeAll(async () => {
  ctx = contextFor([await seedPage()]);
});

// The error a handler throws, for snapshotting its wording.
async function userErrorOf(options: OptionValues): Promise<string> {
  try {
    await cite.execute(request(options), ctx);
  } catch (error) {
    if (error instanceof UserError) return error.message;
    throw error;
  }
  throw new Error('expected a UserError');
}

describe('/cite', () => {
  it('cites a paper picked from autocomplete in BibTeX by default, publicly', async () => {
    const [choice] = await cite.autocomplete(autocomplete('Assaying Out-Of'), ctx);
    expect(choice?.name).toBe('Assaying Out-Of-Distribution Generalization in Transfer Learning');
    const reply = await cite.execute(request({ paper: String(choice?.value) }), ctx);
    expect(reply.ephemeral).toBeFalsy();
    expect(reply.content).toMatch(/^```bibtex\n@misc\{wenzel2022assaying,\n {2}title = \{Assaying Out-Of-Distribution Generalization in Transfer Learning\},\n/);
    expect(reply.content).toContain('author = {Wenzel, Florian and Dittadi, Andrea and Gehler, Peter Vincent and others}');
    expect(reply.content?.endsWith('\n}\n```')).toBe(true);
  });

  it('finds a paper from free text and cites it in the chosen style as a plain block', async () => {
    const reply = await cite.execute(request({ paper: 'rotating features for object discovery', format: 'apa' }), ctx);
    expect(reply.content).toMatch(/^```\nLöwe, S\., Lippe, P\., Locatello, F\., et al\. \(2023\)\. Rotating features for object discovery \[Preprint\]\. arXiv\. https:\/\//);
    expect(reply.content?.endsWith('\n```')).toBe(true);
  });

  it('attaches RIS and CSL-JSON as files named by the citation key, with the record in a code block when it fits', async () => {
    const ris = await cite.execute(request({ paper: 'Causal Learning with the Invariance Principle', format: 'ris' }), ctx);
    const [file] = ris.files ?? [];
    expect(file?.name).toBe('montagna2026causal.ris');
    const text = new TextDecoder().decode(file?.data);
    expect(text.startsWith('TY  - UNPB\r\nTI  - Causal Learning with the Invariance Principle\r\n')).toBe(true);
    expect(ris.content).toBe(`\`\`\`\n${text.replace(/\r\n/g, '\n').trimEnd()}\n\`\`\``);

    const json = await cite.execute(request({ paper: 'boomerang distillation', format: 'csljson' }), ctx);
    expect(json.files?.map((f) => f.name)).toEqual(['kangaslahti2025boomerang.json']);
    expect(JSON.parse(new TextDecoder().decode(json.files?.[0]?.data))[0].title).toBe('Boomerang Distillation Enables Zero-Shot Model Size Interpolation');
    expect(json.content).toMatchInlineSnapshot(`"CSL-JSON of “Boomerang Distillation Enables Zero-Shot Model Size Interpolation” attached as kangaslahti2025boomerang.json (too long to show here): open it in Zotero, Mendeley or EndNote to import the paper."`);
  });

  it('cites a complete author list as complete in every style', async () => {
    const index = ctx.library().index;
    const paper = index.lookupPaper('Causal Learning with the Invariance Principle').paper;
    expect(paper?.authors).toEqual(['Francesco Montagna', 'Francesco Locatello']);
    for (const style of CITATION_STYLES) {
      const reply = await cite.execute(request({ paper: paper?.id ?? '', format: style }), ctx);
      const sent = reply.files?.[0] ? new TextDecoder().decode(reply.files[0].data) : (reply.content ?? '');
      expect(sent).toContain(await formatCitation(paper!, style));
      expect(sent).not.toMatch(/et al\.|and others|further authors/);
    }
  });

  it('gives every seed paper, in every style, a closed block within the message limit', async () => {
    for (const paper of ctx.library().corpus.papers) {
      for (const style of CITATION_STYLES) {
        const { content = '', files = [] } = await cite.execute(request({ paper: paper.id, format: style }), ctx);
        expect(content.length).toBeLessThanOrEqual(LIMITS.messageContent);
        if (EXPORT_FORMATS[style]) {
          expect(files).toHaveLength(1);
          if (paper.authorsTruncated) expect(new TextDecoder().decode(files[0]?.data)).toContain('there are further authors');
          continue;
        }
        expect(content.split('```')).toHaveLength(3);
        if (paper.authorsTruncated) expect(content).toMatch(style === 'bibtex' ? / and others\}/ : /et al\./);
      }
    }
  });

  it('gives every seed paper its own BibTeX key', () => {
    const keys = ctx.library().corpus.papers.map(citationKey);
    expect(keys.length).toBeGreaterThan(40);
    expect(new Set(keys).size).toBe(keys.length);
  });

  it('explains a query that matches nothing, quoting it escaped', async () => {
    expect(await userErrorOf({ paper: 'zzzqqq **xylophone** @everyone' })).toMatchInlineSnapshot(`"No paper matches “zzzqqq \\*\\*xylophone\\*\\* @​everyone”. Try /search to look for it, or pick a title from the list as you type."`);
  });

  it('suggests close titles when nothing matches', async () => {
    expect(await userErrorOf({ paper: 'quantum chromodynamics' })).toMatchInlineSnapshot(`
      "No paper matches “quantum chromodynamics”. Try /search to look for it, or pick a title from the list as you type.
      Did you mean:
      • Reconciling Causality and Non-Equilibrium Thermodynamics with Hamiltonian Causal Models"
    `);
  });

  it('finds a paper by the acronym its abstract names', async () => {
    const reply = await cite.execute(request({ paper: 'DINOSAUR', format: 'ieee' }), ctx);
    expect(reply.content).toMatch(/^```\nM\. Seitzer, M\. Horn, A\. Zadaianchuk, et al\., “Bridging the Gap to Real-World Object-Centric Learning,” Sep\. 29, 2022, arXiv\. /);
  });

  it('cites the best of several matching papers and names the others', async () => {
    const reply = await cite.execute(request({ paper: 'causal', format: 'apa' }), ctx);
    const [note = '', ...rest] = (reply.content ?? '').split('\n```')[0]?.split('\n') ?? [];
    // Every seed paper whose title or abstract has the word counts, the cited one included.
    const matching = ctx.library().corpus.papers.filter((p) => /causal/i.test(`${p.title} ${p.abstract}`));
    expect(matching.length).toBeGreaterThan(1);
    expect(note).toMatch(new RegExp(`^1 of ${matching.length} papers matching “causal”: “.+”, pick another with \`/cite paper:\`$`));
    expect(rest.length).toBeGreaterThan(0);
    for (const line of rest) expect(matching.map((p) => `• ${p.title}`)).toContain(line);
    expect(reply.content).toMatch(/\n```\n.+\n```$/);
  });

  it('asks for a paper when the option is blank', async () => {
    expect(await userErrorOf({ paper: '   ' })).toMatchInlineSnapshot(`"Name the paper to cite: start typing its title and pick it from the list."`);
  });

  it('names the formats when given an unknown one', async () => {
    expect(await userErrorOf({ paper: 'Assaying', format: 'harvard' })).toMatchInlineSnapshot(`"There is no citation format “harvard”. Choose one of: bibtex, apa, mla, chicago, ieee, ris, csljson."`);
  });
});

describe('/cite autocomplete', () => {
  it('offers the newest titles for empty input', async () => {
    const choices = await cite.autocomplete(autocomplete(''), ctx);
    expect(choices.length).toBeGreaterThan(0);
    expect(choices[0]?.name).toBe(ctx.library().corpus.papers[0]?.title);
  });

  it('answers any input with at most 25 choices within Discord limits', async () => {
    await await fc.assert(
      fc.asyncProperty(fc.string({ maxLength: 200 }), async (typed) => {
        const choices = await cite.autocomplete(autocomplete(typed), ctx);
        expect(choices.length).toBeLessThanOrEqual(LIMITS.autocompleteChoices);
        for (const choice of choices) {
          expect(choice.name.length).toBeGreaterThan(0);
          expect(choice.name.length).toBeLessThanOrEqual(LIMITS.choiceName);
          expect(String(choice.value).length).toBeLessThanOrEqual(LIMITS.choiceValue);
          expect(ctx.library().index.get(String(choice.value))).toBeDefined();
        }
      }),
      { numRuns: 50 },
    );
  });

  it('offers the formats and styles whose id or name holds the typed text', async () => {
    expect(await cite.autocomplete(autocomplete('ap', 'format'), ctx)).toEqual([{ name: 'APA (7th edition)', value: 'apa' }]);
    const every = ['bibtex', 'apa', 'mla', 'chicago', 'ieee', 'ris', 'csljson'];
    expect((await cite.autocomplete(autocomplete('', 'format'), ctx)).map((choice) => choice.value)).toEqual(every);
    expect((await cite.autocomplete(autocomplete('harvard', 'format'), ctx)).map((choice) => choice.value)).toEqual(every);
  });

  it('offers nothing for an option that does not autocomplete', async () => {
    expect(await cite.autocomplete(autocomplete('ap', 'other'), ctx)).toEqual([]);
  });
});
