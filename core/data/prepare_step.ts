/**
 * Steps that prepare batches between the data and the network, such as
 * `oneHot` and `standardize`. Types only; nothing here runs.
 *
 * @module
 */
import type { Batch } from "../math/types.ts";

/** Features and targets per row. */
export interface Widths {
  /** Features per row: the width of a batch's `x`. */
  readonly inputs: number;
  /** Targets per row: the width of a batch's `t` (1 for class labels, the class count after `oneHot`). */
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
  /**
   * Takes in one training batch, as the steps before this one left it. The
   * trainer refills the same arrays for the next batch: keep sums, not the
   * arrays.
   */
  add(batch: Batch): void;
  /**
   * The state learned once every training batch has been added. The start
   * event and checkpoints carry it; a resumed run reuses it without fitting.
   */
  result(): PrepareState;
}

/**
 * A batch preparation step: a plain object tagged `"prepare"`. The trainer
 * fits it on training data only (when it has `fit`) and applies it to training
 * and validation batches alike.
 */
export interface PrepareStep {
  /** Tags a batch preparation step, as `kind` tags plugins. */
  readonly kind: "prepare";
  /** What people call the step, e.g. `"oneHot"` or `"standardize"`. */
  readonly name: string;
  /** For steps that learn from the training data (means and deviations, say). */
  fit?(widths: Widths): PrepareFit;
  /** Builds the step for batches of up to `maxRows` rows, from its fitted state if it has one. */
  create(widths: Widths, maxRows: number, state?: PrepareState): PrepareFn;
}
