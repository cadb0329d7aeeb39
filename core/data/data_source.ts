/**
 * What the trainer reads: samples held in memory, or a source it opens once
 * per epoch and reads in one pass (a CSV file, a generator, a stream).
 * Types only; nothing here runs.
 *
 * @module
 */

/** One training example: features and targets. A number `y` is one target (e.g. a class label for `oneHot`). */
export interface Sample {
  /** Features: one value per network input, as many in every sample as in the first. */
  readonly x: ArrayLike<number>;
  /**
   * Targets: one value per network output (one-hot rows for classes), as many
   * in every sample as in the first; a number counts as one target.
   */
  readonly y: ArrayLike<number> | number;
}

/**
 * Samples held in memory as row-major float32 arrays. The trainer shuffles
 * them fully each epoch and can hold some out for validation by index.
 */
export interface MemorySource {
  /** Tells the kinds of {@linkcode DataSource} apart: rows the trainer can index and shuffle fully. */
  readonly kind: "memory";
  /** Features, `size * inputs` long. */
  readonly x: Float32Array;
  /** Targets, `size * outputs` long. */
  readonly y: Float32Array;
  /** Features per sample: the row width of `x`. */
  readonly inputs: number;
  /** Targets per sample: the row width of `y` (1 for class labels that `oneHot` expands). */
  readonly outputs: number;
  /** Number of samples. */
  readonly size: number;
  /**
   * For rows kept in another form (a table's compact columns, see
   * table_cache.ts): writes rows `order` (in that order, from row 0) into the
   * batch's `x` and `t`. When given, `x` and `y` are not read.
   */
  readonly encodeRows?: (
    order: Uint32Array,
    into: { readonly x: Float32Array; readonly t: Float32Array },
  ) => void;
}

/**
 * Samples read in one pass. `open` starts a new pass from the first sample
 * each time it is called (once per epoch, once more to learn the widths, and
 * once per `standardize` fit). When `signal` aborts, the pass should stop
 * reading and release what it holds (a file, a socket).
 */
export interface StreamSource {
  /** Tells the kinds of {@linkcode DataSource} apart: samples read in order, a pass per `open`. */
  readonly kind: "stream";
  /** What the samples come from, for messages: "csv", "ndjson", "iterable", ... */
  readonly name: string;
  /** Samples per pass, when known before reading (progress and the trainer's `start` event use it). */
  readonly size?: number;
  /**
   * Starts a new pass from the first sample. `signal` aborts when the run is
   * unsubscribed mid-pass: end the pass then and release what it holds.
   */
  open(signal: AbortSignal): Iterable<Sample> | AsyncIterable<Sample>;
}

/** Any data the trainer reads. */
export type DataSource = MemorySource | StreamSource;
