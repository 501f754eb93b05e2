/**
 * When each interaction's handler starts: one per turn of the event loop, so deferral timers and I/O run between two
 * handlers; during a burst, handlers are held and everything waiting is deferred first (acknowledging is cheap).
 */

/** An interaction arriving with this many waiting (a burst: an announcement pinged everyone) is deferred on arrival. */
export const DEFER_AT_ONCE_WAITING = 8;

/** During a burst, handlers wait for a pause this long in the arrivals (and for the deferrals in flight). */
export const ARRIVALS_QUIET_MS = 25;

/** A handler waits for a pause in the arrivals at most this long, so a steady stream cannot starve it. */
export const MAX_HOLD_MS = 2_000;

// `start` runs the handler; `hold` (once) defers its interaction while handlers are held.
interface Waiting {
  start: () => void;
  hold: (() => void) | null;
  queuedAt: number;
}

/** The queue of handlers waiting for their turn: in arrival order, autocompletes first, one per event-loop turn. */
export class HandlerTurns {
  // Oldest first; autocompletes have a queue of their own that goes first.
  readonly #waiting: Waiting[] = [];
  readonly #urgent: Waiting[] = [];
  #starting = false;
  #holdTimer: NodeJS.Timeout | null = null;
  #lastArrivalAt = 0;
  // Deferrals sent and not yet through.
  #deferrals = 0;

  /** Command and component handlers waiting for their turn. */
  get waiting(): number {
    return this.#waiting.length;
  }

  /** Notes an interaction's arrival (a burst is a run of them without a pause). */
  arrived(): void {
    this.#lastArrivalAt = Date.now();
  }

  /** Resolves at this interaction's turn; `urgent` (an autocomplete) goes first and is never held. */
  turn(hold: (() => void) | null, urgent = false): Promise<void> {
    return new Promise((resolve) => {
      const waiting: Waiting = { start: resolve, hold, queuedAt: Date.now() };
      if (urgent) {
        this.#urgent.push(waiting);
        if (this.#holdTimer) this.#release();
      } else this.#waiting.push(waiting);
      if (this.#starting) return;
      this.#starting = true;
      setImmediate(() => this.#startNext());
    });
  }

  /** Counts a deferral on its way to Discord: held handlers wait for it. */
  deferralSent(): void {
    this.#deferrals += 1;
  }

  /** A deferral is through (or failed): once the last is, held handlers may start. */
  deferralDone(): void {
    this.#deferrals -= 1;
    if (this.#deferrals === 0 && this.#holdTimer) this.#release();
  }

  #release(): void {
    if (this.#holdTimer) clearTimeout(this.#holdTimer);
    this.#holdTimer = null;
    setImmediate(() => this.#startNext());
  }

  #startNext(): void {
    this.#holdTimer = null;
    const urgent = this.#urgent.shift();
    const head = urgent ?? this.#waiting[0];
    if (head && !urgent) {
      const now = Date.now();
      const quietIn = this.#lastArrivalAt + ARRIVALS_QUIET_MS - now;
      const arriving = this.#waiting.length >= DEFER_AT_ONCE_WAITING && quietIn > 0;
      if ((arriving || this.#deferrals > 0) && now - head.queuedAt < MAX_HOLD_MS) {
        // Defer everything waiting now; start handlers once the arrivals pause and the deferrals are through.
        for (const waiting of this.#waiting) {
          waiting.hold?.();
          waiting.hold = null;
        }
        this.#holdTimer = setTimeout(() => this.#startNext(), Math.max(quietIn, ARRIVALS_QUIET_MS));
        return;
      }
      this.#waiting.shift();
    }
    head?.start();
    if (this.#waiting.length > 0 || this.#urgent.length > 0) setImmediate(() => this.#startNext());
    else this.#starting = false;
  }
}
