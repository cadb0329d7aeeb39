import type { LayerStats } from "../math/layer_stats.ts";

/** Emitted once when training starts. */
export interface StartEvent {
  /** Tells the events of a {@linkcode TrainEvent} apart: the first event of a run. */
  readonly type: "start";
  /** Epochs planned (the last one may not run if training stops early). */
  readonly epochs: number;
  /** First epoch this run trains (above 1 when resuming from a checkpoint). */
  readonly fromEpoch: number;
  /** Training samples per epoch, when the source knows it (in-memory data). */
  readonly samples?: number;
  /** Mini-batch size. */
  readonly batchSize: number;
  /**
   * What each `prepare` step learned from the training data, in option order
   * (e.g. standardize's `{ mean, std }`, to scale inputs the same way at
   * inference); null for steps that learn nothing. Present when there are steps.
   */
  readonly prepared?: readonly (Readonly<Record<string, unknown>> | null)[];
}

/** Emitted after every optimizer step (consumers throttle as they wish). */
export interface BatchEvent {
  /** Tells the events of a {@linkcode TrainEvent} apart: one optimizer step done. */
  readonly type: "batch";
  /** 1-based epoch. */
  readonly epoch: number;
  /** 1-based batch within the epoch. */
  readonly batch: number;
  /** Optimizer steps since training began (continues across resume). */
  readonly step: number;
  /** Mean loss of this batch (before its update). */
  readonly loss: number;
  /** Samples seen so far in this epoch. */
  readonly samples: number;
  /** Samples per epoch when known, for progress bars. */
  readonly samplesPerEpoch?: number;
  /** Learning rate used for this step. */
  readonly lr: number;
}

/** Emitted at the end of every epoch. */
export interface EpochEvent {
  /** Tells the events of a {@linkcode TrainEvent} apart: one pass over the data done. */
  readonly type: "epoch";
  /** 1-based epoch. */
  readonly epoch: number;
  /** Epochs planned in all, as in the start event: `epoch / epochs` is the run's progress. */
  readonly epochs: number;
  /** Mean training loss over the epoch's batches. */
  readonly loss: number;
  /** Validation loss, when there is validation data. */
  readonly valLoss?: number;
  /** Training accuracy (0..1) for classification. */
  readonly accuracy?: number;
  /** Validation accuracy (0..1) for classification. */
  readonly valAccuracy?: number;
  /** Learning rate at the end of the epoch. */
  readonly lr: number;
  /**
   * Training throughput over this epoch: samples over the time since the
   * previous measured epoch ended (so the trainer's own per-epoch work, such
   * as shuffling and events, counts; validation and checkpoints do not).
   * Epochs shorter than 0.25 ms are measured together, see `measuredEpoch`.
   */
  readonly samplesPerSec: number;
  /** Milliseconds since training started, read when the epoch ended. */
  readonly elapsedMs: number;
  /** Per-layer norms from the epoch's last step, first layer first. */
  readonly layers: readonly LayerStats[];
  /**
   * Present when this epoch was not measured on its own: epochs shorter than
   * 0.25 ms (a tiny network on a few samples) are measured about every
   * 0.25 ms, since a clock read and the norms cost as much as such an epoch.
   * `samplesPerSec`, `elapsedMs` and `layers` are then those of this earlier
   * epoch (the throughput over the epochs up to it). Runs with validation,
   * and the last planned epoch, are always measured (an early stop or an
   * unsubscribe can end a run on a repeated one).
   */
  readonly measuredEpoch?: number;
}

/** Emitted once when training ends without error. */
export interface EndEvent {
  /** Tells the events of a {@linkcode TrainEvent} apart: the last event of a run that did not fail. */
  readonly type: "end";
  /** Why training ended. */
  readonly reason: "completed" | "early-stopped";
  /** Epochs completed. */
  readonly epochs: number;
  /** Optimizer steps taken in all. */
  readonly steps: number;
  /** Epoch whose weights the model holds, when early stopping restored the best ones. */
  readonly bestEpoch?: number;
  /**
   * Milliseconds from the start of this run to its end, on the wall clock:
   * setup, validation and checkpoint saves included (a resumed run counts
   * from its own start, not the original run's).
   */
  readonly elapsedMs: number;
}

/** Every event the trainer's Observable emits. Errors arrive as the Observable's error. */
export type TrainEvent = StartEvent | BatchEvent | EpochEvent | EndEvent;
