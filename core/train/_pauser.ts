import { nextStride } from "./_stride.ts";

/**
 * Gives the event loop a turn once `everyMs` of work has passed since the
 * last turn, so a server in the same process keeps answering while training.
 * A macrotask (`setTimeout(0)`) lets I/O run; microtasks would not. It costs
 * about 1-2 ms in Deno, hence a time budget rather than a turn per batch.
 */
export interface Pauser {
  /** A promise to await when a turn is due, else undefined (no allocation). */
  due(): Promise<void> | undefined;
}

/**
 * Reading the clock costs ~100 ns and a step of a tiny network ~2 µs, so the
 * clock is read about every CHECK_MS, at most every MAX_STRIDE calls (a step
 * that suddenly gets slower delays a turn by at most that many steps).
 */
const CHECK_MS = 0.25, MAX_STRIDE = 64;

/** Builds a pauser whose pending turn ends at once when `signal` aborts (no timer is left behind). */
export function createPauser(everyMs: number, signal: AbortSignal): Pauser {
  let last = performance.now(), checked = last;
  // Calls between clock reads, adapted so that reads come every CHECK_MS or so.
  let stride = 1, countdown = 1;
  const turn = (): Promise<void> =>
    new Promise<void>((resolve) => {
      const done = (): void => {
        clearTimeout(id);
        signal.removeEventListener("abort", done);
        last = checked = performance.now();
        resolve();
      };
      const id = setTimeout(done, 0);
      signal.addEventListener("abort", done, { once: true });
    });
  return {
    due() {
      if (--countdown > 0) return undefined;
      const now = performance.now();
      stride = nextStride(stride, now - checked, CHECK_MS, MAX_STRIDE);
      if (everyMs - (now - last) < CHECK_MS) stride = 1; // close to a turn: check every call
      countdown = stride;
      checked = now;
      return now - last >= everyMs && !signal.aborted ? turn() : undefined;
    },
  };
}
