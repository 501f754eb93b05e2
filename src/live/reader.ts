/**
 * The main thread's side of the page reader thread: asks it to read the pages, and puts the corpus it sends back
 * in chunks together. Reading, parsing and merging never run on the main thread, so the bot keeps answering while
 * a 20 MB page is read. A thread that dies is replaced on the next request (it then reads every page again).
 */
import { Worker } from 'node:worker_threads';
import type { Diagnostic, Paper } from '../corpus/schema.js';
import type { Logger } from '../log.js';
import type { ReaderMessage, ReaderRequest, ReaderSetup, ScanRequest, ScanResult } from './protocol.js';

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
    if (message.type === 'papers' || message.type === 'diagnostics') {
      if (message.type === 'papers') for (const paper of message.papers) pending?.papers.push(paper);
      else for (const diagnostic of message.diagnostics) pending?.diagnostics.push(diagnostic);
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
