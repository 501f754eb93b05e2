/** Types for citeproc (citeproc-js), which ships none: the part of its engine API paperbot uses. */
declare module 'citeproc' {
  /** What the engine asks of its host: locales and items by id. */
  export interface Sys {
    retrieveLocale(lang: string): string;
    retrieveItem(id: string): object;
  }
  /** One style, compiled: items in, formatted bibliography entries out. */
  export class Engine {
    constructor(sys: Sys, style: string, lang?: string, forceLang?: boolean);
    setOutputFormat(format: 'text' | 'html' | 'rtf'): void;
    updateItems(ids: string[], nosort?: boolean): void;
    /** `[meta, entries]`, or false when the style has no bibliography. */
    makeBibliography(): [Record<string, unknown>, string[]] | false;
  }
  const CSL: { Engine: typeof Engine };
  export default CSL;
}
