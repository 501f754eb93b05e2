/** A channel's permissions computed over REST data, checked against cases worked by hand from Discord's documented order. */
import { PermissionFlagsBits as P } from 'discord.js';
import { describe, expect, it } from 'vitest';
import { channelPermissions } from '../../src/discord/access.js';

const GUILD = '100';
const BOT = '200';
const ROLE = '300';
const OTHER_ROLE = '301';
const bits = (...flags: bigint[]): string => flags.reduce((a, b) => a | b, 0n).toString();
const roles = [
  { id: GUILD, permissions: bits(P.ViewChannel, P.SendMessages) },
  { id: ROLE, permissions: bits(P.EmbedLinks) },
  { id: OTHER_ROLE, permissions: bits(P.Administrator) },
];
const has = (granted: ReturnType<typeof channelPermissions>) => ({
  view: granted.has(P.ViewChannel, false),
  send: granted.has(P.SendMessages, false),
  embed: granted.has(P.EmbedLinks, false),
});

describe('channel permissions', () => {
  it('adds the roles to @everyone, with no overwrites', () => {
    expect(has(channelPermissions(GUILD, BOT, roles, [ROLE], []))).toEqual({ view: true, send: true, embed: true });
    expect(has(channelPermissions(GUILD, BOT, roles, [], []))).toEqual({ view: true, send: true, embed: false });
  });

  it("applies the @everyone overwrite, then the member's roles' overwrites together, then the member's own", () => {
    const everyoneDeniesSend = { id: GUILD, type: 0, allow: '0', deny: bits(P.SendMessages) };
    const roleAllowsSend = { id: ROLE, type: 0, allow: bits(P.SendMessages), deny: '0' };
    const memberDeniesEmbed = { id: BOT, type: 1, allow: '0', deny: bits(P.EmbedLinks) };
    expect(has(channelPermissions(GUILD, BOT, roles, [ROLE], [everyoneDeniesSend]))).toEqual({ view: true, send: false, embed: true });
    expect(has(channelPermissions(GUILD, BOT, roles, [ROLE], [everyoneDeniesSend, roleAllowsSend]))).toEqual({ view: true, send: true, embed: true });
    expect(has(channelPermissions(GUILD, BOT, roles, [ROLE], [roleAllowsSend, everyoneDeniesSend, memberDeniesEmbed]))).toEqual({ view: true, send: true, embed: false });
    // A role overwrite counts only for a role the member has.
    expect(has(channelPermissions(GUILD, BOT, roles, [], [everyoneDeniesSend, roleAllowsSend]))).toEqual({ view: true, send: false, embed: false });
  });

  it('gives Administrator everything, whatever the overwrites deny', () => {
    const deniesAll = { id: BOT, type: 1, allow: '0', deny: bits(P.ViewChannel, P.SendMessages, P.EmbedLinks) };
    expect(has(channelPermissions(GUILD, BOT, roles, [OTHER_ROLE], [deniesAll]))).toEqual({ view: true, send: true, embed: true });
  });
});
