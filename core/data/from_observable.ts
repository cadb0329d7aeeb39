import type { Observable } from "rxjs";
import type { Sample, StreamSource } from "./data_source.ts";

/**
 * Reads one subscription as an async iterable. Observables push without
 * back-pressure, so values wait in a queue until the trainer takes them.
 */
async function* subscribeOnce(
  samples$: Observable<Sample>,
  signal: AbortSignal,
): AsyncGenerator<Sample, void, undefined> {
  const queue: Sample[] = [];
  let head = 0, done = false, failure: { error: unknown } | undefined;
  let wake: (() => void) | undefined;
  const notify = (): void => {
    wake?.();
    wake = undefined;
  };
  const subscription = samples$.subscribe({
    next: (s) => void (queue.push(s), notify()),
    error: (error) => void ((failure = { error }), notify()),
    complete: () => void ((done = true), notify()),
  });
  signal.addEventListener("abort", notify);
  try {
    for (;;) {
      if (head < queue.length) {
        const sample = queue[head++];
        if (head > 1024 && head * 2 > queue.length) queue.splice(0, head), (head = 0);
        yield sample;
      } else if (failure) throw failure.error;
      else if (done || signal.aborted) return;
      else await new Promise<void>((resolve) => (wake = resolve));
    }
  } finally {
    signal.removeEventListener("abort", notify);
    subscription.unsubscribe();
  }
}

/**
 * A source from an Observable of samples. It is subscribed once per pass, so
 * it must be cold (replay its samples on every subscription), like `from(array)`
 * or an Observable that reads a file when subscribed. Values it pushes faster
 * than training takes them are queued.
 *
 * @example
 * ```ts
 * import { from } from "rxjs";
 * import { fromObservable } from "./from_observable.ts";
 * const source = fromObservable(from([{ x: [0], y: [0] }, { x: [1], y: [2] }]));
 * ```
 */
// deno-doc-ignore private-type-ref -- Observable is rxjs's, documented there
export function fromObservable(samples$: Observable<Sample>): StreamSource {
  return { kind: "stream", name: "observable", open: (signal) => subscribeOnce(samples$, signal) };
}
