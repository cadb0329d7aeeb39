import type { Sample, StreamSource } from "./data_source.ts";

/** Samples the trainer can read again each epoch: a collection, or a function that opens a new pass. */
export type SampleIterable =
  | Iterable<Sample>
  | AsyncIterable<Sample>
  | (() => Iterable<Sample> | AsyncIterable<Sample>);

function isIterator(value: object): boolean {
  return typeof (value as { next?: unknown }).next === "function";
}

/**
 * A source from sync or async iterables of samples. Collections (arrays,
 * sets) are read again each epoch; for generators pass a function that
 * starts a new one, since a generator can be read only once.
 *
 * @example
 * ```ts
 * import { fromIterable } from "./from_iterable.ts";
 * function* samples() {
 *   for (let i = 0; i < 100; i++) yield { x: [i / 100], y: [2 * i / 100] };
 * }
 * const source = fromIterable(() => samples());
 * ```
 */
export function fromIterable(samples: SampleIterable): StreamSource {
  if (typeof samples !== "function" && isIterator(samples)) {
    throw new TypeError(
      "Invalid samples: a generator or iterator can be read only once; pass a function that starts a new one, e.g. fromIterable(() => samples())",
    );
  }
  return {
    kind: "stream",
    name: "iterable",
    open: () => (typeof samples === "function" ? samples() : samples),
  };
}
