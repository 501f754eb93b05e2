/** /stats and /coauthor with their pictures: the file, the embed pointing at it, the `profile` option. */
import { beforeAll, describe, expect, it } from 'vitest';
import coauthor from '../../commands/coauthor.js';
import stats from '../../commands/stats.js';
import type { CommandContext, Reply } from '../../src/discord/command.js';
import { payloadJson, toPayload } from '../../src/discord/payload.js';
import type { Library } from '../../src/search/library.js';
import { checkMessage, checkUploads, type UploadedFile } from '../e2e/standin/validate.js';
import { decodePng } from '../render/png.js';
import { INVOKER, click, contextOf, customIds, onlyEmbed, run, testLibrary, userErrorOf } from './context.js';

let library: Library;
let ctx: CommandContext;

beforeAll(async () => {
  library = await testLibrary();
  ctx = contextOf(library);
});

// The reply as Discord gets it: the JSON passes the stand-in's checks, the files as multipart parts included.
function expectDiscordTakes(reply: Reply): void {
  const payload = toPayload(reply);
  const { problems, message } = checkMessage(payloadJson(payload), { creates: true, interaction: true });
  expect(problems).toEqual([]);
  const parts: UploadedFile[] = (payload.files ?? []).map((file, n) => ({ field: `files[${n}]`, filename: file.name, contentType: 'image/png', data: Buffer.from(file.data) }));
  expect(checkUploads(message!, parts, []).problems).toEqual([]);
}

function picture(reply: Reply, name: string): { width: number; height: number } {
  expect(reply.files?.map((file) => file.name)).toEqual([name]);
  expect(onlyEmbed(reply).image).toEqual({ url: `attachment://${name}` });
  const png = decodePng(reply.files![0]!.data);
  return { width: png.width, height: png.height };
}

describe('/stats with its chart', () => {
  it('attaches the chart as the embed image, and keeps every text field', async () => {
    const reply = await run(stats, ctx, {});
    expect(picture(reply, 'stats.png').width).toBeGreaterThanOrEqual(800);
    expect(onlyEmbed(reply).fields).toHaveLength(library.corpus.profiles.length);
    expectDiscordTakes(reply);
  });

  it('narrows the text and the chart to one page owner with `profile`, written any case', async () => {
    const whole = await run(stats, ctx, {});
    const reply = await run(stats, ctx, { profile: 'bo STRÖM' });
    const embed = onlyEmbed(reply);
    expect(embed.title).toBe('Statistics of Bo Ström');
    expect(embed.fields?.map((f) => f.name)).toEqual(['Bo Ström (stat.ML)']);
    picture(reply, 'stats.png');
    expect(Buffer.from(reply.files![0]!.data).equals(Buffer.from(whole.files![0]!.data))).toBe(false);
  });

  it('says which profiles there are when `profile` names none', async () => {
    expect(await userErrorOf(() => run(stats, ctx, { profile: 'Nobody Here' }))).toMatchInlineSnapshot(`"No profile page belongs to “Nobody Here”. Profiles: Francesco Locatello, Bo Ström, Eve @​everyone Mallory."`);
  });

  it("autocompletes `profile` with the pages' owners matching what is typed", async () => {
    const complete = (typed: string) => stats.autocomplete!({ command: 'stats', options: { profile: typed }, invoker: INVOKER, focused: { name: 'profile', value: typed } }, ctx);
    expect(await complete('str')).toEqual([{ name: 'Bo Ström', value: 'Bo Ström' }]);
    expect((await complete('')).map((c) => c.value)).toEqual(library.corpus.profiles.map((p) => p.owner).sort((a, b) => a.localeCompare(b)));
    expect(await complete('zzz')).toEqual([]);
  });
});

describe('/coauthor with its network', () => {
  it('attaches the network as the embed image, on the first page and on the next', async () => {
    const first = await run(coauthor, ctx, { name: 'francesco locatello' });
    const size = picture(first, 'coauthor.png');
    expect(size.width).toBeGreaterThanOrEqual(800);
    expect(size.height).toBeGreaterThanOrEqual(450);
    expectDiscordTakes(first);
    const next = customIds(first).find((id) => id.startsWith('coauthor:page:1:'));
    const second = await click(coauthor, ctx, next!);
    picture(second, 'coauthor.png');
    expect(second.files![0]!.data).toBe(first.files![0]!.data);
  });

  it('draws another picture for a pair', async () => {
    const alone = await run(coauthor, ctx, { name: 'francesco locatello' });
    const pair = await run(coauthor, ctx, { name: 'francesco locatello', with: 'dingling yao' });
    picture(pair, 'coauthor.png');
    expect(pair.files![0]!.description).toBe('Collaboration network of Francesco Locatello, papers shared with Dingling Yao highlighted');
    expect(Buffer.from(pair.files![0]!.data).equals(Buffer.from(alone.files![0]!.data))).toBe(false);
  });
});
