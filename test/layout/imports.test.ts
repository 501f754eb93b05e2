/**
 * Imports run one way (config → corpus → search → discord → commands → entry points). This scans every import of
 * src/ and commands/ (static, `import type`, re-exports and dynamic `import()`), so the rule holds as code is added.
 */
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

const ROOT = path.resolve(import.meta.dirname, '../..');

/**
 * Each part's layer: a file may import its own layer and the ones below, never one above. A new folder under
 * src/ must be placed here, or this test fails.
 */
const LAYERS: ReadonlyArray<readonly string[]> = [
  ['src/config.ts', 'src/log.ts', 'src/metrics.ts', 'src/atomic-file.ts', 'src/foreground.ts', 'src/db', 'src/types'],
  ['src/corpus', 'src/render'],
  ['src/search'],
  ['src/library.ts'],
  ['src/discord'],
  ['src/cite', 'src/announce', 'src/live'],
  ['commands'],
  ['src/cli', 'src/http', 'src/lifecycle.ts', 'src/index.ts', 'src/serve.ts'],
];

/** Imports forbidden although the layers allow them. */
const FORBIDDEN: ReadonlyArray<{ from: string; to: string; why: string }> = [
  { from: 'commands', to: 'src/discord/router.ts', why: 'commands do not import the router (shared option helpers are in src/discord/options.ts)' },
  { from: 'src', to: 'src/index.ts', why: "nothing imports the bot's entry file (the library is built in src/library.ts)" },
  { from: 'commands', to: 'src/index.ts', why: "nothing imports the bot's entry file" },
];

interface Edge {
  from: string;
  to: string;
  line: number;
}

function sourceFiles(dir: string): string[] {
  return readdirSync(path.join(ROOT, dir), { withFileTypes: true }).flatMap((entry) => {
    const relative = `${dir}/${entry.name}`;
    if (entry.isDirectory()) return sourceFiles(relative);
    return /\.(ts|mts|mjs|js)$/.test(entry.name) ? [relative] : [];
  });
}

/** Every relative import of a file, resolved to a path from the repository root (`.js` read as the `.ts` beside it). */
export function importsOf(file: string, text: string): Edge[] {
  const edges: Edge[] = [];
  const pattern = /(?:\bfrom\s*|\bimport\s*\(\s*|^\s*import\s+)['"](\.{1,2}\/[^'"]+)['"]/gm;
  for (const match of text.matchAll(pattern)) {
    const target = path.posix.normalize(path.posix.join(path.posix.dirname(file), match[1] ?? '')).replace(/\.js$/, '.ts');
    edges.push({ from: file, to: target, line: text.slice(0, match.index).split('\n').length });
  }
  return edges;
}

function layerOf(file: string): number {
  return LAYERS.findIndex((parts) => parts.some((part) => file === part || file.startsWith(`${part}/`)));
}

/** What is wrong with one import, or null. */
export function violation(edge: Edge): string | null {
  const from = layerOf(edge.from);
  const to = layerOf(edge.to);
  const where = `${edge.from}:${edge.line} imports ${edge.to}`;
  if (from < 0) return `${edge.from} is in no layer: add its folder to LAYERS in test/layout/imports.test.ts`;
  if (to < 0) return `${where}, which is in no layer`;
  if (to > from) return `${where}: ${LAYERS[from]?.join(', ')} sits below ${LAYERS[to]?.join(', ')}`;
  const rule = FORBIDDEN.find((r) => (edge.from === r.from || edge.from.startsWith(`${r.from}/`)) && edge.to === r.to);
  return rule ? `${where}: ${rule.why}` : null;
}

describe('import directions', () => {
  it('finds static, type-only, re-export and dynamic imports', () => {
    const text = "import a from './a.js';\nimport type { B } from '../b.js';\nexport { c } from './c/d.js';\nconst e = await import('../e.js');\nimport './side.js';\n";
    expect(importsOf('src/x/y.ts', text).map((edge) => `${edge.to}:${edge.line}`)).toEqual(['src/x/a.ts:1', 'src/b.ts:2', 'src/x/c/d.ts:3', 'src/e.ts:4', 'src/x/side.ts:5']);
  });

  it('tells an upward import and a forbidden one from an allowed one', () => {
    expect(violation({ from: 'src/corpus/watch.ts', to: 'src/search/index.ts', line: 3 })).toMatch(/src\/corpus\/watch\.ts:3 imports src\/search\/index\.ts: src\/corpus/);
    expect(violation({ from: 'src/discord/command.ts', to: 'src/announce/types.ts', line: 1 })).not.toBeNull();
    expect(violation({ from: 'commands/cite.ts', to: 'src/discord/router.ts', line: 1 })).toMatch(/do not import the router/);
    expect(violation({ from: 'src/cli/ask.ts', to: 'src/index.ts', line: 1 })).toMatch(/entry file/);
    expect(violation({ from: 'commands/cite.ts', to: 'src/discord/options.ts', line: 1 })).toBeNull();
    expect(violation({ from: 'src/nowhere/x.ts', to: 'src/config.ts', line: 1 })).toMatch(/in no layer/);
  });

  it('holds for every file of src/ and commands/', () => {
    const problems = [...sourceFiles('src'), ...sourceFiles('commands')]
      .flatMap((file) => importsOf(file, readFileSync(path.join(ROOT, file), 'utf8')))
      .map(violation)
      .filter((problem): problem is string => problem !== null);
    expect(problems).toEqual([]);
  });
});
