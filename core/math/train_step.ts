/**
 * The training step: backpropagation (backward.ts), then one optimizer update
 * (optimize.ts), with no array allocated per call.
 *
 * @module
 */
import { createGradientStep, type GradientStepOptions } from "./backward.ts";
import { tsBackend } from "./kernels.ts";
import { createStatsTracker, type LayerStats } from "./layer_stats.ts";
import { type Network, parameters } from "./network.ts";
import { createOptimizerState, type OptimizerState, updateParams } from "./optimize.ts";
import type { Batch, Floats, OptimizerPlugin } from "./types.ts";

export type { LayerStats };

/** Options of {@linkcode createTrainStep}. */
export interface TrainStepOptions extends GradientStepOptions {
  /** The update rule; its `lr` is the rate of a `run` that passes none. */
  optimizer: OptimizerPlugin;
  /** Resume from a saved optimizer state. */
  state?: OptimizerState;
}

/** Per-call options of {@linkcode TrainStep.run}. */
export interface RunOptions {
  /** Learning rate for this step (default: the optimizer's). */
  lr?: number;
  /** Also measure per-layer gradient, weight and update norms (costs one copy of the weights). */
  stats?: boolean;
}

/** A reusable training step for one network: forward, backward, update, with no array allocated per call. */
export interface TrainStep {
  /** The network it trains: every `run` updates its weights in place. */
  readonly network: Network;
  /** Most rows a batch may have: the buffers are sized for it. */
  readonly batchSize: number;
  /** The optimizer's state (step count and slots), for checkpoints. */
  readonly state: OptimizerState;
  /** Gradients of the last `run()`, in `parameters(network)` order. */
  readonly grads: readonly Floats[];
  /** One step of gradient descent on a batch; returns its mean loss before the update. */
  run(batch: Batch, options?: RunOptions): number;
  /** Rows the last `run()` predicted right (arg-max, or 0.5 threshold for one output). */
  readonly lastCorrect: number;
  /** Mean loss and correct count over any number of rows, without touching the weights. */
  evaluate(batch: Batch): { loss: number; correct: number };
  /** Per-layer norms from the last `run(batch, { stats: true })`. */
  stats(): LayerStats[];
  /**
   * Finishes an update the last `run` left running on other threads, so that
   * the network's weights are final (a data-parallel step lets its workers
   * finish a step's update while the trainer reads the next batch). Steps
   * that update before `run` returns leave it out. The trainer calls it before
   * reading the network and before each event-loop turn; the step's own
   * methods and its `grads` call it first. Code driving such a step by hand
   * calls it before reading the network's weights.
   */
  settle?(): void;
  /** Releases what the step holds (a data-parallel step's Workers); the trainer calls it when a run ends. */
  close?(): void;
}

/**
 * Builds the {@linkcode TrainStep} a run uses: {@linkcode createTrainStep} by
 * default, or a data-parallel step over Workers (`parallel()` in parallel/).
 * The trainer awaits it once per run and calls the step's `close` at the end.
 */
export type CreateStep = (
  network: Network,
  options: TrainStepOptions,
) => TrainStep | Promise<TrainStep>;

/**
 * Builds the training step: the forward and backward passes of
 * {@linkcode createGradientStep}, then the optimizer's update, with the
 * optimizer state kept as plain data.
 *
 * @example
 * ```ts ignore
 * const step = createTrainStep(network, { loss: mse, optimizer: sgd({ lr: 0.5 }), batchSize: 4 });
 * const loss = step.run({ x, t });
 * ```
 */
export function createTrainStep(network: Network, options: TrainStepOptions): TrainStep {
  const { optimizer } = options;
  const step = createGradientStep(network, options);
  const { grads, backend, alloc } = step;
  const params = parameters(network);
  const resumed = options.state;
  // Resumed slots move into the backend's memory too, where its kernels (wasm Adam) read them in place.
  const state = !resumed
    ? createOptimizerState(optimizer, params, alloc)
    : backend === tsBackend
    ? resumed
    : {
      t: resumed.t,
      slots: resumed.slots.map((slots) => slots.map((slot) => copyInto(alloc, slot))),
    };
  const tracker = createStatsTracker(network, grads, alloc);
  const update = { params, grads, state, lr: 0, backend, context: { lr: 0, t: 0 } };
  return {
    network,
    batchSize: step.batchSize,
    state,
    grads,
    get lastCorrect() {
      return step.lastCorrect;
    },
    run(batch, runOptions) {
      const value = step.gradients(batch);
      const stats = runOptions?.stats === true;
      if (stats) tracker.before();
      update.lr = runOptions?.lr ?? optimizer.lr;
      updateParams(optimizer, update);
      if (stats) tracker.after();
      return value;
    },
    evaluate: (batch) => step.evaluate(batch),
    stats: () => tracker.read(),
  };
}

function copyInto(alloc: (n: number) => Floats, from: Floats): Floats {
  const to = alloc(from.length);
  to.set(from);
  return to;
}
