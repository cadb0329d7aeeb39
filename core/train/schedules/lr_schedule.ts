/**
 * Learning-rate schedules: plain objects tagged `"schedule"` that the trainer
 * asks for each epoch's rate. Types only; nothing here runs.
 *
 * @module
 */

/** A schedule's state: plain JSON, saved in checkpoints so a resumed run continues it. */
export type ScheduleState = Readonly<Record<string, number | null>>;

/** What a schedule knows when asked for a rate. */
export interface ScheduleContext {
  /** 1-based epoch about to run. */
  readonly epoch: number;
  /** Epochs planned in all. */
  readonly epochs: number;
  /** The run's learning rate (`TrainOptions.lr`, by default the optimizer's). */
  readonly base: number;
}

/** An epoch's results, for schedules that react to them. */
export interface EpochMetrics {
  /** Mean training loss over the epoch's batches, as in its epoch event. */
  readonly loss: number;
  /** Validation loss of the epoch; absent when the run has no validation data. */
  readonly valLoss?: number;
}

/** A learning-rate schedule. */
export interface LrSchedule {
  /** Tags a learning-rate schedule, as `kind` tags plugins. */
  readonly kind: "schedule";
  /** E.g. `"cosineDecay"`: checkpoints record it and an invalid rate's error names it. */
  readonly name: string;
  /** Learning rate for an epoch. */
  lr(ctx: ScheduleContext, state: ScheduleState): number;
  /** Starting state (stateless schedules omit it). */
  init?(): ScheduleState;
  /** State after an epoch, from its results (stateless schedules omit it). */
  next?(state: ScheduleState, metrics: EpochMetrics): ScheduleState;
}
