/**
 * The streaming trainer: a cold Observable of training events.
 *
 * @module
 */
import { Observable } from "rxjs";
import type { Backend } from "./backend.ts";
import type { EarlyStoppingOptions } from "./callbacks/early_stopping.ts";
import type { Checkpoint } from "./checkpoint.ts";
import type { DataSource } from "./data/data_source.ts";
import type { PrepareStep } from "./data/prepare_step.ts";
import type { Network } from "./network.ts";
import type { LrSchedule } from "./schedules/lr_schedule.ts";
import type { TrainEvent } from "./train_events.ts";
import type { CreateStep } from "./train_step.ts";
import type { LossPlugin, OptimizerPlugin } from "./types.ts";
import { runTraining } from "./_train_run.ts";

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
  loss: LossPlugin;
  optimizer: OptimizerPlugin;
  /** Training data, read once per epoch. */
  data: DataSource;
  /** Validation data, evaluated after every epoch (not with `validationSplit`). */
  validation?: DataSource;
  /** Fraction of in-memory `data` held out for validation, chosen by the seeded stream. */
  validationSplit?: number;
  epochs: number;
  batchSize: number;
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
  /** Learning rate per epoch from the optimizer's rate (default: constant). */
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
   * 25), so servers in the same process stay responsive; a turn costs ~2 ms.
   */
  yieldEveryMs?: number;
}

/**
 * Trains a network and reports progress as a cold Observable: subscribing
 * starts a run, unsubscribing stops it before the next step (the network keeps
 * the last completed step, or the best epoch's weights with
 * `earlyStopping.restoreBest`), and errors (bad data, a diverging loss) arrive
 * as the Observable's error. It emits one `start`, a `batch` per step, an
 * `epoch` per epoch (accuracy only for classification: several outputs with
 * softmax or logits, or one sigmoid output with 0/1 targets), and `end`.
 *
 * @example
 * ```ts ignore
 * import { filter } from "rxjs";
 * train({
 *   network, loss: crossEntropy(), optimizer: adam({ lr: 1e-3 }),
 *   data: fromCsv(() => Deno.openSync("train.csv").readable, { target: "label" }),
 *   prepare: [oneHot(10), standardize()],
 *   epochs: 10, batchSize: 64,
 *   earlyStopping: { patience: 3 }, schedule: cosineDecay(),
 * }).pipe(filter((e) => e.type === "epoch")).subscribe((e) => console.log(e.epoch, e.loss));
 * ```
 */
export function train(options: TrainOptions): Observable<TrainEvent> {
  return new Observable<TrainEvent>((subscriber) => {
    const controller = new AbortController();
    let running = true; // an abort builds a DOMException with a stack: only when it stops something
    runTraining(options, (event) => subscriber.next(event), controller.signal).then(
      () => {
        running = false;
        subscriber.complete();
      },
      (error) => {
        running = false;
        subscriber.error(error);
      },
    );
    return () => {
      if (running) controller.abort();
    };
  });
}
