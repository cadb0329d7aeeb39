import type { Rng } from "../math/rng.ts";
import type { Sample } from "./data_source.ts";

/** Reads samples one at a time from a sync or async iterable, optionally through a shuffle buffer. */
export interface SampleReader {
  /** The next sample, or undefined at the end. */
  next(): Promise<Sample | undefined>;
  /** Stops reading early (runs the iterable's cleanup: cancels streams, closes files). */
  close(): Promise<void>;
}

/**
 * A bounded shuffle: keeps `size` samples, emits a random one and puts the
 * next sample from the stream in its place, then drains in random order. It
 * draws exactly one number from `rng` per sample, so a pass is reproducible.
 */
export function sampleReader(
  samples: Iterable<Sample> | AsyncIterable<Sample>,
  shuffle?: { rng: Rng; size: number },
): SampleReader {
  const it = Symbol.asyncIterator in samples
    ? samples[Symbol.asyncIterator]()
    : (samples as Iterable<Sample>)[Symbol.iterator]();
  let ended = false;
  const pull = async (): Promise<Sample | undefined> => {
    if (ended) return undefined;
    const r = await it.next();
    if (r.done) ended = true;
    return r.done ? undefined : r.value;
  };
  const pool: Sample[] = [];
  return {
    async next() {
      if (!shuffle) return pull();
      while (!ended && pool.length < shuffle.size) {
        const s = await pull();
        if (s !== undefined) pool.push(s);
      }
      if (pool.length === 0) return undefined;
      const j = shuffle.rng.int(pool.length);
      const out = pool[j];
      const s = await pull();
      if (s !== undefined) pool[j] = s;
      else pool[j] = pool[pool.length - 1], pool.pop();
      return out;
    },
    async close() {
      pool.length = 0;
      if (!ended) ended = true, await it.return?.();
    },
  };
}
