/** Types for @citation-js/core and its RIS plugin (dev dependencies of the tests, which ship none). */
declare module '@citation-js/core' {
  /** Reads any input a loaded plugin knows (RIS text here) into CSL-JSON items. */
  export class Cite {
    constructor(data: unknown);
    data: Array<Record<string, unknown>>;
  }
}
declare module '@citation-js/plugin-ris';
