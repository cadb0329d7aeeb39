/**
 * What the online learner emits: a `batch` per optimizer step and a `window`
 * every `window` samples, both scored prequentially (each sample is
 * predicted before the model trains on it).
 *
 * @module
 */

/** Emitted after every optimizer step. */
export interface OnlineBatchEvent {
  /** Tells the events of an {@linkcode OnlineEvent} apart: one optimizer step done. */
  readonly type: "batch";
  /** Optimizer steps so far (continues across subscriptions and `resume`). */
  readonly step: number;
  /** Samples trained on so far in this subscription. */
  readonly samples: number;
  /** Mean loss of this batch, scored before its update. */
  readonly loss: number;
  /** Share of this batch predicted right before its update (classifiers only). */
  readonly accuracy?: number;
  /** Learning rate of the step. */
  readonly lr: number;
}

/** Emitted every `window` samples, and for the open window when the source completes. */
export interface WindowEvent {
  /** Tells the events of an {@linkcode OnlineEvent} apart: a prequential window closed. */
  readonly type: "window";
  /** 1-based window number in this subscription. */
  readonly window: number;
  /** Samples trained on so far in this subscription: this window ends at that sample. */
  readonly samples: number;
  /** Samples the window covers: `window`, or fewer for the last one of a completed source. */
  readonly size: number;
  /** Optimizer steps so far. */
  readonly step: number;
  /** Mean loss of the window's samples, each scored before the model trained on it. */
  readonly loss: number;
  /**
   * Share of the window's samples predicted right before training on them:
   * classifiers only (several row-wise probability outputs, or one sigmoid
   * output while every target is 0 or 1).
   */
  readonly accuracy?: number;
  /** Samples dropped so far by `overflow: "drop-oldest"` (present once any were). */
  readonly dropped?: number;
}

/** Every event of `trainOn`. Errors arrive as the Observable's error. */
export type OnlineEvent = OnlineBatchEvent | WindowEvent;
