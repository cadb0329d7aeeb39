/**
 * The main thread's side of a data-parallel step: hands out rows, computes
 * its own slice, meets the workers, and exposes it all as a `TrainStep`.
 * Internal: built by `parallel()`.
 *
 * @module
 */
import type { Network } from "../core/math/network.ts";
import { type OptimizerState, updateParams } from "../core/math/optimize.ts";
import type { TrainStep, TrainStepOptions } from "../core/math/train_step.ts";
import type { Batch, Floats } from "../core/math/types.ts";
import { checkBatchShape } from "../core/math/check_batch.ts";
import { createStatsTracker } from "../core/math/layer_stats.ts";
import {
  ARRIVE,
  CMD,
  correctAt,
  EVALUATE,
  FINISH,
  GEN,
  GRADIENTS,
  GRADIENTS_AND_UPDATE,
  type Layout,
  lossAt,
  LR,
  READY,
  rowCount,
  rowStart,
  STEP,
  STOP,
} from "./_layout.ts";
import { arrive, waitFor } from "./_sync.ts";
import { chunksOf, piecesOf, reducePieces, startClaims, updateShare } from "./_update_share.ts";
import { createThreadStep } from "./_thread_step.ts";

/** Options of {@linkcode createParallelStep}. */
export interface MainStepOptions extends TrainStepOptions {
  readonly layout: Layout;
  /** A copy of the network for this thread's slice. */
  readonly local: Network;
  /** The workers, threads 1 and up: started, maybe not yet set up. */
  readonly workers: readonly Worker[];
}

/**
 * Most private warm-up steps this thread runs while the workers set up (each
 * ~1-3 ms while cold): they overlap the workers' start with compiling this
 * thread's code, which would otherwise hold up the first real steps.
 */
const WARM_UP_STEPS = 24;

/** Moves the network's tensors into shared memory (and back to plain arrays at the end). */
function share(network: Network, layout: Layout): void {
  network.layers.forEach((layer, i) => {
    layout.params[2 * i].set(layer.weights);
    layout.params[2 * i + 1].set(layer.bias);
    layer.weights = layout.params[2 * i];
    layer.bias = layout.params[2 * i + 1];
  });
}

/** The data-parallel `TrainStep` over started workers. */
export function createParallelStep(network: Network, options: MainStepOptions): TrainStep {
  const { layout, optimizer, batchSize } = options;
  const { control, results } = layout;
  const threads = layout.sizes.threads, inputs = network.inputs, outputs = network.outputs;
  share(network, layout);
  const state: OptimizerState = { t: options.state?.t ?? 0, slots: layout.slots };
  options.state?.slots.forEach((s, i) => s.forEach((slot, j) => layout.slots[i][j].set(slot)));
  const { state: _resumed, ...stepOptions } = options;
  const own = createThreadStep(options.local, { ...stepOptions, thread: 0, layout });
  for (let i = 0; i < WARM_UP_STEPS && Atomics.load(control, READY) < threads - 1; i++) {
    own.warmUp();
  }
  const tracker = createStatsTracker(network, layout.reduced, (n) => new Float32Array(n));
  const split = optimizer.elementwise === true && optimizer.clipNorm === undefined;
  const total = layout.offsets.at(-1)! + layout.sizes.tensors.at(-1)!;
  const chunks = chunksOf(layout), all = piecesOf(layout, 0, total);
  const weights = new Array<number>(threads).fill(0);
  let lastCorrect = 0, closed = false;
  // A run's update still finishing on the workers: this thread joins it on `settle`.
  let pending = false, measuring = false;
  // What stopped an update midway (a worker's error): thrown again by every later settle.
  let broken: unknown;

  /**
   * Claims what is left of the pending update, then waits for the workers to
   * finish theirs; measures the update when its run asked for stats.
   */
  const settle = (): void => {
    if (broken) throw broken; // the update never finished: nothing may read its results
    if (!pending) return;
    pending = false;
    try {
      updateShare(layout, chunks, optimizer, weights, 0, own);
      arrive(control, FINISH);
      waitFor(layout, FINISH, threads);
    } catch (error) {
      broken = error;
      throw error;
    }
    if (!measuring) return;
    measuring = false;
    tracker.gradNorms(); // the reduced gradient is complete once every chunk is done
    tracker.after();
  };

  /**
   * Copies `rows` rows of `x`/`t` into the shared batch and starts `command`
   * on the workers: their rows first, so that they start while this thread
   * copies its own (which the kernels read from the shared memory too: in
   * place, or for the first layer).
   */
  const launch = (x: Floats, t: Floats, rows: number, command: number): void => {
    const mine = control[rowCount(0)];
    layout.x.set(x.subarray(mine * inputs, rows * inputs), mine * inputs);
    layout.t.set(t.subarray(mine * outputs, rows * outputs), mine * outputs);
    Atomics.store(control, ARRIVE, 0);
    Atomics.store(control, CMD, command);
    arrive(control, GEN);
    layout.x.set(x.subarray(0, mine * inputs));
    layout.t.set(t.subarray(0, mine * outputs));
  };

  /** Starts `command` on every thread, computes this thread's rows, waits for all gradients. */
  const gradients = (batch: Batch, command: number): number => {
    if (closed) throw new TypeError("Parallel step closed: its workers have ended");
    settle();
    checkBatchShape(batch, network, batchSize); // each thread checks its rows' values
    const rows = batch.x.rows;
    for (let i = 0; i < threads; i++) {
      const start = Math.floor(i * rows / threads);
      control[rowStart(i)] = start;
      control[rowCount(i)] = Math.floor((i + 1) * rows / threads) - start;
    }
    Atomics.store(control, FINISH, 0);
    startClaims(layout, chunks);
    launch(batch.x.data, batch.t.data, rows, command);
    own.gradients(batch.x.data, batch.t.data, command === GRADIENTS_AND_UPDATE);
    arrive(control, ARRIVE);
    waitFor(layout, ARRIVE, threads);
    let loss = 0;
    lastCorrect = 0;
    for (let i = 0; i < threads; i++) {
      const count = control[rowCount(i)];
      if (count === 0) continue;
      loss += count / rows * results[lossAt(i)];
      lastCorrect += control[correctAt(i)];
    }
    return loss;
  };

  /**
   * Loss and correct count over any number of rows, in chunks of a batch
   * whose rows the threads share as in a step: each thread scores its
   * `ceil(batchSize / threads)` rows of a chunk, first rows first, so the
   * sums run over the same runs of rows, in the same order, as on this
   * thread alone with a thread's share of the batch.
   */
  const evaluate = (batch: Batch): { loss: number; correct: number } => {
    if (closed) throw new TypeError("Parallel step closed: its workers have ended");
    settle();
    checkBatchShape(batch, network, Infinity); // each thread checks its rows' values
    const per = Math.ceil(batchSize / threads), all = batch.x.rows;
    let total = 0, correct = 0;
    for (let offset = 0; offset < all; offset += batchSize) {
      const rows = Math.min(batchSize, all - offset);
      for (let i = 0; i < threads; i++) {
        const start = Math.min(rows, i * per);
        control[rowStart(i)] = start;
        control[rowCount(i)] = Math.min(rows, start + per) - start;
      }
      const x = batch.x.data.subarray(offset * inputs, (offset + rows) * inputs);
      const t = batch.t.data.subarray(offset * outputs, (offset + rows) * outputs);
      launch(x, t, rows, EVALUATE);
      own.evaluateRows(x, t);
      arrive(control, ARRIVE);
      waitFor(layout, ARRIVE, threads);
      for (let i = 0; i < threads; i++) {
        const count = control[rowCount(i)];
        if (count === 0) continue;
        total += results[lossAt(i)] * count;
        correct += control[correctAt(i)];
      }
    }
    return { loss: all ? total / all : NaN, correct };
  };

  return {
    network,
    batchSize,
    state,
    get grads() {
      settle(); // the workers may still be writing the reduced gradient
      return layout.reduced;
    },
    get lastCorrect() {
      return lastCorrect;
    },
    run(batch, runOptions) {
      const lr = runOptions?.lr ?? optimizer.lr, stats = runOptions?.stats === true;
      if (split) {
        settle(); // before the step count and rate of the last update change
        if (stats) tracker.snapshot(); // the rest is measured when the update is joined
        measuring = stats;
        results[LR] = lr;
        results[STEP] = state.t + 1;
        const loss = gradients(batch, GRADIENTS_AND_UPDATE);
        // The workers start the update; this thread goes back to the trainer
        // (the next batch's rows, events) and joins it in `settle`.
        pending = true;
        state.t += 1;
        return loss;
      }
      const loss = gradients(batch, GRADIENTS);
      reducePieces(layout, all, weights, own.weightedSum);
      if (stats) tracker.before();
      updateParams(optimizer, { params: layout.params, grads: layout.reduced, state, lr });
      if (stats) tracker.after();
      return loss;
    },
    evaluate,
    stats() {
      settle();
      return tracker.read();
    },
    settle,
    close() {
      if (closed) return;
      try {
        settle();
      } catch { /* a failed worker: its error already reached the run */ }
      closed = true;
      Atomics.store(control, CMD, STOP);
      arrive(control, GEN);
      for (const worker of options.workers) worker.terminate();
      for (const layer of network.layers) {
        layer.weights = new Float32Array(layer.weights);
        layer.bias = new Float32Array(layer.bias);
      }
      state.slots = state.slots.map((slots) => slots.map((s) => new Float32Array(s)));
    },
  };
}
