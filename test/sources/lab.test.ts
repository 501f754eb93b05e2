import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { LabError, parseLab, readLab } from '../../src/sources/lab.js';

const GOOD = `contact: admin@lab.example      # sent as mailto
members:
  - name: Ada Quill
    openalex: https://openalex.org/A5000000001
  - name: Ivo Marek
    orcid: https://orcid.org/0000-0002-1825-009x
  - name: Nia Ode
`;

function problemsOf(text: string): readonly string[] {
  try {
    parseLab(text, 'data/lab.yaml');
  } catch (error) {
    if (error instanceof LabError) return error.problems;
    throw error;
  }
  throw new Error('parsed');
}

describe('lab.yaml', () => {
  it('reads the contact and each member with the id as OpenAlex and ORCID write it, and the line of the entry', () => {
    const lab = parseLab(GOOD, 'data/lab.yaml');
    expect(lab.contact).toBe('admin@lab.example');
    expect(lab.members).toEqual([
      { name: 'Ada Quill', openalex: 'A5000000001', orcid: null, line: 3 },
      { name: 'Ivo Marek', openalex: null, orcid: '0000-0002-1825-009X', line: 5 },
      { name: 'Nia Ode', openalex: null, orcid: null, line: 7 },
    ]);
  });

  it('names the file and the line of every problem at once', () => {
    const text = `contact: not-an-address
members:
  - name: Ada Quill
    openalex: W123
  - name: Ivo
    orcid: 1234
    twitter: ivo
`;
    expect(problemsOf(text)).toMatchInlineSnapshot(`
      [
        "data/lab.yaml:1: contact must be an e-mail address (OpenAlex and Crossref ask for one), e.g. admin@lab.example",
        "data/lab.yaml:4: openalex must be an OpenAlex author id such as A5000000001 or https://openalex.org/A5000000001",
        "data/lab.yaml:6: orcid must be an ORCID such as 0000-0002-1825-0097 or https://orcid.org/0000-0002-1825-0097",
        "data/lab.yaml:5: unknown key "twitter"",
      ]
    `);
  });

  it('reports a YAML syntax error, a member without a name and a member listed twice by line', () => {
    expect(problemsOf('contact: a@b.example\nmembers: [\n')[0]).toMatch(/^data\/lab\.yaml:[23]: /);
    expect(problemsOf('contact: a@b.example\nmembers:\n  - openalex: A5000000001\n')).toEqual(['data/lab.yaml:3: a member needs a name']);
    expect(problemsOf('contact: a@b.example\nmembers:\n  - name: Ada\n  - name: ada\n')).toEqual(['data/lab.yaml:4: member "ada" is listed twice (first at line 3)']);
  });

  it('is absent (null) when DATA_DIR has no lab.yaml, and read from DATA_DIR when there is one', async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'paperbot-lab-'));
    try {
      expect(await readLab(dir)).toBeNull();
      await writeFile(path.join(dir, 'lab.yaml'), GOOD);
      expect((await readLab(dir))?.members.map((m) => m.name)).toEqual(['Ada Quill', 'Ivo Marek', 'Nia Ode']);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
