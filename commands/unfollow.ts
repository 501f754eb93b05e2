/** /unfollow which: — removes one of the member's follows; `which` autocompletes them. The reply is private. */
import { SlashCommandBuilder } from 'discord.js';
import { followsOf, removeFollow } from '../src/db/follows.js';
import { UserError, type Command } from '../src/discord/command.js';
import { LIMITS } from '../src/discord/limits.js';
import { quote, stringOption } from '../src/discord/options.js';
import { fold } from '../src/search/text.js';

export default {
  data: new SlashCommandBuilder()
    .setName('unfollow')
    .setDescription('Stop one of your follows')
    .addStringOption((option) => option.setName('which').setDescription('The follow to stop (pick from the suggestions)').setRequired(true).setMaxLength(100).setAutocomplete(true))
    .toJSON(),

  async execute(request, ctx) {
    if (!ctx.db) throw new UserError('Follows are not available: the bot has no database open.');
    const userId = request.invoker.userId;
    const which = stringOption(request.options, 'which') ?? '';
    const follows = await followsOf(ctx.db, userId);
    // The suggestion's value is the follow's id; a member who typed instead may have typed it as /follow list shows
    // it (`topic “causal discovery”`), or without its kind and quotes (`causal discovery`).
    const typed = shownForm(which);
    const target = follows.find((follow) => follow.id === which) ?? follows.find((follow) => shownForms(follow.label).includes(typed));
    if (!target) {
      if (follows.length === 0) throw new UserError('You follow nothing, so there is nothing to stop.');
      throw new UserError(`You have no follow ${quote(which)}. Pick one from the suggestions, or see them all with /follow list.`);
    }
    await removeFollow(ctx.db, userId, target.id);
    return { content: `Stopped following ${target.label}. You get no more messages for it.`, ephemeral: true };
  },

  async autocomplete(request, ctx) {
    if (!ctx.db) return [];
    const typed = fold(request.focused.value);
    const follows = await followsOf(ctx.db, request.invoker.userId);
    return follows
      .filter((follow) => typed === '' || fold(plain(follow.label)).includes(typed))
      .slice(0, LIMITS.autocompleteChoices)
      .map((follow) => ({ name: plain(follow.label), value: follow.id }));
  },
} satisfies Command;

// How a follow's label may be typed: whole, or without its leading kind ("author", "topic", "category").
function shownForms(label: string): string[] {
  const whole = shownForm(plain(label));
  return [whole, whole.replace(/^(author|topic|category) /, '')];
}

// Text compared as a member types it: folded, quotes and spaces around it dropped.
function shownForm(text: string): string {
  return fold(text.replace(/["“”„«»'‘’]/g, '')).trim();
}

// A label as plain text (the stored one is markdown-escaped for messages).
function plain(label: string): string {
  return label.replace(/\\([\\*_~`|<>#:\-[\]()])/g, '$1');
}
