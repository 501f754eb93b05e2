/**
 * The page reader thread: reads, parses and merges the pages (src/live/pages.ts) off the main thread, and sends
 * the corpus back in chunks. Started by src/live/reader.ts through worker-entry.mjs.
 */
import { parentPort, workerData } from 'node:worker_threads';
import type { LogFields, LogLevel, Logger } from '../log.js';
import { PageSet } from './pages.js';
import { DIAGNOSTICS_PER_MESSAGE, PAPERS_PER_MESSAGE, type ReaderMessage, type ReaderRequest, type ReaderSetup } from './protocol.js';

const port = parentPort;
if (!port) throw new Error('live: src/live/worker.ts runs only as a worker thread');
const setup = workerData as ReaderSetup;
const post = (message: ReaderMessage): void => port.postMessage(message);
const pages = new PageSet({ ...setup, log: forwardingLogger({}) });

// One request at a time, in order: a scan and a persist never interleave.
let queue: Promise<void> = Promise.resolve();
let acknowledged: (() => void) | null = null;
port.on('message', (request: ReaderRequest) => {
  if (request.type === 'ack') {
    acknowledged?.();
    return;
  }
  queue = queue.then(() => handle(request));
});

// Sends one chunk and waits until the main thread has taken it in.
async function sendChunk(message: ReaderMessage): Promise<void> {
  const taken = new Promise<void>((resolve) => {
    acknowledged = resolve;
  });
  post(message);
  await taken;
  acknowledged = null;
}

async function handle(request: Exclude<ReaderRequest, { type: 'ack' }>): Promise<void> {
  try {
    if (request.type === 'persist') {
      post({ type: 'persisted', id: request.id, wrote: await pages.persist() });
      return;
    }
    const result = request.type === 'send' ? pages.current() : await pages.scan(request);
    const { corpus, ...scanned } = result;
    if (corpus) {
      for (let start = 0; start < corpus.papers.length; start += PAPERS_PER_MESSAGE) {
        await sendChunk({ type: 'papers', id: request.id, papers: corpus.papers.slice(start, start + PAPERS_PER_MESSAGE) });
      }
      for (let start = 0; start < corpus.diagnostics.length; start += DIAGNOSTICS_PER_MESSAGE) {
        await sendChunk({ type: 'diagnostics', id: request.id, diagnostics: corpus.diagnostics.slice(start, start + DIAGNOSTICS_PER_MESSAGE) });
      }
    }
    post({ type: 'scanned', id: request.id, ...scanned, profiles: corpus?.profiles ?? null });
  } catch (error) {
    post({ type: 'failed', id: request.id, message: error instanceof Error ? error.message : String(error) });
  }
}

// The main thread's logger writes what this thread logs.
function forwardingLogger(base: LogFields): Logger {
  const at = (level: LogLevel) => (msg: string, fields?: LogFields) => post({ type: 'log', level, msg, fields: { ...base, ...fields } });
  return { debug: at('debug'), info: at('info'), warn: at('warn'), error: at('error'), child: (fields) => forwardingLogger({ ...base, ...fields }) };
}
