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

/** Builds a pauser whose pending turn ends at once when `signal` aborts (no timer is left behind). */
export function createPauser(everyMs: number, signal: AbortSignal): Pauser {
  let last = performance.now();
  const turn = (): Promise<void> =>
    new Promise<void>((resolve) => {
      const done = (): void => {
        clearTimeout(id);
        signal.removeEventListener("abort", done);
        last = performance.now();
        resolve();
      };
      const id = setTimeout(done, 0);
      signal.addEventListener("abort", done, { once: true });
    });
  return {
    due: () => (performance.now() - last >= everyMs && !signal.aborted ? turn() : undefined),
  };
}
