/** Building the index in steps: a builder is a generator that yields now and then, so a bot building a large index keeps answering. */
import { setImmediate } from 'node:timers/promises';
import type MiniSearch from 'minisearch';

/** A build step by step: yields between small pieces of work, returns what it built. */
export type Steps<T> = Generator<void, T>;

const SLICE_MS = 10;

/** Adds documents 0 … count - 1 to a MiniSearch, `chunk` at a time, yielding after each chunk. */
export function* addAllPaced(miniSearch: MiniSearch<number>, count: number, chunk: number): Steps<void> {
  for (let start = 0; start < count; start += chunk) {
    miniSearch.addAll(Array.from({ length: Math.min(chunk, count - start) }, (_, i) => start + i));
    yield;
  }
}

/** Runs a builder to the end without pausing. */
export function runNow<T>(steps: Steps<T>): T {
  let next = steps.next();
  while (next.done !== true) next = steps.next();
  return next.value;
}

/** Runs a builder, giving timers and I/O a turn whenever `SLICE_MS` has passed since the last. */
export async function runPaced<T>(steps: Steps<T>): Promise<T> {
  let sliceStart = performance.now();
  for (;;) {
    const next = steps.next();
    if (next.done === true) return next.value;
    if (performance.now() - sliceStart >= SLICE_MS) {
      await setImmediate();
      sliceStart = performance.now();
    }
  }
}
