/**
 * Steps that prepare batches between the data and the network, such as
 * `oneHot` and `standardize`. Types only; nothing here runs.
 *
 * @module
 */
import type { Batch } from "../math/types.ts";

/** Features and targets per row. */
export interface Widths {
  readonly inputs: number;
  readonly outputs: number;
}

/** What a step learned from the training data: plain JSON, saved in checkpoints. */
export type PrepareState = Readonly<Record<string, unknown>>;

/** A step made ready for one training run; it owns its buffers. */
export interface PrepareFn {
  /** Widths of the batches it returns. */
  readonly widths: Widths;
  /** Prepares a batch, in place or into its own buffers; allocates nothing. */
  apply(batch: Batch): Batch;
}

/** Gathers a step's state from the training batches, in one pass before training. */
export interface PrepareFit {
  add(batch: Batch): void;
  result(): PrepareState;
}

/**
 * A batch preparation step: a plain object tagged `"prepare"`. The trainer
 * fits it on training data only (when it has `fit`) and applies it to training
 * and validation batches alike.
 */
export interface PrepareStep {
  readonly kind: "prepare";
  readonly name: string;
  /** For steps that learn from the training data (means and deviations, say). */
  fit?(widths: Widths): PrepareFit;
  /** Builds the step for batches of up to `maxRows` rows, from its fitted state if it has one. */
  create(widths: Widths, maxRows: number, state?: PrepareState): PrepareFn;
}
