/**
 * When the pages have settled: every page has kept the size and modification time it was read with for
 * ANNOUNCE_SETTLE_MS, so a page saved in pieces is not announced half-written. Search does not wait for this.
 */

/** A page's size and modification time, as `stat` gives them. */
export interface PageStamp {
  size: number;
  mtimeMs: number;
}

/** Page file name → its stamp. */
export type Stamps = ReadonlyMap<string, PageStamp>;

/** What the settle rule says about the pages now. */
export type SettleVerdict =
  /** A page on disk is not what was read (changed, added or removed): read the pages again first. */
  | { state: 'changed'; page: string }
  /** What was read is still on disk, but a page changed less than the settle time ago. */
  | { state: 'waiting'; waitMs: number }
  /** Every page has been as it was read for the whole settle time. */
  | { state: 'settled' };

/** The settle rule; `seenAt` (when each stamp was first seen) stands in for a modification time in the future (a skewed clock). */
export function settleVerdict(read: Stamps, onDisk: Stamps, seenAt: ReadonlyMap<string, number>, nowMs: number, settleMs: number): SettleVerdict {
  for (const name of read.keys()) if (!onDisk.has(name)) return { state: 'changed', page: name };
  let lastChange = -Infinity;
  for (const [name, stamp] of onDisk) {
    const before = read.get(name);
    if (!before || before.size !== stamp.size || before.mtimeMs !== stamp.mtimeMs) return { state: 'changed', page: name };
    lastChange = Math.max(lastChange, Math.min(stamp.mtimeMs, seenAt.get(name) ?? nowMs));
  }
  const waitMs = Math.ceil(lastChange + settleMs - nowMs);
  return waitMs > 0 ? { state: 'waiting', waitMs } : { state: 'settled' };
}

/** Remembers when each stamp was first seen, across reads: a stamp unchanged since an earlier read keeps its time. */
export class StampClock {
  #stamps: Stamps = new Map();
  #seenAt = new Map<string, number>();

  /** Records the stamps of a read at `nowMs`. */
  observe(stamps: Stamps, nowMs: number): void {
    const seenAt = new Map<string, number>();
    for (const [name, stamp] of stamps) {
      const before = this.#stamps.get(name);
      const same = before !== undefined && before.size === stamp.size && before.mtimeMs === stamp.mtimeMs;
      seenAt.set(name, same ? (this.#seenAt.get(name) ?? nowMs) : nowMs);
    }
    this.#stamps = new Map(stamps);
    this.#seenAt = seenAt;
  }

  /** The verdict for the last read against the pages as they are now (default: as last read). */
  verdict(nowMs: number, settleMs: number, onDisk: Stamps = this.#stamps): SettleVerdict {
    return settleVerdict(this.#stamps, onDisk, this.#seenAt, nowMs, settleMs);
  }
}
