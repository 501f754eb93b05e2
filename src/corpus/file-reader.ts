/** The base of the page and BibTeX readers: the file's name, its text (BOM and CRs dropped), the as-of day, the problems met. */
import type { Diagnostic } from './schema.js';

/** `asOf`: the day a year-less date (`LGJun 3`) is resolved against (the latest such day not after it); default today. */
export interface ParseOptions {
  asOf?: Date;
}

/** A reader of one file; subclasses read the text and `report` what they cannot. */
export class FileReader {
  protected readonly diagnostics: Diagnostic[] = [];
  protected readonly file: string;
  protected readonly text: string;
  protected readonly asOf: Date;

  /** Takes arguments of any type: `unnamed`, '' and today where they are unusable. */
  constructor(text: string, file: string, options: ParseOptions, unnamed: string) {
    this.file = typeof file === 'string' && file ? file : unnamed;
    this.text = (typeof text === 'string' ? text : '').replace(/\uFEFF/g, '').replace(/\r\n?/g, '\n');
    this.asOf = options.asOf instanceof Date && !Number.isNaN(options.asOf.getTime()) ? options.asOf : new Date();
  }

  protected report(line: number, reason: string): void {
    this.diagnostics.push({ file: this.file, line, reason });
  }
}
