/**
 * Imports run one way: config → corpus → sources → search → cite → discord and web → commands → entry points
 * (src/index.ts, src/serve.ts, src/cli/), and no file comes back round to itself. This scans every import of src/
 * and commands/ (static, `import type`, re-exports and dynamic `import()`), so the rule holds as code is added.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

const ROOT = path.resolve(import.meta.dirname, '../..');

/**
 * Each part's layer, lowest first: a file may import its own layer and the ones below, never one above. A new
 * folder or top-level file under src/ must be placed here, or this test fails. The main line is the project's
 * rule; the other parts sit where their imports put them today:
 * - db, log, metrics (Prometheus) and types import nothing of ours above them (config reads db's URL
 *   parsing), so they share config's layer;
 * - render (specs in, PNG out) imports nothing of ours, beside corpus;
 * - announce imports discord (embeds, limits) and db; live imports announce (its announcing wiring), so both sit
 *   above discord and below the commands, which import announce;
 * - http is a transport of the entry points, core.ts their shared start-up and shutdown: both only for the entry layer.
 * A part listed here that does not exist yet (src/sources/, src/web/ while they are written) is simply empty.
 */
const LAYERS: ReadonlyArray<readonly string[]> = [
  ['src/config.ts', 'src/log.ts', 'src/metrics.ts', 'src/foreground.ts', 'src/db', 'src/types'],
  ['src/corpus', 'src/render'],
  ['src/sources'],
  ['src/search'],
  ['src/cite'],
  ['src/discord', 'src/web'],
  ['src/announce', 'src/live'],
  ['commands'],
  ['src/cli', 'src/http', 'src/core.ts', 'src/index.ts', 'src/serve.ts'],
];

/** Imports forbidden although the layers allow them. */
const FORBIDDEN: ReadonlyArray<{ from: string; to: string; why: string }> = [
  { from: 'commands', to: 'src/discord/router.ts', why: 'commands do not import the router (shared option helpers are in src/discord/options.ts)' },
  { from: 'src', to: 'src/index.ts', why: "nothing imports the bot's entry file (what the entry points share is in src/core.ts)" },
  { from: 'commands', to: 'src/index.ts', why: "nothing imports the bot's entry file" },
  { from: 'src', to: 'src/serve.ts', why: "nothing imports the HTTP endpoint's entry file" },
  { from: 'commands', to: 'src/serve.ts', why: "nothing imports the HTTP endpoint's entry file" },
];

/**
 * The upward imports there are today, each named exactly, with the part of an open issue that removes it. An
 * exception no import needs any more fails the test too: delete it here.
 */
const KNOWN_UPWARD: ReadonlyArray<{ from: string; to: string; why: string }> = [
];

/** The import circles there are today, as the sorted files of each; one that is gone fails the test: delete it here. */
const KNOWN_CIRCLES: ReadonlyArray<{ files: readonly string[]; why: string }> = [
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
  if (to > from && !KNOWN_UPWARD.some((known) => known.from === edge.from && known.to === edge.to)) {
    return `${where}: ${LAYERS[from]?.join(', ')} sits below ${LAYERS[to]?.join(', ')}`;
  }
  const rule = FORBIDDEN.find((r) => (edge.from === r.from || edge.from.startsWith(`${r.from}/`)) && edge.to === r.to);
  return rule ? `${where}: ${rule.why}` : null;
}

/**
 * The import circles of a graph: its strongly connected components of more than one file, or of one file that
 * imports itself (Tarjan's algorithm), each as its sorted files, sorted.
 */
export function importCircles(edges: readonly Edge[]): string[][] {
  const next = new Map<string, string[]>();
  for (const edge of edges) next.set(edge.from, [...(next.get(edge.from) ?? []), edge.to]);
  const order = new Map<string, number>();
  const lowest = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const circles: string[][] = [];
  const visit = (file: string): void => {
    order.set(file, order.size);
    lowest.set(file, order.get(file)!);
    stack.push(file);
    onStack.add(file);
    for (const target of next.get(file) ?? []) {
      if (!order.has(target)) {
        visit(target);
        lowest.set(file, Math.min(lowest.get(file)!, lowest.get(target)!));
      } else if (onStack.has(target)) {
        lowest.set(file, Math.min(lowest.get(file)!, order.get(target)!));
      }
    }
    if (lowest.get(file) !== order.get(file)) return;
    const component: string[] = [];
    for (let member = stack.pop(); member !== undefined; member = stack.pop()) {
      onStack.delete(member);
      component.push(member);
      if (member === file) break;
    }
    if (component.length > 1 || (next.get(file) ?? []).includes(file)) circles.push(component.sort());
  };
  for (const file of next.keys()) if (!order.has(file)) visit(file);
  return circles.sort((a, b) => a.join().localeCompare(b.join()));
}

const allEdges = (): Edge[] =>
  [...sourceFiles('src'), ...sourceFiles('commands')].flatMap((file) => importsOf(file, readFileSync(path.join(ROOT, file), 'utf8')));

describe('import directions', () => {
  it('finds static, type-only, re-export and dynamic imports', () => {
    const text = "import a from './a.js';\nimport type { B } from '../b.js';\nexport { c } from './c/d.js';\nconst e = await import('../e.js');\nimport './side.js';\n";
    expect(importsOf('src/x/y.ts', text).map((edge) => `${edge.to}:${edge.line}`)).toEqual(['src/x/a.ts:1', 'src/b.ts:2', 'src/x/c/d.ts:3', 'src/e.ts:4', 'src/x/side.ts:5']);
  });

  it('tells an upward import and a forbidden one from an allowed one', () => {
    expect(violation({ from: 'src/corpus/watch.ts', to: 'src/search/index.ts', line: 3 })).toMatch(/src\/corpus\/watch\.ts:3 imports src\/search\/index\.ts: src\/corpus/);
    expect(violation({ from: 'src/discord/command.ts', to: 'src/announce/types.ts', line: 1 })).not.toBeNull();
    expect(violation({ from: 'src/cite/format.ts', to: 'src/discord/limits.ts', line: 1 })).toMatch(/src\/cite.* sits below src\/discord/);
    expect(violation({ from: 'src/sources/openalex.ts', to: 'src/search/index.ts', line: 1 })).toMatch(/sits below/);
    expect(violation({ from: 'src/web/page.ts', to: 'src/cite/format.ts', line: 1 })).toBeNull();
    expect(violation({ from: 'src/web/page.ts', to: 'commands/cite.ts', line: 1 })).toMatch(/sits below/);
    expect(violation({ from: 'commands/cite.ts', to: 'src/discord/router.ts', line: 1 })).toMatch(/do not import the router/);
    expect(violation({ from: 'src/cli/ask.ts', to: 'src/index.ts', line: 1 })).toMatch(/entry file/);
    expect(violation({ from: 'src/cli/ask.ts', to: 'src/serve.ts', line: 1 })).toMatch(/entry file/);
    expect(violation({ from: 'commands/cite.ts', to: 'src/discord/options.ts', line: 1 })).toBeNull();
    expect(violation({ from: 'src/nowhere/x.ts', to: 'src/config.ts', line: 1 })).toMatch(/in no layer/);
  });

  it('finds every circle, and none where imports only run down', () => {
    const edge = (from: string, to: string): Edge => ({ from, to, line: 1 });
    const graph = [edge('c', 'a'), edge('a', 'b'), edge('b', 'c'), edge('c', 'd'), edge('d', 'e'), edge('e', 'd'), edge('f', 'f'), edge('g', 'a')];
    expect(importCircles(graph)).toEqual([['a', 'b', 'c'], ['d', 'e'], ['f']]);
    expect(importCircles([edge('a', 'b'), edge('b', 'c'), edge('a', 'c'), edge('d', 'c')])).toEqual([]);
  });

  it('holds for every file of src/ and commands/, and each known exception is still needed', () => {
    const edges = allEdges();
    const problems = edges.map(violation).filter((problem): problem is string => problem !== null);
    for (const known of KNOWN_UPWARD) {
      if (!edges.some((edge) => edge.from === known.from && edge.to === known.to)) problems.push(`${known.from} no longer imports ${known.to}: delete it from KNOWN_UPWARD`);
    }
    expect(problems).toEqual([]);
  });

  it('has no import circle but the known ones, and each known one is still there', () => {
    const circles = importCircles(allEdges()).map((files) => files.join(' ↔ '));
    const known = KNOWN_CIRCLES.map((circle) => [...circle.files].sort().join(' ↔ '));
    expect(circles.filter((circle) => !known.includes(circle)), 'new import circles').toEqual([]);
    expect(known.filter((circle) => !circles.includes(circle)), 'circles gone: delete them from KNOWN_CIRCLES').toEqual([]);
  });

  it('places the parts the layers name and the folders under src/ (src/sources/ and src/web/ may not exist yet)', () => {
    const named = LAYERS.flat();
    const folders = readdirSync(path.join(ROOT, 'src'), { withFileTypes: true }).map((entry) => `src/${entry.name}`);
    expect(folders.filter((part) => !named.includes(part)), 'parts of src/ in no layer').toEqual([]);
    expect(named.filter((part) => !existsSync(path.join(ROOT, part)) && !['src/sources', 'src/web'].includes(part)), 'layers naming nothing').toEqual([]);
  });
});
