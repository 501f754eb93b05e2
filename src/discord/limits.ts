/** Discord's limits, named in one place; every reply is cut to these (https://discord.com/developers/docs/resources/message). */
export const LIMITS = {
  embedTitle: 256,
  embedDescription: 4_096,
  embedFields: 25,
  embedFieldName: 256,
  embedFieldValue: 1_024,
  embedFooterText: 2_048,
  embedAuthorName: 256,
  /** Characters over every embed of one message together. */
  embedTotal: 6_000,
  embedsPerMessage: 10,
  messageContent: 2_000,
  customId: 100,
  buttonLabel: 80,
  buttonUrl: 512,
  buttonsPerRow: 5,
  actionRows: 5,
  selectOptions: 25,
  selectOptionLabel: 100,
  selectOptionDescription: 100,
  selectOptionValue: 100,
  selectPlaceholder: 150,
  autocompleteChoices: 25,
  choiceName: 100,
  choiceValue: 100,
  commandName: 32,
  commandDescription: 100,
  optionDescription: 100,
  attachmentsPerMessage: 10,
  /** Bytes of one uploaded file (the limit of a server without boosts). */
  attachmentBytes: 10 * 1_024 * 1_024,
  attachmentDescription: 1_024,
  /** Characters of a file name the bot sends (Discord takes longer; shorter reads better). */
  attachmentName: 100,
  interactionAckMs: 3_000,
} as const;

const ELLIPSIS = '…';

/** Cuts to at most `max` UTF-16 code units (Discord counts those) ending in "…", at a sentence or word end in the last fifth. */
export function truncate(text: string, max: number): string {
  if (text.length <= max) return text;
  if (max <= 0) return '';
  const cut = safeCut(text, max - ELLIPSIS.length);
  const head = text.slice(0, cut);
  const floor = Math.floor(cut * 0.8);
  const sentence = Math.max(head.lastIndexOf('. '), head.lastIndexOf('? '), head.lastIndexOf('! '));
  if (sentence >= floor) return `${head.slice(0, sentence + 1)} ${ELLIPSIS}`.slice(0, max);
  const space = head.lastIndexOf(' ');
  if (space >= floor) return `${head.slice(0, space).trimEnd()}${ELLIPSIS}`;
  return `${head}${ELLIPSIS}`;
}

/** Cuts to at most `max` code units with no ellipsis, never splitting a surrogate pair. */
export function clip(text: string, max: number): string {
  if (text.length <= max) return text;
  return text.slice(0, safeCut(text, max));
}

// The largest index ≤ cut that does not fall between a high and a low surrogate.
function safeCut(text: string, cut: number): number {
  if (cut <= 0) return 0;
  const code = text.charCodeAt(cut - 1);
  return code >= 0xd800 && code <= 0xdbff ? cut - 1 : cut;
}
