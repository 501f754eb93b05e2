/**
 * The page's script, `site.js`: src/web/client/main.ts with MiniSearch and the bot's own text processing bundled by
 * esbuild into one classic script (an IIFE: a `file://` page can run no module script), minified. Bundled once per
 * process, on first use.
 */
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const ENTRY = path.join(path.dirname(fileURLToPath(import.meta.url)), 'client/main.ts');

let bundled: Promise<string> | null = null;

/** The bundled page script. */
export function pageScript(): Promise<string> {
  bundled ??= bundle().catch((error: unknown) => {
    bundled = null;
    throw error;
  });
  return bundled;
}

async function bundle(): Promise<string> {
  const result = await build({
    entryPoints: [ENTRY],
    bundle: true,
    format: 'iife',
    platform: 'browser',
    target: ['es2020'],
    minify: true,
    write: false,
    legalComments: 'none',
    logLevel: 'silent',
  });
  const [file] = result.outputFiles;
  if (!file) throw new Error('site: esbuild wrote no page script');
  return file.text;
}
