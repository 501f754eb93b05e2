/**
 * Interactions come first: background work (announcements, deliveries, reloads) takes its next step once none is
 * being answered (or after `MAX_YIELD_MS` of a steady stream), so a member's answer never queues behind it.
 */
import { EventEmitter, once } from 'node:events';
import { setImmediate } from 'node:timers/promises';

/** How long, at most, one background step waits for the interactions to finish. */
export const MAX_YIELD_MS = 2_000;

let answering = 0;
// Emits 'idle' when the last interaction being answered is done.
const interactions = new EventEmitter().setMaxListeners(0);

/** Counts an interaction as being answered until the returned function is called (once). */
export function foregroundStarted(): () => void {
  answering += 1;
  let done = false;
  return () => {
    if (done) return;
    done = true;
    answering -= 1;
    if (answering === 0) interactions.emit('idle');
  };
}

/** Resolves on the next turn of the event loop once no interaction is being answered, or after `MAX_YIELD_MS`. */
export async function backgroundTurn(): Promise<void> {
  if (answering > 0) await once(interactions, 'idle', { signal: AbortSignal.timeout(MAX_YIELD_MS) }).catch(() => {});
  await setImmediate();
}
