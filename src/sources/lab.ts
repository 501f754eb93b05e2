/**
 * DATA_DIR/lab.yaml: who the lab's members are and how the open scholarly record knows them. Read with `yaml`
 * (whose node ranges give every problem its line) and checked with zod. Without the file nothing is fetched.
 */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { LineCounter, isNode, parseDocument } from 'yaml';
import { z } from 'zod';

/** One member of the lab, as lab.yaml names them. */
export interface LabMember {
  /** As the lab writes it; matched to page and .bib owners by `nameKeys`. */
  name: string;
  /** The OpenAlex author id (`A5000000001`), where pinned. */
  openalex: string | null;
  /** The ORCID (`0000-0002-1825-0097`), where given. */
  orcid: string | null;
  /** The line of the member's entry in lab.yaml. */
  line: number;
}

/** The lab as lab.yaml describes it. */
export interface Lab {
  file: string;
  /** Sent as OpenAlex's `mailto` and in the User-Agent. */
  contact: string;
  members: LabMember[];
}

/** lab.yaml cannot be used: `problems` are `file:line: reason`, every one of them. */
export class LabError extends Error {
  override name = 'LabError';
  readonly problems: readonly string[];

  constructor(problems: readonly string[], options?: { cause?: unknown }) {
    super(`sources: lab.yaml cannot be used:\n${problems.map((p) => `  ${p}`).join('\n')}`, options);
    this.problems = problems;
  }
}

/** The file's name in DATA_DIR. */
export const LAB_FILE = 'lab.yaml';

/** `A` and digits, as OpenAlex writes an author's id (alone or at the end of https://openalex.org/…). */
const OPENALEX_AUTHOR = /^(?:https?:\/\/(?:api\.)?openalex\.org\/(?:authors\/)?)?(A\d{4,12})$/i;
/** Four groups of four, the last character a digit or X (alone or after https://orcid.org/). */
const ORCID = /^(?:https?:\/\/orcid\.org\/)?(\d{4}-\d{4}-\d{4}-\d{3}[\dX])$/i;

const OPENALEX_HELP = 'openalex must be an OpenAlex author id such as A5000000001 or https://openalex.org/A5000000001';
const ORCID_HELP = 'orcid must be an ORCID such as 0000-0002-1825-0097 or https://orcid.org/0000-0002-1825-0097';

const MemberSchema = z.strictObject({
  name: z.string({ error: 'a member needs a name' }).trim().min(1, { error: 'a member needs a name' }).max(200),
  openalex: z.string({ error: OPENALEX_HELP }).trim().regex(OPENALEX_AUTHOR, { error: OPENALEX_HELP }).optional(),
  orcid: z.string({ error: ORCID_HELP }).trim().regex(ORCID, { error: ORCID_HELP }).optional(),
});

const LabSchema = z.strictObject({
  contact: z.email({ error: 'contact must be an e-mail address (OpenAlex and Crossref ask for one), e.g. admin@lab.example' }),
  members: z.array(MemberSchema, { error: 'members must be a list of members, each with a name' }).min(1, { error: 'members must list at least one member' }).max(500),
});

/** Reads DATA_DIR/lab.yaml; null when there is none. Throws a `LabError` naming file and line of every problem. */
export async function readLab(dataDir: string): Promise<Lab | null> {
  const file = path.join(dataDir, LAB_FILE);
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw new LabError([`${file}:1: cannot be read: ${(error as NodeJS.ErrnoException).code ?? String(error)}`], { cause: error });
  }
  return parseLab(text, file);
}

/** Parses lab.yaml's text (pure). Throws a `LabError` naming the line of every problem. */
export function parseLab(text: string, file: string): Lab {
  const lines = new LineCounter();
  const doc = parseDocument(text, { lineCounter: lines, prettyErrors: false, uniqueKeys: true });
  const lineOf = (offset: number): number => lines.linePos(offset).line;
  if (doc.errors.length > 0) {
    throw new LabError(doc.errors.map((error) => `${file}:${lineOf(error.pos[0])}: ${firstLine(error.message)}`));
  }
  const parsed = LabSchema.safeParse(doc.toJS());
  if (!parsed.success) {
    const problems = parsed.error.issues.map((issue) => {
      // The deepest node the path reaches: a missing key is reported at the mapping that lacks it.
      let line = 1;
      for (let depth = issue.path.length; depth >= 0; depth -= 1) {
        const node = doc.getIn(issue.path.slice(0, depth) as Array<string | number>, true);
        if (isNode(node) && node.range) {
          line = lineOf(node.range[0]);
          break;
        }
      }
      const where = issue.code === 'unrecognized_keys' ? `unknown key ${issue.keys.map((k) => `"${k}"`).join(', ')}` : issue.message;
      return `${file}:${line}: ${where}`;
    });
    throw new LabError(problems);
  }
  const seen = new Map<string, number>();
  const problems: string[] = [];
  const members = parsed.data.members.map((member, index): LabMember => {
    const node = doc.getIn(['members', index], true);
    const line = isNode(node) && node.range ? lineOf(node.range[0]) : 1;
    const key = member.name.toLowerCase();
    const first = seen.get(key);
    if (first !== undefined) problems.push(`${file}:${line}: member "${member.name}" is listed twice (first at line ${first})`);
    else seen.set(key, line);
    return {
      name: member.name,
      openalex: member.openalex ? (OPENALEX_AUTHOR.exec(member.openalex)?.[1] ?? '').toUpperCase() : null,
      orcid: member.orcid ? (ORCID.exec(member.orcid)?.[1] ?? '').toUpperCase() : null,
      line,
    };
  });
  if (problems.length > 0) throw new LabError(problems);
  return { file, contact: parsed.data.contact, members };
}

function firstLine(message: string): string {
  return message.split('\n')[0] ?? message;
}
