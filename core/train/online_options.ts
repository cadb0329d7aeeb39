/**
 * The options of the online learner ({@linkcode OnlineOptions}) and their
 * one check, with valibot, where they enter.
 *
 * @module
 */
import * as v from "valibot";
import { describeIssues } from "../math/spec.ts";
import type { Backend } from "../math/backend.ts";
import type { Network } from "../math/network.ts";
import type { CreateStep } from "../math/train_step.ts";
import type { LossPlugin, OptimizerPlugin } from "../math/types.ts";
import type { Checkpoint } from "../model/checkpoint.ts";

/** The learner's `checkpoint` option: core does no I/O, so the writer is given. */
export interface OnlineCheckpointOptions {
  /** Save after every `everySteps` optimizer steps (steps `everySteps`, `2·everySteps`, ...). */
  everySteps: number;
  /**
   * Writes the checkpoint. Training waits for a returned promise (samples
   * arriving meanwhile queue, see `maxQueue`) and fails if it rejects.
   */
  save: (checkpoint: Checkpoint) => void | Promise<void>;
}

/** Options of `onlineLearner` and `trainOn`. */
export interface OnlineOptions {
  /** The network to train; its weights are updated in place, step after step. */
  network: Network;
  /** What training minimises; it must suit the output activation (checked at once). */
  loss: LossPlugin;
  /** The update rule; its `lr` is the rate unless `lr` is given. Its state persists across subscriptions. */
  optimizer: OptimizerPlugin;
  /** Samples per optimizer step, a whole number from 1 to 65,536. */
  batchSize: number;
  /**
   * Samples per prequential window, a whole number of at least 1: every
   * `window` samples the learner reports the mean loss (and accuracy) of
   * those samples, each scored before the model trained on it.
   */
  window: number;
  /** The learning rate (default: the optimizer's `lr`). */
  lr?: number;
  /** L2 weight decay λ. */
  l2?: number;
  /** Matrix kernels (default: pure TypeScript); the batch buffer is allocated in its memory. */
  backend?: Backend;
  /** Builds the step (default `createTrainStep`); it is closed when the subscription ends. */
  createStep?: CreateStep;
  /** Save a checkpoint every few steps. */
  checkpoint?: OnlineCheckpointOptions;
  /** Continue from a checkpoint: its weights, optimizer state and step count. */
  resume?: Checkpoint;
  /**
   * Most samples held while training waits (for an asynchronous `createStep`
   * or checkpoint `save`), default 10,000: the bound on the learner's memory
   * whatever the source does.
   */
  maxQueue?: number;
  /**
   * What happens to a sample that finds the queue full: `"error"` (default)
   * fails the stream with a RangeError; `"drop-oldest"` drops the oldest
   * queued input (a mini-batch as a whole) and counts it in `dropped`.
   */
  overflow?: "error" | "drop-oldest";
}

/** The numbers of {@linkcode OnlineOptions}, checked, defaults filled in. */
export interface OnlineSettings {
  readonly batchSize: number;
  readonly window: number;
  readonly lr: number;
  readonly l2: number | undefined;
  readonly everySteps: number | undefined;
  readonly maxQueue: number;
  readonly overflow: "error" | "drop-oldest";
}

/** The largest `batchSize`, as in run configs: the batch buffer is allocated at once. */
const MAX_ONLINE_BATCH = 65_536;

const whole = (fix: string) =>
  v.pipe(
    v.number("must be a number"),
    v.integer(`must be a whole number; ${fix}`),
    v.minValue(1, `must be at least 1; ${fix}`),
  );
const rate = v.pipe(
  v.number("must be a number"),
  v.finite("must be finite"),
  v.minValue(0, "must be 0 or more"),
);
const plugin = (kind: string) =>
  v.looseObject({ kind: v.literal(kind, `must be a ${kind} plugin`), name: v.string() });

const OnlineOptionsSchema = v.looseObject({
  network: v.looseObject({
    inputs: v.number("must be a network from createNetwork"),
    outputs: v.number("must be a network from createNetwork"),
    layers: v.pipe(
      v.array(v.unknown(), "must be a network from createNetwork"),
      v.minLength(1, "must have a layer"),
    ),
  }, "is required: pass the network to train"),
  loss: plugin("loss"),
  optimizer: v.looseObject({
    kind: v.literal("optimizer", "must be an optimizer plugin"),
    lr: rate,
  }, "is required: pass an optimizer such as adam({ lr: 0.01 })"),
  batchSize: v.pipe(
    whole("e.g. batchSize: 32"),
    v.maxValue(MAX_ONLINE_BATCH, `must be at most ${MAX_ONLINE_BATCH}; e.g. batchSize: 32`),
  ),
  window: whole("e.g. window: 1000, the samples each window event covers"),
  lr: v.optional(rate),
  l2: v.optional(rate),
  checkpoint: v.optional(v.looseObject({
    everySteps: whole("e.g. everySteps: 1000"),
    save: v.function("must be a function that writes the checkpoint"),
  })),
  maxQueue: v.optional(whole("e.g. maxQueue: 10000")),
  overflow: v.optional(v.picklist(["error", "drop-oldest"], 'must be "error" or "drop-oldest"')),
});

/**
 * Checks the options once, where they enter: a RangeError for a number out
 * of range, a TypeError for a wrong type, naming every bad field and its fix.
 */
export function checkOnlineOptions(onlineOptions: OnlineOptions): OnlineSettings {
  const result = v.safeParse(OnlineOptionsSchema, onlineOptions);
  if (!result.success) {
    const ranged = result.issues.every((i) => i.kind === "validation");
    const ErrorType = ranged ? RangeError : TypeError;
    throw new ErrorType(`Invalid online options: ${describeIssues(result.issues).join("; ")}`);
  }
  const { batchSize, window, checkpoint } = result.output;
  return {
    batchSize,
    window,
    lr: result.output.lr ?? onlineOptions.optimizer.lr,
    l2: result.output.l2,
    everySteps: checkpoint?.everySteps,
    maxQueue: result.output.maxQueue ?? 10_000,
    overflow: result.output.overflow ?? "error",
  };
}
