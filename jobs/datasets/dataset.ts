/**
 * The shape every built-in data set loads into: typed arrays, row-major, ready
 * for the trainer's in-memory source.
 *
 * @module
 */

/** Rows of inputs and targets as flat typed arrays. */
export interface Arrays {
  /** Inputs, `rows * inputs` values, row-major. */
  readonly x: Float32Array;
  /** Targets, `rows * outputs` values (one-hot rows for classification). */
  readonly y: Float32Array;
  /** Values per input row. */
  readonly inputs: number;
  /** Values per target row. */
  readonly outputs: number;
  /** Number of samples. */
  readonly rows: number;
}

/** A loaded data set: a training part and, when it has one, a held-out test part. */
export interface Dataset {
  /** Short name, e.g. `"mnist"`. */
  readonly name: string;
  /** Samples to train (and take validation samples) from. */
  readonly train: Arrays;
  /** Samples never trained on, evaluated once at the end. */
  readonly test?: Arrays;
  /** Class names for classification, in one-hot order. */
  readonly labels?: readonly string[];
  /** Names of the input columns, when they have names (saved models then read named rows). */
  readonly columns?: readonly string[];
  /**
   * How the loader standardized the inputs (per-feature mean and deviation of
   * the training rows), so that saved models can fold it in and take raw inputs.
   */
  readonly standardization?: { readonly mean: readonly number[]; readonly std: readonly number[] };
}

/**
 * Allocates empty arrays for `rows` samples.
 *
 * @example
 * ```ts
 * import { allocArrays } from "./dataset.ts";
 * const a = allocArrays(4, 2, 1);
 * a.x.length; // 8
 * ```
 */
export function allocArrays(rows: number, inputs: number, outputs: number): Arrays {
  return {
    x: new Float32Array(rows * inputs),
    y: new Float32Array(rows * outputs),
    inputs,
    outputs,
    rows,
  };
}

/**
 * Copies the rows listed in `order` out of `from`, in that order.
 *
 * @example
 * ```ts
 * import { allocArrays, pickRows } from "./dataset.ts";
 * const all = allocArrays(3, 1, 1);
 * all.x.set([10, 20, 30]);
 * pickRows(all, [2, 0]).x; // Float32Array [30, 10]
 * ```
 */
export function pickRows(from: Arrays, order: ArrayLike<number>): Arrays {
  const out = allocArrays(order.length, from.inputs, from.outputs);
  for (let i = 0; i < order.length; i++) {
    const r = order[i];
    out.x.set(from.x.subarray(r * from.inputs, (r + 1) * from.inputs), i * from.inputs);
    out.y.set(from.y.subarray(r * from.outputs, (r + 1) * from.outputs), i * from.outputs);
  }
  return out;
}
