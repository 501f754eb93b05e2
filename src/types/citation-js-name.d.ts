/** Types for @citation-js/name, which ships none: a name in CSL-JSON's author form. */
declare module '@citation-js/name' {
  /** A CSL-JSON name; `literal` where the parser could not split it. */
  export interface CslName {
    given?: string;
    family?: string;
    suffix?: string;
    'dropping-particle'?: string;
    'non-dropping-particle'?: string;
    literal?: string;
  }
  /** Splits a printed name ("First von Last", "Last, First") into its CSL-JSON parts. */
  export function parse(name: string): CslName;
}
