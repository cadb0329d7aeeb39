/**
 * One thread's share of a data-parallel step, the same code on the main
 * thread and in every worker: the gradient of its rows of the batch, and the
 * reduction and update of the chunks of the flat parameter vector it claims. Internal.
 *
 * @module
 */
import { type AdamConstants, adamConstants, adamSettings } from "../core/adam_rule.ts";
import { adamKernel } from "../core/_kernel_trust.ts";
import type { Backend } from "../core/backend.ts";
import { tsBackend } from "../core/kernels.ts";
import { type Network, parameters } from "../core/network.ts";
import { createTrainStep, type TrainStepOptions } from "../core/train_step.ts";
import type { Batch, Floats, OptimizerPlugin } from "../core/types.ts";
import type { WasmBackend } from "../core/wasm_backend.ts";
import {
  claimAt,
  correctAt,
  type Layout,
  lossAt,
  LR,
  rowCount,
  rowStart,
  STEP,
} from "./_layout.ts";

/** A range of one tensor: its weights, reduced gradient, slots, and every thread's gradient. */
interface Piece {
  readonly param: Float32Array;
  readonly reduced: Float32Array;
  readonly slots: Float32Array[];
  readonly sources: Float32Array[];
}

/** The pieces of the flat parameter range [lo, hi). */
export function piecesOf(layout: Layout, lo: number, hi: number): Piece[] {
  const pieces: Piece[] = [];
  layout.sizes.tensors.forEach((length, i) => {
    const from = Math.max(lo, layout.offsets[i]) - layout.offsets[i];
    const to = Math.min(hi, layout.offsets[i] + length) - layout.offsets[i];
    if (from >= to) return;
    const cut = (a: Float32Array) => a.subarray(from, to);
    pieces.push({
      param: cut(layout.params[i]),
      reduced: cut(layout.reduced[i]),
      slots: layout.slots[i].map(cut),
      sources: layout.grads.map((g) => cut(g[i])),
    });
  });
  return pieces;
}

/**
 * Elements per chunk of the shared update: small enough (~30 µs of Adam) that
 * the thread done first with its gradient takes the larger share, large enough
 * that claiming one costs nothing.
 */
const CHUNK = 4096;

/** The flat parameter vector cut into chunks of pieces, claimed one by one in {@linkcode updateShare}. */
export function chunksOf(layout: Layout): Piece[][] {
  const total = layout.sizes.tensors.reduce((a, b) => a + b, 0);
  const chunks: Piece[][] = [];
  for (let lo = 0; lo < total; lo += CHUNK) chunks.push(piecesOf(layout, lo, lo + CHUNK));
  return chunks;
}

/** The first chunk of thread `i`'s range of the update: each thread owns an equal run of chunks. */
export function rangeStart(chunks: number, threads: number, i: number): number {
  return Math.floor(i * chunks / threads);
}

/**
 * Reduces and updates chunks until none is left: first those of this
 * thread's own range, then, when done early, the rest of the other threads'
 * ranges, claiming each chunk through its range's shared cursor. A thread
 * thus keeps the same optimizer slots in its cache from step to step, and a
 * thread done first with its gradient still takes the larger share. Each
 * element's bits do not depend on which thread computes it, so the run stays
 * deterministic.
 */
export function updateShare(
  layout: Layout,
  chunks: readonly Piece[][],
  optimizer: OptimizerPlugin,
  weights: number[],
  thread: number,
  sum?: WeightedSum,
  adam?: AdamKernel,
): void {
  const threads = layout.sizes.threads;
  // The Adam constants of this step, once for all chunks.
  const native = adam && adamKernel(optimizer)
    ? {
      adam,
      c: adamConstants(adamSettings(optimizer.params), layout.results[LR], layout.results[STEP]),
    }
    : undefined;
  for (let k = 0; k < threads; k++) {
    const owner = (thread + k) % threads;
    const end = rangeStart(chunks.length, threads, owner + 1);
    for (;;) {
      const c = Atomics.add(layout.control, claimAt(owner), 1);
      if (c >= end) break;
      reducePieces(layout, chunks[c], weights, sum);
      updatePieces(layout, chunks[c], optimizer, native);
    }
  }
}

/** out = wa · a + wb · b in double precision rounded once, dropping a zero-weight term. */
export type WeightedSum = (
  a: Float32Array,
  b: Float32Array,
  out: Float32Array,
  wa: number,
  wb: number,
) => void;

/**
 * Batch-mean gradient over `pieces`: Σ (rows_i / rows) · g_i, summed in
 * double precision over the threads in index order and rounded once, so each
 * element gets the same bits whichever thread computes it (and whether
 * `sum`, a wasm kernel doing the two-thread case, does it or this loop).
 */
export function reducePieces(
  layout: Layout,
  pieces: readonly Piece[],
  weights: number[],
  sum?: WeightedSum,
): void {
  let rows = 0;
  for (let i = 0; i < weights.length; i++) rows += weights[i] = layout.control[rowCount(i)];
  for (let i = 0; i < weights.length; i++) weights[i] /= rows;
  for (const piece of pieces) {
    const out = piece.reduced, src = piece.sources, n = out.length;
    if (weights.length === 2) { // the common case, in one pass
      const [w0, w1] = weights, a = src[0], b = src[1];
      if (sum) sum(a, b, out, w0, w1);
      else if (w0 === 0) { for (let k = 0; k < n; k++) out[k] = w1 * b[k]; }
      else if (w1 === 0) { for (let k = 0; k < n; k++) out[k] = w0 * a[k]; }
      else for (let k = 0; k < n; k++) out[k] = w0 * a[k] + w1 * b[k];
      continue;
    }
    for (let k = 0; k < n; k++) {
      let sum = 0;
      for (let i = 0; i < weights.length; i++) if (weights[i] !== 0) sum += weights[i] * src[i][k];
      out[k] = sum;
    }
  }
}

/** A backend's Adam kernel (`Backend.adam`), bit-identical to the plugin it stands in for. */
export type AdamKernel = NonNullable<Backend["adam"]>;

/**
 * Applies an element-wise optimizer to `pieces` with the step's shared lr and
 * step count; an optimizer keeping its `kernel: "adam"` promise runs on the
 * backend's kernel when `native` carries it with the step's constants.
 */
export function updatePieces(
  layout: Layout,
  pieces: readonly Piece[],
  optimizer: OptimizerPlugin,
  native?: { adam: AdamKernel; c: AdamConstants },
): void {
  if (native) {
    for (const p of pieces) native.adam(p.param, p.reduced, p.slots[0], p.slots[1], native.c);
    return;
  }
  const ctx = { lr: layout.results[LR], t: layout.results[STEP] };
  for (const p of pieces) optimizer.update(p.param, p.reduced, p.slots, ctx);
}

/** Options of {@linkcode createThreadStep}. */
export interface ThreadStepOptions extends TrainStepOptions {
  readonly thread: number;
  readonly layout: Layout;
}

/** A thread's step: `gradients` of its rows into its slot, `evaluate` with the shared weights. */
export interface ThreadStep {
  /**
   * True when the kernels read the shared weights and batch rows in place:
   * `gradients` then reads the shared `layout.x`/`layout.t`, not its arguments.
   */
  readonly inPlace: boolean;
  /** The backend's weighted sum of two arrays, when it runs in place (for {@linkcode reducePieces}). */
  readonly weightedSum?: WeightedSum;
  /** The backend's Adam kernel, when it runs in place (for {@linkcode updatePieces}). */
  readonly adam?: AdamKernel;
  /** Computes the gradient of rows `rowStart..+rowCount` of `x`/`t`, as the control words say. */
  gradients(x: Floats, t: Floats): void;
  /**
   * Runs this thread's kernels and the optimizer once on private scratch
   * data, so that the engine compiles them before the first real step. Leaves
   * the weights, gradients and optimizer state untouched.
   */
  warmUp(): void;
  /** Loss and correct count with the current shared weights (main thread: validation). */
  evaluate(batch: Batch): { loss: number; correct: number };
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
  const inner = createTrainStep(network, { ...options, batchSize: rows });
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
  let scratch: { p: Float32Array; g: Float32Array; slots: Float32Array[] } | undefined;
  return {
    inPlace,
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
    gradients(xs, ts) {
      const start = layout.control[rowStart(thread)], count = layout.control[rowCount(thread)];
      if (count === 0) return;
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
      layout.results[lossAt(thread)] = inner.gradients(batch);
      layout.control[correctAt(thread)] = inner.lastCorrect;
      for (let i = 0; i < slot.length; i++) slot[i].set(inner.grads[i]);
    },
    evaluate(b) {
      pull();
      return inner.evaluate(b);
    },
  };
}
