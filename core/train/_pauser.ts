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

/** Options of {@linkcode createPauser}. */
export interface PauserOptions {
  /**
   * The clock the time budget is measured on, in ms (default
   * `performance.now`). Tests pass a fake one, so that they can count turns
   * without depending on how fast the machine runs.
   */
  readonly now?: () => number;
}

/**
 * Builds a pauser whose pending turn ends at once when `signal` aborts (no timer is left behind).
 *
 * @example
 * ```ts
 * import { createPauser } from "./_pauser.ts";
 * let clock = 0, turns = 0;
 * const pauser = createPauser(25, new AbortController().signal, { now: () => clock });
 * for (let step = 0; step < 100; step++) {
 *   clock += 1; // a step of 1 ms
 *   const turn = pauser.due();
 *   if (turn) await turn, turns++;
 * }
 * turns; // 4: one after every 25 ms of work
 * ```
 */
export function createPauser(
  everyMs: number,
  signal: AbortSignal,
  options: PauserOptions = {},
): Pauser {
  const now = options.now ?? (() => performance.now());
  let last = now(), checked = last;
  // Calls between clock reads, adapted so that reads come every CHECK_MS or so.
  let stride = 1, countdown = 1;
  const turn = (): Promise<void> =>
    new Promise<void>((resolve) => {
      const done = (): void => {
        clearTimeout(id);
        signal.removeEventListener("abort", done);
        last = checked = now();
        resolve();
      };
      const id = setTimeout(done, 0);
      signal.addEventListener("abort", done, { once: true });
    });
  return {
    due() {
      if (--countdown > 0) return undefined;
      const at = now();
      stride = nextStride(stride, at - checked, CHECK_MS, MAX_STRIDE);
      if (everyMs - (at - last) < CHECK_MS) stride = 1; // close to a turn: check every call
      countdown = stride;
      checked = at;
      return at - last >= everyMs && !signal.aborted ? turn() : undefined;
    },
  };
}

/**
 * How many calls to let pass before the next clock read, for code that reads
 * the clock (~0.1 µs in Deno) about every `targetMs` while its calls may take
 * under a microsecond each: the trainer's event-loop turns and its epoch
 * measurements.
 *
 * `stride` calls took `spentMs`; the next stride fits `targetMs` at that pace,
 * at most doubles (a sudden speed-up is not trusted at once) and stays within
 * 1..`max` (a call that suddenly gets slower delays a read by at most `max`
 * calls).
 *
 * @example
 * ```ts
 * import { nextStride } from "./_pauser.ts";
 * nextStride(4, 0.01, 0.25, 64); // 8: 4 calls took 10 µs, but at most double
 * nextStride(8, 1, 0.25, 64); // 2
 * ```
 */
export function nextStride(stride: number, spentMs: number, targetMs: number, max: number): number {
  const fit = spentMs > 0 ? Math.round(stride * targetMs / spentMs) : max;
  return Math.max(1, Math.min(max, 2 * stride, fit));
}
