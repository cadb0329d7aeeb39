import type { Backend, GemmDims } from "./backend.ts";
import { forwardLayer } from "./forward.ts";
import { tsBackend } from "./kernels.ts";
import { countCorrect } from "./metrics.ts";
import { type Network, parameters } from "./network.ts";
import { createOptimizerState, type OptimizerState, updateParams } from "./optimize.ts";
import { checkLossPairing } from "./pairing.ts";
import type { ActivationGrad, Batch, Floats, LossPlugin, OptimizerPlugin } from "./types.ts";
import { checkBatch } from "./check_batch.ts";
import { reluKernel } from "./kernel_trust.ts";
import { createStatsTracker, type LayerStats } from "./layer_stats.ts";
import type { Mutable } from "./mutable.ts";

export type { LayerStats };

/** Options of {@linkcode createTrainStep}. */
export interface TrainStepOptions {
  loss: LossPlugin;
  optimizer: OptimizerPlugin;
  /** Largest batch this step takes; buffers are sized for it once. */
  batchSize: number;
  /** L2 weight decay λ: adds λ·W to every weight gradient (biases are not decayed). */
  l2?: number;
  /** Matrix kernels (default: the pure TypeScript backend). */
  backend?: Backend;
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

/** Per-call options of {@linkcode TrainStep.gradients}. */
export interface GradientOptions {
  /**
   * false: skip the first layer's weight and bias gradients, leaving them as
   * they were, for a caller that computes them itself from
   * {@linkcode TrainStep.firstDelta} (a data-parallel step does, over the
   * whole batch at once). Default true.
   */
  readonly firstLayer?: boolean;
}

/** A reusable training step for one network: forward, backward, update, with no array allocated per call. */
export interface TrainStep {
  readonly network: Network;
  readonly batchSize: number;
  /** The optimizer's state (step count and slots), for checkpoints. */
  readonly state: OptimizerState;
  /** Gradients of the last `gradients()` or `run()`, in `parameters(network)` order. */
  readonly grads: readonly Floats[];
  /** Forward + backward: fills `grads`, returns the batch's mean loss. Does not update. */
  gradients(batch: Batch, options?: GradientOptions): number;
  /**
   * dL/dz of the first layer for the rows of the last `gradients()` call
   * (rows x units, row-major), where the step exposes it.
   */
  readonly firstDelta?: Floats;
  /** One step of gradient descent on a batch; returns its mean loss before the update. */
  run(batch: Batch, options?: RunOptions): number;
  /** Rows the last `gradients()`/`run()` predicted right (arg-max, or 0.5 threshold for one output). */
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

type MutMat = { data: Floats; rows: number; cols: number };

/**
 * Builds the training step: allocates every buffer for `batchSize` rows once,
 * checks that the output activation suits the loss, and keeps the optimizer
 * state as plain data.
 *
 * @example
 * ```ts ignore
 * const step = createTrainStep(network, { loss: mse, optimizer: sgd({ lr: 0.5 }), batchSize: 4 });
 * const loss = step.run({ x, t });
 * ```
 */
export function createTrainStep(network: Network, options: TrainStepOptions): TrainStep {
  const { loss, optimizer } = options;
  const batchSize = options.batchSize;
  if (!Number.isInteger(batchSize) || batchSize < 1) {
    throw new RangeError(`Invalid batchSize: ${batchSize} must be a whole number of at least 1`);
  }
  const l2 = options.l2 ?? 0;
  if (!(l2 >= 0)) throw new RangeError(`Invalid l2: ${l2} must be 0 or more`);
  const layers = network.layers;
  const output = layers[layers.length - 1];
  checkLossPairing(output.activation, loss);
  const fused = loss.fused?.activation === output.activation.name ? loss.fused : undefined;
  const f64 = layers[0].weights instanceof Float64Array;
  const backend = f64 ? tsBackend : options.backend ?? tsBackend;
  const alloc = (n: number): Floats => (f64 ? new Float64Array(n) : backend.alloc(n));
  const moved = (from: Floats): Floats => {
    const to = alloc(from.length);
    to.set(from);
    return to;
  };
  if (backend !== tsBackend) {
    for (const layer of layers) {
      // Weights move into the backend's memory so its kernels read them without copies.
      for (const key of ["weights", "bias"] as const) layer[key] = moved(layer[key]);
    }
  }
  const mat = (cols: number): MutMat => ({ data: alloc(batchSize * cols), rows: 0, cols });
  const x: MutMat = { data: alloc(0), rows: 0, cols: network.inputs };
  const t: MutMat = { data: alloc(0), rows: 0, cols: network.outputs };
  const z = layers.map((l) => mat(l.units));
  const y = layers.map((l) => mat(l.units));
  const dy = layers.map((l) => mat(l.units));
  const dz = layers.map((l) => mat(l.units));
  const io = layers.map((_, i) => ({ x: i === 0 ? x : y[i - 1], z: z[i], y: y[i] }));
  const back: ActivationGrad[] = layers.map((_, i) => ({ z: z[i], y: y[i], dy: dy[i], dz: dz[i] }));
  const params = parameters(network);
  const grads = params.map((p) => alloc(p.length));
  const resumed = options.state;
  // Resumed slots move into the backend's memory too, where its kernels (wasm Adam) read them in place.
  const state = !resumed
    ? createOptimizerState(optimizer, params, alloc)
    : backend === tsBackend
    ? resumed
    : { t: resumed.t, slots: resumed.slots.map((slots) => slots.map((slot) => moved(slot))) };
  const tracker = createStatsTracker(network, grads, alloc);
  let lastCorrect = 0;
  // Arguments built once and updated in place: plugin and kernel calls are
  // not inlined, so objects made per call would be allocated per step.
  const last = layers.length - 1;
  const lossArgs = { y: y[last], t };
  const gradDims: Mutable<GemmDims>[] = layers.map((l) => ({
    m: l.inputs,
    n: l.units,
    k: 0,
    transA: true,
  }));
  const inputDims: Mutable<GemmDims>[] = layers.map((l) => ({
    m: 0,
    n: l.inputs,
    k: l.units,
    transB: true,
  }));
  const update = { params, grads, state, lr: 0, backend, context: { lr: 0, t: 0 } };

  const setRows = (batch: Batch, rows: number, offset = 0): void => {
    x.data = offset === 0 ? batch.x.data : batch.x.data.subarray(offset * x.cols);
    t.data = offset === 0 ? batch.t.data : batch.t.data.subarray(offset * t.cols);
    x.rows = t.rows = rows;
    for (let i = 0; i < layers.length; i++) {
      z[i].rows =
        y[i].rows =
        dy[i].rows =
        dz[i].rows =
          rows;
    }
  };
  // Layers whose ReLU the kernels write from the product (the plugin keeps its kernel promise).
  const fuse = layers.map((l) => backend.epilogue === true && reluKernel(l.activation));
  const forward = (): void => {
    for (let i = 0; i < layers.length; i++) forwardLayer(backend, layers[i], io[i], fuse[i]);
  };
  const lossValue = (): number => {
    return fused ? fused.loss(z[last], t) : loss.loss(lossArgs);
  };

  const gradients = (batch: Batch, options?: GradientOptions): number => {
    const first = options?.firstLayer !== false;
    checkBatch(batch, network, batchSize);
    setRows(batch, batch.x.rows);
    forward();
    const value = lossValue();
    lastCorrect = countCorrect(y[last], t);
    if (fused) fused.gradient(z[last], y[last], t, dz[last]);
    else {
      loss.gradient(lossArgs, dy[last]);
      output.activation.backward(back[last]);
    }
    for (let i = last; i >= 0; i--) {
      if (i === 0 && !first) break;
      const layer = layers[i], input = io[i].x, rows = input.rows;
      const gW = grads[2 * i], gB = grads[2 * i + 1];
      gradDims[i].k = rows;
      backend.gemm(input.data, dz[i].data, gW, gradDims[i]);
      backend.colSums(dz[i].data, gB, rows, layer.units);
      if (l2 > 0) { for (let j = 0; j < gW.length; j++) gW[j] += l2 * layer.weights[j]; }
      if (i === 0) break;
      inputDims[i].m = rows;
      backend.gemm(dz[i].data, layer.weights, dy[i - 1].data, inputDims[i]);
      layers[i - 1].activation.backward(back[i - 1]);
    }
    return value;
  };

  return {
    network,
    batchSize,
    state,
    grads,
    gradients,
    firstDelta: dz[0].data,
    get lastCorrect() {
      return lastCorrect;
    },
    run(batch, runOptions) {
      const value = gradients(batch);
      if (runOptions?.stats) tracker.before();
      update.lr = runOptions?.lr ?? optimizer.lr;
      updateParams(optimizer, update);
      if (runOptions?.stats) tracker.after();
      return value;
    },
    evaluate(batch) {
      checkBatch(batch, network, Infinity);
      let total = 0, correct = 0;
      for (let offset = 0; offset < batch.x.rows; offset += batchSize) {
        const rows = Math.min(batchSize, batch.x.rows - offset);
        setRows(batch, rows, offset);
        forward();
        total += lossValue() * rows;
        correct += countCorrect(y[layers.length - 1], t);
      }
      return { loss: batch.x.rows ? total / batch.x.rows : NaN, correct };
    },
    stats: () => tracker.read(),
  };
}
