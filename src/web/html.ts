/** `html`, a tagged template that escapes every value but `Html` made by `html`: the site's pages and its Atom feed. */

/** Markup made by `html` (its literal parts are ours, its values escaped). */
export class Html {
  constructor(private readonly text: string) {}

  toString(): string {
    return this.text;
  }
}

/** What a template may interpolate: text and numbers (escaped), markup, lists of them, and nothing (null, undefined, false). */
type HtmlValue = Html | string | number | null | undefined | false | readonly HtmlValue[];

/** A template whose values are escaped for HTML and XML text and quoted attributes, lists joined, and nothing left out. */
export function html(strings: TemplateStringsArray, ...values: readonly HtmlValue[]): Html {
  let out = strings[0] ?? '';
  for (let i = 0; i < values.length; i += 1) out += valueText(values[i]) + (strings[i + 1] ?? '');
  return new Html(out);
}

function valueText(value: HtmlValue): string {
  if (value instanceof Html) return value.toString();
  if (value === null || value === undefined || value === false) return '';
  if (Array.isArray(value)) return (value as readonly HtmlValue[]).map(valueText).join('');
  return String(value).replace(UNSAFE, (ch) => REFERENCES[ch] ?? '');
}

const REFERENCES: Readonly<Record<string, string>> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };
// Markup characters, and the characters XML 1.0 forbids (dropped): C0 controls but tab and line breaks, DEL to C1,
// U+FFFE/U+FFFF and lone surrogates.
const UNSAFE = /[&<>"']|[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f\ufffe\uffff]|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g;
