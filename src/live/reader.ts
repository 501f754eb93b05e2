/**
 * The page reader thread (src/live/pages.ts runs in it), both ends of it and the messages between them: the bot
 * keeps answering while a 20 MB page is read. A thread that dies is replaced on the next request.
 */
import { Worker, parentPort, workerData } from 'node:worker_threads';
import type { Diagnostic, Paper, Profile } from '../corpus/schema.js';
import { loggerOver, type LogFields, type LogLevel, type Logger } from '../log.js';
import { PageSet, type ReaderSetup, type ScanRequest, type ScanResult } from './pages.js';

/** Main → reader. */
type ReaderRequest =
  /** A scan (its Date is cloned as one). */
  | (ScanRequest & { type: 'scan'; id: number })
  /** Send the pages served now (answered as a scan that changed nothing). */
  | { type: 'send'; id: number }
  | { type: 'persist'; id: number }
  /** A chunk was taken in: send the next. */
  | { type: 'ack'; id: number };

/** Reader → main. */
type ReaderMessage =
  | { type: 'log'; level: LogLevel; msg: string; fields: LogFields }
  /** Part of a corpus: small, so no message takes the main thread long to take in. */
  | { type: 'chunk'; id: number; papers: Paper[]; diagnostics: Diagnostic[] }
  /** A scan's result; `profiles` when a corpus was sent (its papers and diagnostics came before), else null. */
  | (Omit<ScanResult, 'corpus'> & { type: 'scanned'; id: number; profiles: Profile[] | null })
  | { type: 'persisted'; id: number; wrote: boolean }
  | { type: 'failed'; id: number; message: string };

/** Papers per message: about a megabyte of structured clone (with at most 2,000 diagnostics), a few milliseconds to take in. */
export const PAPERS_PER_MESSAGE = 500;
const DIAGNOSTICS_PER_MESSAGE = 2_000;

/** A request in flight and the chunks received for it so far. */
interface Pending {
  resolve: (message: ReaderMessage) => void;
  reject: (error: Error) => void;
  papers: Paper[];
  diagnostics: Diagnostic[];
}

/** Reads the pages in a worker thread. */
export class PageReader {
  readonly #options: ReaderSetup & { log: Logger };
  readonly #pending = new Map<number, Pending>();
  #worker: Worker | null = null;
  #nextId = 1;
  #closed = false;

  constructor(options: ReaderSetup & { log: Logger }) {
    this.#options = options;
  }

  /** Reads what changed (everything, the first time); the corpus, when there is one, assembled from its chunks. */
  async scan(request: ScanRequest): Promise<ScanResult> {
    return this.#scanned(await this.#request((id) => ({ type: 'scan', id, ...request })));
  }

  /** The pages served now, merged, as the last scan found them (`changed` empty). */
  async current(): Promise<ScanResult> {
    return this.#scanned(await this.#request((id) => ({ type: 'send', id })));
  }

  #scanned({ pending, message }: { pending: Pending; message: ReaderMessage }): ScanResult {
    if (message.type !== 'scanned') throw new Error(`live: the page reader answered a scan with ${message.type}`);
    const { changed, stamps, key, restored, profiles } = message;
    return { changed, stamps, key, restored, corpus: profiles ? { profiles, papers: pending.papers, diagnostics: pending.diagnostics } : null };
  }

  /** Saves the snapshot of the pages served, unless it is saved already; true when written. */
  async persist(): Promise<boolean> {
    const { message } = await this.#request((id) => ({ type: 'persist', id }));
    return message.type === 'persisted' && message.wrote;
  }

  /** Ends the thread; requests in flight fail. */
  async close(): Promise<void> {
    this.#closed = true;
    const worker = this.#worker;
    this.#worker = null;
    if (worker) await worker.terminate();
    this.#failAll(new Error('live: the page reader was closed'));
  }

  async #request(make: (id: number) => ReaderRequest): Promise<{ pending: Pending; message: ReaderMessage }> {
    if (this.#closed) throw new Error('live: the page reader is closed');
    const worker = this.#start();
    const id = this.#nextId++;
    const done = new Promise<ReaderMessage>((resolve, reject) => {
      this.#pending.set(id, { resolve, reject, papers: [], diagnostics: [] });
    });
    const pending = this.#pending.get(id) as Pending;
    worker.ref();
    worker.postMessage(make(id));
    try {
      const message = await done;
      if (message.type === 'failed') throw new Error(message.message);
      return { pending, message };
    } finally {
      this.#pending.delete(id);
      // An idle reader does not keep the process alive.
      if (this.#pending.size === 0) this.#worker?.unref();
    }
  }

  #start(): Worker {
    if (this.#worker) return this.#worker;
    const setup: ReaderSetup = { dir: this.#options.dir, stateDir: this.#options.stateDir };
    // The entry registers tsx itself: no need to inherit the main thread's --import.
    const worker = new Worker(new URL('./worker-entry.mjs', import.meta.url), { workerData: setup, execArgv: [] });
    worker.on('message', (message: ReaderMessage) => this.#receive(message));
    worker.on('error', (error) => {
      this.#options.log.error('live: the page reader thread failed; a new one will read every page on the next reload', { error });
    });
    worker.on('exit', () => {
      if (this.#worker === worker) this.#worker = null;
      this.#failAll(new Error('live: the page reader thread stopped'));
    });
    this.#worker = worker;
    return worker;
  }

  #receive(message: ReaderMessage): void {
    if (message.type === 'log') {
      this.#options.log[message.level](message.msg, message.fields);
      return;
    }
    const pending = this.#pending.get(message.id);
    if (message.type === 'chunk') {
      pending?.papers.push(...message.papers);
      pending?.diagnostics.push(...message.diagnostics);
      // From the next turn of the event loop: commands waiting meanwhile run between two chunks.
      const worker = this.#worker;
      setImmediate(() => worker?.postMessage({ type: 'ack', id: message.id } satisfies ReaderRequest));
      return;
    }
    pending?.resolve(message);
  }

  #failAll(error: Error): void {
    for (const pending of this.#pending.values()) pending.reject(error);
    this.#pending.clear();
  }
}

/** The thread's side, run by worker-entry.mjs: answers the main thread's requests one at a time, in order. */
export function runReaderThread(): void {
  const port = parentPort;
  if (!port) throw new Error('live: runReaderThread runs only in a worker thread');
  const post = (message: ReaderMessage): void => port.postMessage(message);
  // The main thread's logger writes what the thread logs.
  const log = loggerOver((level, msg, fields) => post({ type: 'log', level, msg, fields }));
  const pages = new PageSet({ ...(workerData as ReaderSetup), log });
  // A scan and a persist never interleave.
  let queue: Promise<void> = Promise.resolve();
  let acknowledged: (() => void) | null = null;
  port.on('message', (request: ReaderRequest) => {
    if (request.type === 'ack') acknowledged?.();
    else queue = queue.then(() => handle(request));
  });

  async function handle(request: Exclude<ReaderRequest, { type: 'ack' }>): Promise<void> {
    try {
      if (request.type === 'persist') {
        post({ type: 'persisted', id: request.id, wrote: await pages.persist() });
        return;
      }
      const { corpus, ...scanned } = request.type === 'send' ? pages.current() : await pages.scan(request);
      const { papers = [], diagnostics = [] } = corpus ?? {};
      const part = <T>(list: T[], size: number, i: number): T[] => list.slice(i * size, (i + 1) * size);
      for (let i = 0; i < Math.max(papers.length / PAPERS_PER_MESSAGE, diagnostics.length / DIAGNOSTICS_PER_MESSAGE); i++) {
        const chunk = { papers: part(papers, PAPERS_PER_MESSAGE, i), diagnostics: part(diagnostics, DIAGNOSTICS_PER_MESSAGE, i) };
        // Taken in before the next is sent: Node delivers every message queued on a port in one turn.
        const taken = new Promise<void>((resolve) => {
          acknowledged = resolve;
        });
        post({ type: 'chunk', id: request.id, ...chunk });
        await taken;
      }
      post({ type: 'scanned', id: request.id, ...scanned, profiles: corpus?.profiles ?? null });
    } catch (error) {
      post({ type: 'failed', id: request.id, message: error instanceof Error ? error.message : String(error) });
    }
  }
}
