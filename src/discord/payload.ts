/**
 * A handler's `Reply` → the exact message payload Discord gets (the router sends it; `ask --json` prints it):
 * every limit enforced, ephemeral as a flag, and `allowed_mentions: { parse: [] }` so nothing in it can ping.
 */
import {
  ComponentType,
  MessageFlags,
  type APIAllowedMentions,
  type APIEmbed,
} from 'discord.js';
import type { Reply } from './command.js';
import type { ActionRow } from './components.js';
import { BUTTON_URL_MAX } from './components.js';
import { fitEmbeds, safeHttpUrl } from './embeds.js';
import { LIMITS, truncate } from './limits.js';

/** Mentions nothing: not @everyone, not roles, not users, whatever the text says. */
export const NO_MENTIONS: APIAllowedMentions = Object.freeze({ parse: [] }) as APIAllowedMentions;

/** The message body Discord receives for a reply, an edit or a follow-up. */
export interface MessagePayload {
  content: string;
  embeds: APIEmbed[];
  components: ActionRow[];
  flags: number;
  allowed_mentions: APIAllowedMentions;
}

/** The payload of a reply, within every limit. A reply with nothing to show gets a short placeholder. */
export function toPayload(reply: Reply): MessagePayload {
  const embeds = fitEmbeds(reply.embeds ?? []);
  let content = truncate(reply.content ?? '', LIMITS.messageContent);
  if (!content && embeds.length === 0) content = 'Nothing to show.';
  return {
    content,
    embeds,
    components: fitComponents(reply.components ?? []),
    flags: reply.ephemeral ? MessageFlags.Ephemeral : 0,
    allowed_mentions: { parse: [] },
  };
}

/**
 * Components cut to Discord's limits: 5 rows, 5 buttons or 1 select a row, labels 80, custom ids 100
 * (a component whose id is longer is dropped, never cut: a cut id would route wrongly), 25 options of 100.
 */
export function fitComponents(rows: readonly ActionRow[]): ActionRow[] {
  const fitted: ActionRow[] = [];
  for (const row of rows.slice(0, LIMITS.actionRows)) {
    const components: ActionRow['components'] = [];
    for (const component of row.components) {
      if (component.type === ComponentType.Button) {
        if ('custom_id' in component && component.custom_id.length > LIMITS.customId) continue;
        if ('url' in component && !(safeHttpUrl(component.url) && component.url.length <= BUTTON_URL_MAX)) continue;
        const label = 'label' in component && component.label !== undefined ? truncate(component.label, LIMITS.buttonLabel) : undefined;
        components.push({ ...component, ...(label !== undefined ? { label } : {}) });
      } else if (component.type === ComponentType.StringSelect) {
        if (component.custom_id.length > LIMITS.customId) continue;
        const options = component.options.slice(0, LIMITS.selectOptions).filter((o) => o.value.length <= LIMITS.selectOptionValue);
        if (options.length === 0) continue;
        components.push({
          ...component,
          ...(component.placeholder !== undefined ? { placeholder: truncate(component.placeholder, LIMITS.selectPlaceholder) } : {}),
          options: options.map((option) => ({
            ...option,
            label: truncate(option.label, LIMITS.selectOptionLabel) || option.value,
            ...(option.description !== undefined ? { description: truncate(option.description, LIMITS.selectOptionDescription) } : {}),
          })),
          max_values: Math.min(component.max_values ?? 1, options.length),
          min_values: Math.min(component.min_values ?? 1, options.length),
        });
      } else {
        components.push(component);
      }
    }
    const isSelect = components.some((c) => c.type !== ComponentType.Button);
    const kept = isSelect ? components.slice(0, 1) : components.slice(0, LIMITS.buttonsPerRow);
    if (kept.length > 0) fitted.push({ ...row, components: kept });
  }
  return fitted;
}
