/**
 * The citation thread: compiles each style's citeproc engine (one synchronous call that takes seconds for APA or
 * Chicago) and renders entries, off the main thread. Started by src/cite/styles.ts through worker-entry.mjs.
 * Requests are answered in the order they come; a style's engine is built once, a style that cannot be built is
 * remembered with its reason.
 */
import { readFileSync } from 'node:fs';
import { parentPort, workerData } from 'node:worker_threads';
import CSL, { type Engine } from 'citeproc';
import type { CslItem } from './csl.js';
import { reason, type CiteMessage, type CiteRequest, type CiteSetup } from './protocol.js';

const port = parentPort;
if (!port) throw new Error('cite: src/cite/worker.ts runs only as a worker thread');
const setup = workerData as CiteSetup;
const files = new Map(setup.styles.map((style) => [style.id, style]));
const engines = new Map<string, { engine: Engine; item: { current: CslItem | null } } | { failed: string }>();
let locale: string | null = null;

port.on('message', (request: CiteRequest) => {
  const post = (message: CiteMessage): void => port.postMessage(message);
  const built = engineOf(request.style);
  if ('failed' in built) {
    post({ type: 'failed', id: request.id, style: request.style, message: built.failed, compile: true });
    return;
  }
  if (request.type === 'compile') {
    post({ type: 'compiled', id: request.id, style: request.style });
    return;
  }
  const { engine, item } = built;
  const entries: string[] = [];
  try {
    for (const input of request.items) {
      item.current = input;
      engine.updateItems([input.id]);
      const bibliography = engine.makeBibliography();
      if (!bibliography) throw new Error('the style has no bibliography');
      entries.push(bibliography[1][0] ?? '');
    }
  } catch (error) {
    post({ type: 'failed', id: request.id, style: request.style, message: `cite: ${files.get(request.style)?.file ?? request.style}: ${reason(error)}`, compile: false });
    return;
  } finally {
    item.current = null;
  }
  post({ type: 'rendered', id: request.id, style: request.style, entries });
});

function engineOf(id: string): { engine: Engine; item: { current: CslItem | null } } | { failed: string } {
  const known = engines.get(id);
  if (known) return known;
  const style = files.get(id);
  if (!style) return { failed: `cite: there is no citation style "${id}"` };
  const item: { current: CslItem | null } = { current: null };
  let built: { engine: Engine; item: { current: CslItem | null } } | { failed: string };
  try {
    const xml = style.xml ?? readFileSync(style.file, 'utf8');
    locale ??= readFileSync(setup.localeFile, 'utf8');
    const en = locale;
    const sys = { retrieveLocale: (lang: string) => (lang === 'en-US' ? en : ''), retrieveItem: () => item.current ?? {} };
    const engine = new CSL.Engine(sys, xml, 'en-US', true);
    engine.setOutputFormat('text');
    built = { engine, item };
  } catch (error) {
    built = { failed: `cite: ${style.file}: citeproc cannot use this style: ${reason(error)}` };
  }
  engines.set(id, built);
  return built;
}
