/** DATA_DIR/lab.yaml: the lab's members and their OpenAlex or ORCID ids, every problem with its line; without it nothing is fetched. */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { LineCounter, isNode, parseDocument } from 'yaml';
import { z } from 'zod';

/** lab.yaml cannot be used: `problems` are `file:line: reason`, every one of them. */
export class LabError extends Error {
  override name = 'LabError';

  constructor(readonly problems: readonly string[], options?: { cause?: unknown }) {
    super(`sources: lab.yaml cannot be used:\n${problems.map((p) => `  ${p}`).join('\n')}`, options);
  }
}

/** `A` and digits, as OpenAlex writes an author's id (alone or at the end of https://openalex.org/…). */
const OPENALEX_AUTHOR = /^(?:https?:\/\/(?:api\.)?openalex\.org\/(?:authors\/)?)?(A\d{4,12})$/i;
/** Four groups of four, the last character a digit or X (alone or after https://orcid.org/). */
const ORCID = /^(?:https?:\/\/orcid\.org\/)?(\d{4}-\d{4}-\d{4}-\d{3}[\dX])$/i;

// An id as lab.yaml may write it (alone or as a URL), read as the bare id in capitals; null where not given.
function idSchema(pattern: RegExp, help: string) {
  return z
    .string({ error: help })
    .trim()
    .regex(pattern, { error: help })
    .transform((value) => (pattern.exec(value)?.[1] ?? '').toUpperCase())
    .optional()
    .transform((value) => value ?? null);
}

const MemberSchema = z.strictObject({
  /** As the lab writes it; matched to page and .bib owners by `nameKeys`. */
  name: z.string({ error: 'a member needs a name' }).trim().min(1, { error: 'a member needs a name' }).max(200),
  openalex: idSchema(OPENALEX_AUTHOR, 'openalex must be an OpenAlex author id such as A5000000001 or https://openalex.org/A5000000001'),
  orcid: idSchema(ORCID, 'orcid must be an ORCID such as 0000-0002-1825-0097 or https://orcid.org/0000-0002-1825-0097'),
});

const LabSchema = z.strictObject({
  contact: z.email({ error: 'contact must be an e-mail address (OpenAlex and Crossref ask for one), e.g. admin@lab.example' }),
  members: z.array(MemberSchema, { error: 'members must be a list of members, each with a name' }).min(1, { error: 'members must list at least one member' }).max(500),
});

/** One member of the lab, as lab.yaml names them, with the line of the member's entry. */
export type LabMember = z.infer<typeof MemberSchema> & { line: number };

/** The lab as lab.yaml describes it. */
export type Lab = { file: string; contact: string; members: LabMember[] };

/** Reads DATA_DIR/lab.yaml; null when there is none. Throws a `LabError` naming file and line of every problem. */
export async function readLab(dataDir: string): Promise<Lab | null> {
  const file = path.join(dataDir, 'lab.yaml');
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
  if (doc.errors.length > 0) {
    throw new LabError(doc.errors.map((error) => `${file}:${lines.linePos(error.pos[0]).line}: ${error.message.split('\n')[0]}`));
  }
  // The line of the deepest node the path reaches: a missing key is reported at the mapping that lacks it.
  const lineAt = (at: ReadonlyArray<PropertyKey>): number => {
    for (let depth = at.length; depth >= 0; depth -= 1) {
      const node = doc.getIn(at.slice(0, depth) as Array<string | number>, true);
      if (isNode(node) && node.range) return lines.linePos(node.range[0]).line;
    }
    return 1;
  };
  const parsed = LabSchema.safeParse(doc.toJS());
  if (!parsed.success) {
    throw new LabError(
      parsed.error.issues.map((issue) => {
        const where = issue.code === 'unrecognized_keys' ? `unknown key ${issue.keys.map((k) => `"${k}"`).join(', ')}` : issue.message;
        return `${file}:${lineAt(issue.path)}: ${where}`;
      }),
    );
  }
  const seen = new Map<string, number>();
  const problems: string[] = [];
  const members = parsed.data.members.map((member, index): LabMember => {
    const line = lineAt(['members', index]);
    const first = seen.get(member.name.toLowerCase());
    if (first !== undefined) problems.push(`${file}:${line}: member "${member.name}" is listed twice (first at line ${first})`);
    else seen.set(member.name.toLowerCase(), line);
    return { ...member, line };
  });
  if (problems.length > 0) throw new LabError(problems);
  return { file, contact: parsed.data.contact, members };
}
