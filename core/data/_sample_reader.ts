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
 * The kept samples are copied into two flat arrays (the widths of the first
 * sample), so the source's sample objects die young instead of living, and
 * being promoted, until drawn; the sample it gives is reused by the next call.
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
  let inputs = 0, outputs = 0, kept = 0, seen = 0;
  let xs = new Float32Array(0), ys = new Float32Array(0);
  let out: { x: Float32Array; y: Float32Array } | undefined;
  /** Copies `s` into slot `j` (allocating the slots at the first sample). */
  const store = (s: Sample, j: number): void => {
    const y = typeof s.y === "number" ? [s.y] : s.y;
    seen++;
    if (!out) {
      inputs = s.x.length, outputs = y.length;
      xs = new Float32Array(shuffle!.size * inputs), ys = new Float32Array(shuffle!.size * outputs);
      out = { x: new Float32Array(inputs), y: new Float32Array(outputs) };
    }
    if (s.x.length !== inputs || y.length !== outputs) {
      throw new TypeError(
        `Invalid sample ${seen}: it has ${s.x.length} features and ${y.length} targets but the first sample has ${inputs} and ${outputs}; every sample needs the same widths`,
      );
    }
    xs.set(s.x, j * inputs), ys.set(y, j * outputs);
  };
  return {
    async next() {
      if (!shuffle) return pull();
      while (!ended && kept < shuffle.size) {
        const s = await pull();
        if (s !== undefined) store(s, kept++);
      }
      if (kept === 0) return undefined;
      const j = shuffle.rng.int(kept);
      out!.x.set(xs.subarray(j * inputs, (j + 1) * inputs));
      out!.y.set(ys.subarray(j * outputs, (j + 1) * outputs));
      const s = await pull();
      if (s !== undefined) store(s, j);
      else {
        kept--; // the last slot moves into the drawn one
        xs.copyWithin(j * inputs, kept * inputs, (kept + 1) * inputs);
        ys.copyWithin(j * outputs, kept * outputs, (kept + 1) * outputs);
      }
      return out;
    },
    async close() {
      kept = 0;
      if (!ended) ended = true, await it.return?.();
    },
  };
}
