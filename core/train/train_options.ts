import { checkStepOptions } from "../math/backward.ts";
import { pluginRef } from "../checks/plugin_ref.ts";
import type { Checkpoint } from "../model/checkpoint.ts";
import type { Backend } from "../math/backend.ts";
import type { DataSource } from "../data/data_source.ts";
import type { PrepareStep } from "../data/prepare_step.ts";
import type { Network } from "../math/network.ts";
import type { CreateStep } from "../math/train_step.ts";
import type { LossPlugin, OptimizerPlugin } from "../math/types.ts";
import type { EarlyStoppingOptions } from "./early_stopping.ts";
import type { LrSchedule } from "./schedules/lr_schedule.ts";

export type { EarlyStoppingOptions };

/** The trainer's `checkpoint` option: core does no I/O, so the writer is given. */
export interface CheckpointOptions {
  /** Save after every `every` epochs (epochs `every`, `2·every`, ...). */
  every: number;
  /** Writes the checkpoint (atomically, ideally); training waits for it and fails if it throws. */
  save: (checkpoint: Checkpoint) => void | Promise<void>;
}

/** Options of {@linkcode train}. */
export interface TrainOptions {
  /** The network to train; its weights are updated in place. */
  network: Network;
  /**
   * What training minimises, averaged over each batch; it must suit the
   * output activation (softmax with cross-entropy, say), checked before the
   * first step.
   */
  loss: LossPlugin;
  /**
   * The update rule. Its `lr` is the run's rate unless `lr` is given; its
   * state (step count, slots) is the trainer's and goes into checkpoints.
   */
  optimizer: OptimizerPlugin;
  /** Training data, read once per epoch. */
  data: DataSource;
  /** Validation data, evaluated after every epoch (not with `validationSplit`). */
  validation?: DataSource;
  /** Fraction of in-memory `data` held out for validation, chosen by the seeded stream. */
  validationSplit?: number;
  /**
   * Passes over `data` in all, a whole number of at least 1. A resumed run
   * counts the epochs its checkpoint holds, so it runs only the rest.
   */
  epochs: number;
  /**
   * Rows per optimizer step, a whole number of at least 1: larger batches
   * give smoother gradients and fewer steps per epoch. An epoch's last batch
   * holds the rows left over.
   */
  batchSize: number;
  /**
   * The run's learning rate (default: the optimizer's `lr`): the one place a
   * run's rate is set. Schedules and warm-up scale it per epoch and step, and
   * every step hands it to the optimizer's `update` as `ctx.lr`, so it works
   * for any optimizer, with or without `configure`.
   */
  lr?: number;
  /** Seed of the one random stream behind the split and every shuffle (default 42). */
  seed?: number;
  /** L2 weight decay λ. */
  l2?: number;
  /** Matrix kernels (default: pure TypeScript). */
  backend?: Backend;
  /**
   * Builds the training step from the network and the step options (loss,
   * optimizer, batch size, l2, backend, resumed state). Default:
   * `createTrainStep`, on this thread. `parallel({ workers })` from
   * parallel/mod.ts splits every batch over Workers (data parallelism); the
   * trainer closes the step, ending its Workers, when the run completes,
   * fails or is unsubscribed.
   */
  createStep?: CreateStep;
  /**
   * Shuffle every epoch (default true): in-memory data fully; streams through
   * a buffer of `buffer` samples (default 10,000) so memory stays bounded.
   */
  shuffle?: boolean | { buffer: number };
  /** Batch preparation, e.g. `[oneHot(10), standardize()]`: fitted on training data only, applied to both. */
  prepare?: readonly PrepareStep[];
  /** Learning rate per epoch from the run's rate (`lr`; default: constant). */
  schedule?: LrSchedule;
  /**
   * Linear learning-rate warm-up: optimizer step k (1-based, counted over the
   * whole run) uses k / warmupSteps of the epoch's rate until k reaches
   * `warmupSteps` (default 0: none). Large early steps, with Adam or a high
   * rate, can throw the weights far from where training settles.
   */
  warmupSteps?: number;
  /** Stop when the monitored loss stops improving. */
  earlyStopping?: EarlyStoppingOptions;
  /** Save a checkpoint every few epochs. */
  checkpoint?: CheckpointOptions;
  /**
   * Continue a saved run for the remaining epochs: weights, optimizer state,
   * random stream (the checkpoint's seed is used), schedule and early-stopping
   * state all continue, so the result matches an uninterrupted run bit for bit.
   */
  resume?: Checkpoint;
  /** Emit an event after every step (default true). */
  batchEvents?: boolean;
  /**
   * Give the event loop a turn after this many milliseconds of work (default
   * 100, as TensorFlow.js's `fit()` yields every 125 ms), so that timers,
   * I/O and a page's rendering get their turn; a turn costs about 2 ms. A
   * server sharing the process answers within about this long: 25 suits one
   * (nagare's server takes it for the runs it trains in its own thread), 16
   * an animated page; 0 turns after every step.
   */
  yieldEveryMs?: number;
}

/** Numbers of {@linkcode TrainOptions} checked, defaults filled in. */
export interface TrainSettings {
  epochs: number;
  batchSize: number;
  /** The run's learning rate before schedules and warm-up. */
  lr: number;
  seed: number;
  shuffle: boolean;
  shuffleBuffer: number;
  yieldEveryMs: number;
  batchEvents: boolean;
  /** Steps of linear learning-rate warm-up (0: none). */
  warmupSteps: number;
  config: Checkpoint["config"];
}

function whole(key: string, value: number): number {
  if (!Number.isInteger(value) || value < 1) {
    throw new RangeError(`Invalid ${key}: ${value} must be a whole number of at least 1`);
  }
  return value;
}

/** Throws a RangeError or TypeError naming the first bad option and its fix. */
export function checkOptions(trainOptions: TrainOptions): TrainSettings {
  // batchSize and l2 by the step's one rule (checkStepOptions): a custom createStep may not check.
  const { batchSize } = checkStepOptions(trainOptions);
  const epochs = whole("epochs", trainOptions.epochs);
  const lr = trainOptions.lr ?? trainOptions.optimizer.lr;
  if (!(lr >= 0 && lr < Infinity)) {
    throw new RangeError(`Invalid lr: ${lr} must be a finite number, 0 or more`);
  }
  const seed = trainOptions.resume?.config.seed ?? trainOptions.seed ?? 42;
  if (!Number.isFinite(seed)) throw new RangeError(`Invalid seed: ${seed} is not a finite number`);
  const shuffle = trainOptions.shuffle ?? true;
  const shuffleBuffer = typeof shuffle === "object"
    ? whole("shuffle.buffer", shuffle.buffer)
    : 10_000;
  const yieldEveryMs = trainOptions.yieldEveryMs ?? 100;
  if (!(yieldEveryMs >= 0)) {
    throw new RangeError(`Invalid yieldEveryMs: ${yieldEveryMs} must be 0 or more`);
  }
  if (trainOptions.checkpoint) whole("checkpoint.every", trainOptions.checkpoint.every);
  const warmupSteps = trainOptions.warmupSteps ?? 0;
  if (!Number.isInteger(warmupSteps) || warmupSteps < 0) {
    throw new RangeError(
      `Invalid warmupSteps: ${warmupSteps} must be a whole number of steps, 0 or more`,
    );
  }
  if (trainOptions.validationSplit !== undefined) {
    if (trainOptions.validation) {
      throw new TypeError("Invalid options: give validation or validationSplit, not both");
    }
    if (trainOptions.data.kind !== "memory") {
      throw new TypeError(
        `Invalid validationSplit: it holds out in-memory rows but the data is a ${trainOptions.data.name} stream; pass validation: a second source instead`,
      );
    }
  }
  const config: Checkpoint["config"] = {
    epochs,
    batchSize,
    lr,
    seed,
    ...(trainOptions.l2 === undefined ? {} : { l2: trainOptions.l2 }),
    ...(trainOptions.validationSplit === undefined
      ? {}
      : { validationSplit: trainOptions.validationSplit }),
    loss: pluginRef(trainOptions.loss),
    optimizer: pluginRef(trainOptions.optimizer),
    ...(trainOptions.schedule ? { schedule: trainOptions.schedule.name } : {}),
    ...(warmupSteps ? { warmupSteps } : {}),
  };
  return {
    epochs,
    batchSize,
    lr,
    seed,
    shuffle: shuffle !== false,
    shuffleBuffer,
    yieldEveryMs,
    batchEvents: trainOptions.batchEvents ?? true,
    warmupSteps,
    config,
  };
}
