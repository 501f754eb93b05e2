/**
 * The stand-in itself: its checks catch what Discord rejects (and pass what it accepts), its faults and
 * routes behave like Discord's, and discord.js 14 can log in, answer, and resume against it.
 */
import { Client, Events, GatewayIntentBits, Routes } from 'discord.js';
import { afterEach, describe, expect, it } from 'vitest';
import { DiscordStandIn } from './standin/server.js';
import { checkCallback, checkCommands, checkMessage, checkUploads, pingsOf, type MessageBody, type UploadedFile } from './standin/validate.js';

const NO_MENTIONS = { parse: [] };
const button = (id: string) => ({ type: 2, style: 1, label: id, custom_id: id });

describe('message checks', () => {
  it('accepts a message within every limit', () => {
    const message = {
      content: 'x'.repeat(2_000),
      embeds: [{ title: 't'.repeat(256), description: 'd'.repeat(4_096), fields: [{ name: 'n', value: 'v'.repeat(1_024) }], footer: { text: 'f' } }],
      components: [{ type: 1, components: [1, 2, 3, 4, 5].map((n) => button(`b:${n}`)) }],
      allowed_mentions: NO_MENTIONS,
    };
    expect(checkMessage(message, { creates: true, interaction: true }).problems).toEqual([]);
  });

  it('flags each limit Discord documents', () => {
    const problems = (body: object) => checkMessage({ allowed_mentions: NO_MENTIONS, ...body }, { creates: true, interaction: true }).problems.join('\n');
    expect(problems({ content: 'x'.repeat(2_001) })).toMatch(/^content: /);
    expect(problems({ embeds: [{ title: 't'.repeat(257) }] })).toMatch(/embeds\.0\.title/);
    expect(problems({ embeds: [{ description: 'd'.repeat(4_097) }] })).toMatch(/embeds\.0\.description/);
    expect(problems({ embeds: [{ title: 't', fields: Array.from({ length: 26 }, () => ({ name: 'n', value: 'v' })) }] })).toMatch(/embeds\.0\.fields/);
    expect(problems({ embeds: [{ title: 't', fields: [{ name: 'n', value: 'v'.repeat(1_025) }] }] })).toMatch(/fields\.0\.value/);
    expect(problems({ embeds: [{ title: 't', footer: { text: 'f'.repeat(2_049) } }] })).toMatch(/footer\.text/);
    expect(problems({ embeds: [{ author: { name: 'a'.repeat(257) } }] })).toMatch(/author\.name/);
    expect(problems({ embeds: [1, 2].map(() => ({ description: 'd'.repeat(3_001) })) })).toMatch(/6002 characters over all embeds/);
    expect(problems({ embeds: Array.from({ length: 11 }, () => ({ title: 't' })) })).toMatch(/^embeds: /);
    expect(problems({ embeds: [{ title: 't', url: 'javascript:alert(1)' }] })).toMatch(/embeds\.0\.url/);
    expect(problems({ components: [{ type: 1, components: [1, 2, 3, 4, 5, 6].map((n) => button(`b:${n}`)) }] })).toMatch(/components\.0\.components/);
    expect(problems({ components: Array.from({ length: 6 }, (_, r) => ({ type: 1, components: [button(`r:${r}`)] })) })).toMatch(/^components: /);
    expect(problems({ components: [{ type: 1, components: [button('x'.repeat(101))] }] })).toMatch(/custom_id/);
    expect(problems({ components: [{ type: 1, components: [{ ...button('a'), label: 'l'.repeat(81) }] }] })).toMatch(/label/);
    expect(problems({ components: [{ type: 1, components: [button('a'), button('a')] }] })).toMatch(/used twice/);
    expect(problems({ components: [{ type: 1, components: [{ type: 2, style: 5, label: 'Code' }] }] })).toMatch(/url/);
    const select = (options: number) => ({ type: 3, custom_id: 's', options: Array.from({ length: options }, (_, i) => ({ label: `o${i}`, value: `v${i}` })) });
    expect(problems({ components: [{ type: 1, components: [select(26)] }] })).toMatch(/options/);
    expect(problems({ components: [{ type: 1, components: [select(2), button('b')] }] })).toMatch(/alone in its action row/);
    expect(problems({})).toMatch(/Cannot send an empty message/);
  });

  it('demands allowed_mentions that let nothing ping', () => {
    const check = (body: object) => checkMessage({ content: '@everyone', ...body }, { creates: true, interaction: false }).problems.join('\n');
    expect(check({})).toMatch(/allowed_mentions: missing/);
    expect(check({ allowed_mentions: { parse: ['everyone'] } })).toMatch(/allowed_mentions\.parse/);
    expect(check({ allowed_mentions: { parse: [], users: ['123456789012345678'] } })).toMatch(/allowed_mentions\.users/);
    expect(check({ allowed_mentions: NO_MENTIONS })).toBe('');
    expect(check({ allowed_mentions: NO_MENTIONS, flags: 64 })).toMatch(/EPHEMERAL outside an interaction/);
  });

  it('works out who a message would ping', () => {
    const content = '@everyone <@123456789012345678> <@&223456789012345678>';
    expect(pingsOf(content, undefined)).toEqual(['@everyone', 'user 123456789012345678', 'role 223456789012345678']);
    expect(pingsOf(content, { parse: [] })).toEqual([]);
    expect(pingsOf(content, { parse: ['users'] })).toEqual(['user 123456789012345678']);
  });
});

describe('upload checks', () => {
  const file = (n: number, filename: string, bytes = 3): UploadedFile => ({ field: `files[${n}]`, filename, contentType: 'image/png', data: Buffer.alloc(bytes, 1) });
  const message = (body: object): MessageBody => ({ allowed_mentions: NO_MENTIONS, ...body }) as MessageBody;

  it('accepts files[n] with matching attachments ids and an embed image naming one', () => {
    const body = message({ embeds: [{ title: 't', image: { url: 'attachment://chart.png' } }], attachments: [{ id: '0', filename: 'chart.png' }, { id: 1 }] });
    const { problems, attachments } = checkUploads(body, [file(0, 'chart.png'), file(1, 'refs.ris')], []);
    expect(problems).toEqual([]);
    expect(attachments.map((a) => a.filename)).toEqual(['chart.png', 'refs.ris']);
  });

  it('flags what Discord rejects: a field that is not files[n], a file without its attachments entry, an id naming nothing, too many or too large files, an embed naming a missing file', () => {
    const problems = (body: object, files: UploadedFile[]) => checkUploads(message(body), files, []).problems.join('\n');
    expect(problems({}, [{ ...file(0, 'a.png'), field: 'file' }])).toMatch(/field "file"; Discord takes files\[n\]/);
    expect(problems({ attachments: [{ id: 0 }] }, [file(0, 'a.png'), file(1, 'b.png')])).toMatch(/files\[1\] has no attachments entry/);
    expect(problems({ attachments: [{ id: 3 }] }, [])).toMatch(/attachments\.0\.id: 3 is neither/);
    expect(problems({}, Array.from({ length: 11 }, (_, n) => file(n, `${n}.png`)))).toMatch(/11 files; Discord takes at most 10/);
    expect(problems({}, [file(0, 'big.png', 10 * 1_024 * 1_024 + 1)])).toMatch(/files\[0\] is 10485761 bytes/);
    expect(problems({ embeds: [{ title: 't', image: { url: 'attachment://chart.png' } }] }, [file(0, 'other.png')])).toMatch(/embeds\.0\.image\.url: attachment:\/\/chart\.png names no file/);
  });

  it('keeps the attachments an edit lists, and adds new files when it lists none', () => {
    const existing = [{ id: '1300000000000000009', filename: 'old.png' }];
    expect(checkUploads(message({ attachments: [] }), [], existing).attachments).toEqual([]);
    expect(checkUploads(message({}), [file(0, 'new.png')], existing).attachments.map((a) => a.filename)).toEqual(['old.png', 'new.png']);
    expect(checkUploads(message({ attachments: [{ id: '1300000000000000009' }] }), [], existing).attachments.map((a) => a.filename)).toEqual(['old.png']);
  });
});

describe('callback and command checks', () => {
  it('accepts only the callback types that fit the interaction', () => {
    expect(checkCallback({ type: 8, data: { choices: [] } }, 2, null).problems.join()).toMatch(/not a valid answer/);
    expect(checkCallback({ type: 7, data: { content: 'x', allowed_mentions: NO_MENTIONS } }, 2, null).problems.join()).toMatch(/not a valid answer/);
    expect(checkCallback({ type: 4, data: { content: 'x', allowed_mentions: NO_MENTIONS } }, 4, 3).problems.join()).toMatch(/not a valid answer/);
    expect(checkCallback({ type: 5 }, 2, null).problems).toEqual([]);
    expect(checkCallback({ type: 6 }, 3, null).problems).toEqual([]);
  });

  it('flags autocomplete choices Discord rejects', () => {
    const choices = (list: unknown[], type = 3) => checkCallback({ type: 8, data: { choices: list } }, 4, type).problems.join('\n');
    expect(choices(Array.from({ length: 25 }, (_, i) => ({ name: `c${i}`, value: `v${i}` })))).toBe('');
    expect(choices(Array.from({ length: 26 }, (_, i) => ({ name: `c${i}`, value: `v${i}` })))).toMatch(/choices/);
    expect(choices([{ name: 'n'.repeat(101), value: 'v' }])).toMatch(/name/);
    expect(choices([{ name: 'n', value: 'v'.repeat(101) }])).toMatch(/value/);
    expect(choices([{ name: '', value: 'v' }])).toMatch(/name/);
    expect(choices([{ name: 'n', value: 3 }])).toMatch(/string option needs string values/);
  });

  it('flags command definitions Discord rejects', () => {
    const command = { name: 'search', description: 'Search', options: [{ type: 3, name: 'query', description: 'Words', required: true }] };
    expect(checkCommands([command]).problems).toEqual([]);
    const problems = (changes: object) => checkCommands([{ ...command, ...changes }]).problems.join('\n');
    expect(problems({ name: 'Search' })).toMatch(/lower case/);
    expect(problems({ name: 'x'.repeat(33) })).toMatch(/name/);
    expect(problems({ description: 'd'.repeat(101) })).toMatch(/description/);
    expect(problems({ options: [{ type: 3, name: 'a', description: 'd'.repeat(101) }] })).toMatch(/options\.0\.description/);
    expect(problems({ options: [{ type: 3, name: 'a', description: 'a' }, { type: 3, name: 'b', description: 'b', required: true }] })).toMatch(/required option after an optional/);
    expect(problems({ options: [{ type: 3, name: 'a', description: 'a', autocomplete: true, choices: [{ name: 'x', value: 'x' }] }] })).toMatch(/autocomplete cannot be combined/);
    expect(problems({ options: [{ type: 5, name: 'a', description: 'a', autocomplete: true }] })).toMatch(/autocomplete on an option of type 5/);
    expect(checkCommands([command, command]).problems.join()).toMatch(/duplicate command name/);
  });
});

describe('the stand-in server', () => {
  let discord: DiscordStandIn | null = null;
  let client: Client | null = null;
  afterEach(async () => {
    await client?.destroy();
    await discord?.close();
    client = null;
    discord = null;
  });

  it('records a route Discord does not have and a request without the bot token', async () => {
    discord = await DiscordStandIn.start();
    expect((await fetch(`${discord.apiUrl}/v10/guilds/1/bans`)).status).toBe(404);
    expect((await fetch(`${discord.apiUrl}/v9/gateway/bot`)).status).toBe(404);
    expect((await fetch(`${discord.apiUrl}/v10/users/@me`)).status).toBe(401);
    expect(discord.unexpectedRoutes).toEqual(['GET /guilds/1/bans', 'GET /api/v9/gateway/bot (not API v10)']);
    expect(discord.violations.join()).toMatch(/Authorization: Bot/);
    expect(() => discord?.assertClean()).toThrow(/unexpected routes \(2\)/);
  });

  it('answers a programmed 429 the way Discord does, then serves the route again', async () => {
    discord = await DiscordStandIn.start();
    discord.fault({ method: 'GET', path: /^\/users\/@me$/, status: 429, retryAfter: 0.25 });
    const headers = { authorization: `Bot ${discord.token}` };
    const limited = await fetch(`${discord.apiUrl}/v10/users/@me`, { headers });
    expect(limited.status).toBe(429);
    expect(limited.headers.get('retry-after')).toBe('1');
    expect(limited.headers.get('x-ratelimit-scope')).toBe('user');
    expect(await limited.json()).toEqual({ message: 'You are being rate limited.', retry_after: 0.25, global: false });
    expect((await fetch(`${discord.apiUrl}/v10/users/@me`, { headers })).status).toBe(200);
  });

  it('returns the first message for a repeated enforced nonce, as Discord documents, and creates one without enforce_nonce', async () => {
    discord = await DiscordStandIn.start();
    const post = async (body: object): Promise<{ id: string; nonce?: string }> => {
      const response = await fetch(`${discord!.apiUrl}/v10/channels/${discord!.channelId}/messages`, {
        method: 'POST',
        headers: { authorization: `Bot ${discord!.token}`, 'content-type': 'application/json' },
        body: JSON.stringify({ content: 'hello', allowed_mentions: NO_MENTIONS, ...body }),
      });
      expect(response.status).toBe(200);
      return (await response.json()) as { id: string; nonce?: string };
    };
    const first = await post({ nonce: 'n1', enforce_nonce: true });
    const again = await post({ nonce: 'n1', enforce_nonce: true });
    expect(again.id).toBe(first.id);
    expect(again.nonce).toBe('n1');
    expect((await post({ nonce: 'n2', enforce_nonce: true })).id).not.toBe(first.id);
    expect((await post({ nonce: 'n1' })).id).not.toBe(first.id);
    expect(discord.channelMessages(discord.channelId)).toHaveLength(3);
    expect(discord.nonceRepeats).toEqual([{ nonce: 'n1', messageId: first.id }]);
  });

  it('answers a programmed slow route late, having done what it was asked at once', async () => {
    discord = await DiscordStandIn.start();
    discord.slow({ method: 'POST', path: /\/messages$/, delayMs: 400 });
    const started = Date.now();
    const answer = fetch(`${discord.apiUrl}/v10/channels/${discord.channelId}/messages`, {
      method: 'POST',
      headers: { authorization: `Bot ${discord.token}`, 'content-type': 'application/json' },
      body: JSON.stringify({ content: 'hello', allowed_mentions: NO_MENTIONS }),
    });
    await discord.waitFor('the message', () => (discord!.channelMessages(discord!.channelId).length === 1 ? true : undefined));
    expect((await answer).status).toBe(200);
    expect(Date.now() - started).toBeGreaterThanOrEqual(400);
  });

  it('serves discord.js: login, a deferred reply, a rate-limited callback, a second callback refused, and resumes', async () => {
    const standIn = (discord = await DiscordStandIn.start({ heartbeatIntervalMs: 500 }));
    const bot = (client = new Client({ intents: [GatewayIntentBits.Guilds], rest: { api: standIn.apiUrl }, allowedMentions: { parse: [] } }));
    const secondCallback: string[] = [];
    bot.on(Events.InteractionCreate, async (interaction) => {
      if (interaction.isChatInputCommand()) {
        await interaction.deferReply();
        await interaction.editReply({ content: `hello @everyone ${interaction.options.getString('q')}` });
        // discord.js refuses a second reply itself; go around it to see Discord's answer.
        await interaction.client.rest
          .post(Routes.interactionCallback(interaction.id, interaction.token), { body: { type: 4, data: { content: 'again', allowed_mentions: { parse: [] } } }, auth: false })
          .catch((error: Error) => secondCallback.push(error.message));
      } else if (interaction.isAutocomplete()) {
        await interaction.respond([{ name: interaction.options.getFocused(), value: 'v' }]);
      }
    });
    const ready = new Promise((resolve) => bot.once(Events.ClientReady, resolve));
    await bot.login(standIn.token);
    await ready;
    expect(bot.guilds.cache.has(standIn.guildId)).toBe(true);
    await bot.rest.put(`/applications/${standIn.applicationId}/commands`, {
      body: [{ name: 'hello', description: 'Says hello', options: [{ type: 3, name: 'q', description: 'Anything', autocomplete: true }] }],
    });

    standIn.fault({ method: 'POST', path: /\/callback$/, status: 429, retryAfter: 0.2 });
    const answer = await standIn.answer(standIn.command('hello', { q: 'there' }));
    expect(answer.kind === 'reply' && answer.deferred && answer.message.content).toBe('hello @everyone there');
    expect(answer.kind === 'reply' && answer.message.pings).toEqual([]);
    expect(standIn.faultsFired).toHaveLength(1);
    await standIn.waitFor('the second callback to be refused', () => (secondCallback.length > 0 ? true : undefined));
    expect(secondCallback).toEqual(['Interaction has already been acknowledged.']);
    expect(standIn.violations.join()).toMatch(/a second callback/);
    standIn.violations.length = 0;

    standIn.sendReconnect();
    await standIn.waitFor('a RESUME', () => (standIn.gateway.resumes === 1 ? true : undefined));
    standIn.dropConnections();
    const choices = await standIn.answer(standIn.autocomplete('hello', 'q', 'typed'));
    expect(choices).toEqual({ kind: 'choices', choices: [{ name: 'typed', value: 'v' }] });
    expect(standIn.gateway).toMatchObject({ identifies: 1, resumes: 2 });
    const heartbeats = standIn.gateway.heartbeats;
    standIn.requestHeartbeat();
    await standIn.waitFor('a heartbeat on request', () => (standIn.gateway.heartbeats > heartbeats ? true : undefined));
    standIn.assertClean();
  });

  it('takes a multipart reply from discord.js: payload_json plus files[n], the bytes kept, the embed pointing at the upload', async () => {
    const standIn = (discord = await DiscordStandIn.start());
    const bot = (client = new Client({ intents: [GatewayIntentBits.Guilds], rest: { api: standIn.apiUrl } }));
    const picture = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 1, 2, 0x0d, 0x0a, 255]);
    bot.on(Events.InteractionCreate, async (interaction) => {
      if (!interaction.isChatInputCommand()) return;
      await interaction.reply({
        embeds: [{ title: 'A chart', image: { url: 'attachment://chart.png' } }],
        files: [{ attachment: picture, name: 'chart.png', description: 'a chart' }],
        allowedMentions: { parse: [] },
      });
    });
    const ready = new Promise((resolve) => bot.once(Events.ClientReady, resolve));
    await bot.login(standIn.token);
    await ready;
    await bot.rest.put(`/applications/${standIn.applicationId}/commands`, { body: [{ name: 'chart', description: 'A chart' }] });
    const answer = await standIn.answer(standIn.command('chart'));
    if (answer.kind !== 'reply') throw new Error(`expected a reply, got ${answer.kind}`);
    expect(answer.message.attachments.map((a) => [a.filename, a.size, a.description])).toEqual([['chart.png', picture.length, 'a chart']]);
    expect(standIn.attachmentData(answer.message, 'chart.png')).toEqual(picture);
    expect(standIn.requests.find((r) => r.path.endsWith('/callback'))?.files.map((f) => f.field)).toEqual(['files[0]']);
    standIn.assertClean();
  });

  it('records a callback that comes after the deadline', async () => {
    const standIn = (discord = await DiscordStandIn.start({ callbackDeadlineMs: 50 }));
    const bot = (client = new Client({ intents: [GatewayIntentBits.Guilds], rest: { api: standIn.apiUrl, retries: 0 } }));
    bot.on(Events.InteractionCreate, async (interaction) => {
      await new Promise((resolve) => setTimeout(resolve, 150));
      if (interaction.isChatInputCommand()) await interaction.reply({ content: 'late', allowedMentions: { parse: [] } }).catch(() => {});
    });
    const ready = new Promise((resolve) => bot.once(Events.ClientReady, resolve));
    await bot.login(standIn.token);
    await ready;
    await bot.rest.put(`/applications/${standIn.applicationId}/commands`, { body: [{ name: 'slow', description: 'Slow' }] });
    standIn.command('slow');
    await standIn.waitFor('the late callback', () => (standIn.violations.length > 0 ? true : undefined));
    expect(standIn.violations[0]).toMatch(/callback \d+ ms after the interaction \(Discord allows 50\)/);
  });
});
