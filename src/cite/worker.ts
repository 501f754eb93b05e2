/** The citation thread (started by src/cite/styles.ts): compiles each style's engine once, or remembers why it cannot. */
import { readFileSync } from 'node:fs';
import { parentPort, workerData } from 'node:worker_threads';
import CSL, { type Engine } from 'citeproc';
import type { CslItem } from './csl.js';
import { reason, type CiteAnswer, type CiteRequest, type CiteSetup } from './protocol.js';

const port = parentPort;
if (!port) throw new Error('cite: src/cite/worker.ts runs only as a worker thread');
const setup = workerData as CiteSetup;
const files = new Map(setup.styles.map((style) => [style.id, style]));
/** Each style's engine, or why it cannot be built. */
const engines = new Map<string, Engine | string>();
/** The item being rendered: what citeproc's `retrieveItem` hands out. */
let current: CslItem | null = null;
let locale: string | null = null;

port.on('message', ({ id, style, items }: CiteRequest) => {
  const answer = (message: CiteAnswer): void => port.postMessage(message);
  const engine = engineOf(style);
  if (typeof engine === 'string') return answer({ id, failed: engine });
  const entries: string[] = [];
  try {
    for (const item of items) {
      current = item;
      engine.updateItems([item.id]);
      const bibliography = engine.makeBibliography();
      if (!bibliography) throw new Error('the style has no bibliography');
      entries.push(bibliography[1][0] ?? '');
    }
  } catch (error) {
    return answer({ id, failed: `cite: ${files.get(style)?.file ?? style}: ${reason(error)}` });
  } finally {
    current = null;
  }
  answer({ id, entries });
});

function engineOf(id: string): Engine | string {
  let engine = engines.get(id);
  if (engine !== undefined) return engine;
  const style = files.get(id);
  if (!style) return `cite: there is no citation style "${id}"`;
  try {
    const xml = style.xml ?? readFileSync(style.file, 'utf8');
    const en = (locale ??= readFileSync(setup.localeFile, 'utf8'));
    engine = new CSL.Engine({ retrieveLocale: (lang) => (lang === 'en-US' ? en : ''), retrieveItem: () => current ?? {} }, xml, 'en-US', true);
    engine.setOutputFormat('text');
  } catch (error) {
    engine = `cite: ${style.file}: citeproc cannot use this style: ${reason(error)}`;
  }
  engines.set(id, engine);
  return engine;
}
