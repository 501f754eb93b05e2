/**
 * Property tests: for generated papers and arbitrary member input, every payload the bot would send passes an
 * independent check written from Discord's documentation (test/e2e/standin/validate.ts), pings nobody, and
 * shows member text escaped.
 */
import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import cite from '../../commands/cite.js';
import coauthor from '../../commands/coauthor.js';
import latest from '../../commands/latest.js';
import paper from '../../commands/paper.js';
import search from '../../commands/search.js';
import type { Paper } from '../../src/corpus/schema.js';
import { UserError, type Command, type CommandContext, type Reply } from '../../src/discord/command.js';
import { paperReply } from '../../src/discord/components.js';
import { defuseMentions, embedLength, escapeText, paperEmbed } from '../../src/discord/embeds.js';
import { LIMITS } from '../../src/discord/limits.js';
import { payloadJson, toPayload } from '../../src/discord/payload.js';
import { fitChoices } from '../../src/discord/options.js';
import type { Library } from '../../src/search/library.js';
import { arbitraryPaper, awkwardText } from '../cite/papers.js';
import { checkCallback, checkMessage, pingsOf } from '../e2e/standin/validate.js';
import { contextOf, INVOKER, testLibrary } from '../commands/context.js';

let library: Library;
let ctx: CommandContext;

beforeAll(async () => {
  library = await testLibrary();
  ctx = contextOf(library);
});

const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/** Bidi controls and control characters other than newline and tab: never shown. */
const CONTROLS = /[\u0000-\u0008\u000B-\u001F\u007F-\u009F\u061C\u200E\u200F\u202A-\u202E\u2066-\u2069]/;

/** Pieces of masked links, autolinks, URLs, mentions and bidi tricks, to build hostile member text from. */
const LINK_PIECES = ['[', ']', '(', ')', '<', '>', '\\', '\\\\', 'https://', 'http://evil.example', '@everyone', '@here', '<@123>', '<@&9>', '<#5>', '</x:1>', '[click](https://evil.example)', '\u202e', '\u2066', '\u200f', '\u061c', '\u0007', '\r', '*', '`', ' '];
const hostileText = fc.array(fc.oneof(fc.constantFrom(...LINK_PIECES), fc.string({ maxLength: 4 })), { maxLength: 30 }).map((pieces) => pieces.join(''));

/** Text as Discord's markdown reads it for syntax: every backslash-escaped punctuation character is a plain letter. */
function syntaxOf(text: string): string {
  return text.replace(/\\[^0-9A-Za-z\s]/g, 'x');
}

/** Text a member might type: hostile pieces, mentions, markdown and anything else, up to 250 code units. */
const memberText = fc.oneof(
  awkwardText({ maxLength: 250 }),
  fc.constantFrom('@everyone', '<@&123>', '<@456>', '@here slot attention', '**bold** _it_ `code`', ' ', '', 'causal', 'a'.repeat(250)),
  fc.string({ maxLength: 250 }),
);

/** A generated paper with everything the embed shows varied: abstract, affiliations, labels, hostile URLs. */
const shownPaper: fc.Arbitrary<Paper> = fc
  .record({
    base: arbitraryPaper,
    abstract: awkwardText({ maxLength: 8_000 }),
    affiliations: fc.array(awkwardText({ minLength: 1, maxLength: 300 }), { maxLength: 12 }),
    categoryCode: awkwardText({ minLength: 1, maxLength: 30 }),
    categoryLabel: awkwardText({ minLength: 1, maxLength: 300 }),
    codeUrl: fc.option(fc.oneof(fc.webUrl(), fc.constantFrom('javascript:alert(1)', `https://example.org/${'x'.repeat(600)}`)), { nil: null }),
    file: awkwardText({ minLength: 1, maxLength: 300 }),
  })
  .map(({ base, file, ...rest }) => ({ ...base, ...rest, category: rest.categoryCode, source: { file, line: 7 } }));

function allStrings(value: unknown): string[] {
  if (typeof value === 'string') return [value];
  if (Array.isArray(value)) return value.flatMap(allStrings);
  if (value && typeof value === 'object') return Object.values(value).flatMap(allStrings);
  return [];
}

/** What the member sees for a reply, or for the UserError the handler threw: the payload, checked. */
async function payloadOf(action: () => Reply | Promise<Reply>) {
  let reply: Reply;
  try {
    reply = await action();
  } catch (error) {
    if (!(error instanceof UserError)) throw error;
    reply = { content: error.message, ephemeral: true };
  }
  const payload = toPayload(reply);
  const { problems } = checkMessage(payloadJson(payload), { creates: !reply.update, interaction: true });
  expect(problems).toEqual([]);
  expect(pingsOf(payload.content, payload.allowed_mentions)).toEqual([]);
  for (const text of allStrings(payload)) {
    expect(text).not.toMatch(LONE_SURROGATE);
    expect(text).not.toMatch(/@everyone|@here|<@&?\d+>/);
    expect(text).not.toMatch(CONTROLS);
    expect(syntaxOf(text)).not.toMatch(/:\/\/evil\.example/);
  }
  return payload;
}

describe('member text shown back', () => {
  it('can form no masked link, autolink, bare URL or mention, and carries no control or bidi character', () => {
    fc.assert(
      fc.property(fc.oneof(hostileText, memberText), (text) => {
        const shown = escapeText(text);
        const syntax = syntaxOf(shown);
        expect(syntax).not.toMatch(/[[\]()<>]/);
        expect(syntax).not.toMatch(/[a-z]:\/\//i);
        expect(syntax).not.toMatch(/@(everyone|here)|<@/);
        expect(shown).not.toMatch(CONTROLS);
        expect(defuseMentions(text)).not.toMatch(CONTROLS);
      }),
      { numRuns: 1_000 },
    );
  });

  it('shows a masked link literally, its URL unlinked', () => {
    expect(escapeText('[click](https://evil.com) \u202eevil\u202c <@&1>')).toMatchInlineSnapshot(`"\\[click\\]\\(https\\://evil.com\\) evil \\<@​&1\\>"`);
  });
});

describe('paper embeds and replies for generated papers', () => {
  it('stay within every embed limit, link only http(s) URLs, and never split a surrogate pair', () => {
    fc.assert(
      fc.property(shownPaper, (p) => {
        const embed = paperEmbed(p);
        expect(embed.title!.length).toBeLessThanOrEqual(LIMITS.embedTitle);
        expect(embed.description!.length).toBeLessThanOrEqual(LIMITS.embedDescription);
        expect(embed.fields!.length).toBeLessThanOrEqual(LIMITS.embedFields);
        for (const field of embed.fields!) {
          expect(field.name.length).toBeLessThanOrEqual(LIMITS.embedFieldName);
          expect(field.value.length).toBeLessThanOrEqual(LIMITS.embedFieldValue);
        }
        expect(embedLength(embed)).toBeLessThanOrEqual(LIMITS.embedTotal);
        expect(embed.url).toMatch(/^https:\/\/arxiv\.org\/search\/\?query=[^\s()]*&searchtype=title$/);
        const code = embed.fields!.find((f) => f.name === 'Code')?.value;
        if (code?.includes('://')) expect(code).toMatch(/^https?:\/\//);
        for (const text of allStrings(embed)) expect(text).not.toMatch(LONE_SURROGATE);
      }),
      { numRuns: 300 },
    );
  });

  it('make payloads Discord accepts, with buttons whose ids and labels fit', async () => {
    await fc.assert(
      fc.asyncProperty(shownPaper, async (p) => {
        const payload = await payloadOf(() => paperReply(p));
        const link = payload.components[0]?.components.find((c) => 'url' in c);
        if (link && 'url' in link) expect(link.url).toMatch(/^https?:\/\//);
      }),
      { numRuns: 200 },
    );
  });
});

describe('every command for arbitrary member input', () => {
  const commands: Array<{ command: Command; options: (text: string) => Record<string, string> }> = [
    { command: paper, options: (text) => ({ query: text }) },
    { command: search, options: (text) => ({ query: text }) },
    { command: search, options: (text) => ({ query: 'causal', author: text }) },
    { command: search, options: (text) => ({ query: 'causal', category: text }) },
    { command: search, options: (text) => ({ query: 'causal', year: text }) },
    { command: latest, options: (text) => ({ author: text }) },
    { command: coauthor, options: (text) => ({ name: text }) },
    { command: coauthor, options: (text) => ({ name: 'Francesco Locatello', with: text }) },
  ];

  it('answers within every limit, pinging nobody, showing the input escaped', async () => {
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...commands), fc.oneof(memberText, hostileText), async ({ command, options }, text) => {
        const payload = await payloadOf(() => command.execute({ command: command.data.name, options: options(text), invoker: INVOKER }, ctx));
        for (const row of payload.components) {
          for (const c of row.components) if ('custom_id' in c) expect(c.custom_id.length).toBeLessThanOrEqual(LIMITS.customId);
        }
      }),
      { numRuns: 300 },
    );
  });

  it('quotes member text escaped when /cite finds no paper (a found paper is cited verbatim in a code block)', async () => {
    await fc.assert(
      fc.asyncProperty(fc.oneof(memberText, hostileText), async (text) => {
        try {
          await cite.execute({ command: 'cite', options: { paper: text }, invoker: INVOKER }, ctx);
        } catch (error) {
          if (!(error instanceof UserError)) throw error;
          await payloadOf(() => ({ content: error.message, ephemeral: true }));
        }
      }),
      { numRuns: 200 },
    );
  });

  it('pages and opens results from any search within every limit', async () => {
    await fc.assert(
      fc.asyncProperty(memberText, fc.constantFrom('relevance', 'newest'), async (text, sort) => {
        let reply: Reply;
        try {
          reply = await search.execute({ command: 'search', options: { query: text, sort }, invoker: INVOKER }, ctx);
        } catch (error) {
          if (error instanceof UserError) return;
          throw error;
        }
        for (const row of reply.components ?? []) {
          for (const c of row.components) {
            if (!('custom_id' in c) || ('disabled' in c && c.disabled)) continue;
            const values = 'options' in c && c.options ? [c.options[0]!.value] : [];
            await payloadOf(() => search.component!({ customId: c.custom_id, values, invoker: INVOKER, messageCreatedAt: null }, ctx));
          }
        }
      }),
      { numRuns: 60 },
    );
  });

  it('autocompletes with at most 25 valid choices for empty, hostile or 200-character input', async () => {
    const focusedOptions: Array<[Command, string]> = [
      [paper, 'query'],
      [search, 'author'],
      [search, 'category'],
      [latest, 'category'],
      [coauthor, 'name'],
      [coauthor, 'with'],
    ];
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...focusedOptions), fc.oneof(memberText, fc.constant(''), fc.string({ minLength: 200, maxLength: 200 })), async ([command, name], value) => {
        const choices = fitChoices(await command.autocomplete!({ command: command.data.name, options: {}, invoker: INVOKER, focused: { name, value } }, ctx));
        expect(choices.length).toBeLessThanOrEqual(LIMITS.autocompleteChoices);
        const { problems } = checkCallback({ type: 8, data: { choices } }, 4, 3);
        expect(problems).toEqual([]);
      }),
      { numRuns: 300 },
    );
  });
});
