/**
 * Interactions come first. The router counts the interactions it is answering; background work (announcements,
 * follow deliveries, digests, reloads) takes its next step only once none is waiting, so a member's answer never
 * queues behind it. Background work is not starved either: after `MAX_YIELD_MS` of a steady stream it goes on.
 */

/** How long, at most, one background step waits for the interactions to finish. */
export const MAX_YIELD_MS = 2_000;

let answering = 0;
let waiters: Array<() => void> = [];

/** Counts an interaction as being answered until the returned function is called (once). */
export function foregroundStarted(): () => void {
  answering += 1;
  let done = false;
  return () => {
    if (done) return;
    done = true;
    answering -= 1;
    if (answering === 0) wakeWaiters();
  };
}

/**
 * Resolves when background work may take a step: on the next turn of the event loop (so timers and I/O run
 * first) once no interaction is being answered, or after `maxWaitMs` whatever the count.
 */
export function backgroundTurn(maxWaitMs: number = MAX_YIELD_MS): Promise<void> {
  return new Promise((resolve) => {
    if (answering === 0) {
      setImmediate(resolve);
      return;
    }
    const timer = setTimeout(finish, maxWaitMs);
    timer.unref();
    function finish(): void {
      clearTimeout(timer);
      waiters = waiters.filter((waiter) => waiter !== finish);
      setImmediate(resolve);
    }
    waiters.push(finish);
  });
}

function wakeWaiters(): void {
  const woken = waiters;
  waiters = [];
  for (const wake of woken) wake();
}
