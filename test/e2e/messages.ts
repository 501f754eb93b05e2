/** Reading the bot's messages in e2e tests: all their text, and their components by what a member sees. */
import type { StoredMessage } from './standin/server.js';
import type { MessageBody } from './standin/validate.js';

type Component = NonNullable<MessageBody['components']>[number]['components'][number];

/** Every piece of text a member reads in the message: content, embed titles, descriptions, fields, footers. */
export function textOf(message: StoredMessage): string {
  const parts = [message.content];
  for (const embed of message.embeds) {
    parts.push(embed.author?.name ?? '', embed.title ?? '', embed.description ?? '', embed.footer?.text ?? '');
    for (const field of embed.fields ?? []) parts.push(field.name, field.value);
  }
  return parts.filter(Boolean).join('\n');
}

/** The components of the message, flattened. */
export function componentsOf(message: StoredMessage): Component[] {
  return ((message.components ?? []) as NonNullable<MessageBody['components']>).flatMap((row) => row.components);
}

/** The custom_id of the enabled button whose label matches; throws (naming the labels there are) when there is none. */
export function buttonId(message: StoredMessage, label: RegExp): string {
  const buttons = componentsOf(message).filter((c) => c.type === 2);
  const found = buttons.find((c) => 'custom_id' in c && label.test(c.label ?? '') && !c.disabled);
  if (!found || !('custom_id' in found)) throw new Error(`no enabled button ${label} on the message; buttons: ${buttons.map((b) => `${b.label}${b.disabled ? ' (disabled)' : ''}`).join(', ')}`);
  return found.custom_id;
}

/** The labels of the message's buttons. */
export function buttonLabels(message: StoredMessage): string[] {
  return componentsOf(message).flatMap((c) => (c.type === 2 ? [c.label ?? ''] : []));
}

/** The message's first string select menu; throws when it has none. */
export function selectMenu(message: StoredMessage): Extract<Component, { type: 3 }> {
  const menu = componentsOf(message).find((c): c is Extract<Component, { type: 3 }> => c.type === 3);
  if (!menu) throw new Error(`the message has no select menu:\n${textOf(message).slice(0, 300)}`);
  return menu;
}

/** True when the message is the router's apology for a bug rather than an answer. */
export function isApology(message: StoredMessage): boolean {
  return /something went wrong/i.test(message.content);
}
