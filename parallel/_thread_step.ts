/**
 * One thread's step in a data-parallel run, the same code on the main thread
 * and in every worker: the gradient of its rows of the batch (all but the
 * first layer's weights when deferred, see _first_layer.ts), and its kernels
 * for the shared update (_update_share.ts). Internal.
 *
 * @module
 */
import type { Backend } from "../core/math/backend.ts";
import { tsBackend } from "../core/math/kernels.ts";
import { type Network, parameters } from "../core/math/network.ts";
import { createGradientStep, type GradientOptions } from "../core/math/backward.ts";
import type { TrainStepOptions } from "../core/math/train_step.ts";
import type { Batch, Floats } from "../core/math/types.ts";
import type { WasmBackend } from "../core/wasm/wasm_backend.ts";
import { correctAt, type Layout, lossAt, rowCount, rowStart } from "./_layout.ts";
import { firstLayer, shareDelta } from "./_first_layer.ts";
import { CHUNK, type ThreadKernels } from "./_update_share.ts";

const DEFER: GradientOptions = { firstLayer: false };

/** Options of {@linkcode createThreadStep}. */
export interface ThreadStepOptions extends TrainStepOptions {
  readonly thread: number;
  readonly layout: Layout;
}

/** A thread's step: `gradients` of its rows into its slot, `evaluateRows` of its rows with the shared weights. */
export interface ThreadStep extends ThreadKernels {
  /**
   * True when the kernels read the shared weights and batch rows in place:
   * `gradients` then reads the shared `layout.x`/`layout.t`, not its arguments.
   */
  readonly inPlace: boolean;
  /**
   * Computes the gradient of rows `rowStart..+rowCount` of `x`/`t`, as the
   * control words say, into this thread's slot; with `deferFirst`, all but
   * the first layer's, whose dL/dz goes to the shared delta instead (the
   * update computes that layer's gradient over the whole batch).
   */
  gradients(x: Floats, t: Floats, deferFirst: boolean): void;
  /**
   * Runs this thread's kernels and the optimizer once on private scratch
   * data, so that the engine compiles them before the first real step. Leaves
   * the weights, gradients and optimizer state untouched.
   */
  warmUp(): void;
  /**
   * Mean loss and correct count of rows `rowStart..+rowCount` of the shared
   * batch, as the control words say, into this thread's result words.
   */
  evaluateRows(xs: Floats, ts: Floats): void;
}

/**
 * Builds a thread's step over its own copy of the network. When the shared
 * floats live in the backend's own memory (a shared wasm memory), the copy's
 * tensors are the shared weights and the kernels read them and the batch rows
 * in place; otherwise the weights and rows are copied into the backend's
 * memory before each use.
 */
export function createThreadStep(network: Network, options: ThreadStepOptions): ThreadStep {
  const { thread, layout } = options;
  const backend: Backend = options.backend ?? tsBackend;
  const rows = Math.ceil(layout.sizes.batchSize / layout.sizes.threads);
  const inner = createGradientStep(network, { ...options, batchSize: rows });
  const wasm = backend as Partial<WasmBackend>;
  const inPlace = wasm.memory !== undefined && wasm.memory.buffer === layout.buffers.floats;
  if (inPlace) {
    network.layers.forEach((layer, i) => {
      layer.weights = layout.params[2 * i];
      layer.bias = layout.params[2 * i + 1];
    });
  }
  const own: Floats[] = parameters(network);
  const { inputs, outputs } = layout.sizes;
  const lx = backend.alloc(rows * inputs), lt = backend.alloc(rows * outputs);
  const x = { data: lx, rows: 0, cols: inputs }, t = { data: lt, rows: 0, cols: outputs };
  const batch: Batch = { x, t };
  const slot = layout.grads[thread];
  const pull = (): void => {
    if (!inPlace) { for (let i = 0; i < own.length; i++) own[i].set(layout.params[i]); }
  };
  /** Points `batch` at this thread's rows of `xs`/`ts` (the shared ones in place); gives their count. */
  const rowsOf = (xs: Floats, ts: Floats): number => {
    const start = layout.control[rowStart(thread)], count = layout.control[rowCount(thread)];
    if (count === 0) return 0;
    if (inPlace) {
      x.data = layout.x.subarray(start * inputs, (start + count) * inputs);
      t.data = layout.t.subarray(start * outputs, (start + count) * outputs);
    } else {
      pull();
      x.data = lx, t.data = lt;
      lx.set(xs.subarray(start * inputs, (start + count) * inputs));
      lt.set(ts.subarray(start * outputs, (start + count) * outputs));
    }
    x.rows = t.rows = count;
    return count;
  };
  let scratch: { p: Float32Array; g: Float32Array; slots: Float32Array[] } | undefined;
  return {
    inPlace,
    first: firstLayer(layout, backend, inPlace, options.l2 ?? 0),
    ...(inPlace && wasm.weightedSum ? { weightedSum: wasm.weightedSum } : {}),
    ...(inPlace && wasm.adam ? { adam: wasm.adam } : {}),
    warmUp() {
      if (!scratch) {
        const n = CHUNK, slots = options.optimizer.slots;
        const g = new Float32Array(n).map((_, i) => ((i * 7919) % 201 - 100) / 1e4);
        scratch = {
          p: new Float32Array(n),
          g,
          slots: Array.from({ length: slots }, () => g.slice()),
        };
        for (let i = 0; i < lx.length; i++) lx[i] = ((i * 7919) % 255) / 255;
        for (let r = 0; r < rows; r++) {
          lt.fill(0, r * outputs, (r + 1) * outputs)[r * outputs + r % outputs] = 1;
        }
      }
      x.data = lx, t.data = lt;
      x.rows = t.rows = rows;
      inner.gradients(batch);
      options.optimizer.update(scratch.p, scratch.g, scratch.slots, { lr: 1e-3, t: 1 });
    },
    gradients(xs, ts, deferFirst) {
      const count = rowsOf(xs, ts);
      if (count === 0) return;
      layout.results[lossAt(thread)] = inner.gradients(batch, deferFirst ? DEFER : undefined);
      layout.control[correctAt(thread)] = inner.lastCorrect;
      if (deferFirst) {
        shareDelta(layout, inner.firstDelta, layout.control[rowStart(thread)], count);
      }
      for (let i = deferFirst ? 2 : 0; i < slot.length; i++) slot[i].set(inner.grads[i]);
    },
    evaluateRows(xs, ts) {
      if (rowsOf(xs, ts) === 0) return;
      const { loss, correct } = inner.evaluate(batch);
      layout.results[lossAt(thread)] = loss;
      layout.control[correctAt(thread)] = correct;
    },
  };
}
