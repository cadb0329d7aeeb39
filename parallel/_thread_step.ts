/**
 * One thread's share of a data-parallel step, the same code on the main
 * thread and in every worker: the gradient of its rows of the batch, and the
 * reduction and update of the chunks of the flat parameter vector it claims. Internal.
 *
 * @module
 */
import type { Backend } from "../core/backend.ts";
import { tsBackend } from "../core/kernels.ts";
import { type Network, parameters } from "../core/network.ts";
import { createTrainStep, type TrainStepOptions } from "../core/train_step.ts";
import type { Batch, Floats, OptimizerPlugin } from "../core/types.ts";
import { CLAIM, correctAt, type Layout, lossAt, LR, rowCount, rowStart, STEP } from "./_layout.ts";

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

/**
 * Reduces and updates chunks until none is left, claiming each through the
 * shared counter: threads share the work by speed, not by a fixed range. Each
 * element's bits do not depend on which thread computes it, so the run stays
 * deterministic.
 */
export function updateShare(
  layout: Layout,
  chunks: readonly Piece[][],
  optimizer: OptimizerPlugin,
  weights: number[],
): void {
  for (;;) {
    const c = Atomics.add(layout.control, CLAIM, 1);
    if (c >= chunks.length) return;
    reducePieces(layout, chunks[c], weights);
    updatePieces(layout, chunks[c], optimizer);
  }
}

/**
 * Batch-mean gradient over `pieces`: Σ (rows_i / rows) · g_i, summed in
 * double precision over the threads in index order and rounded once, so each
 * element gets the same bits whichever thread computes it.
 */
export function reducePieces(layout: Layout, pieces: readonly Piece[], weights: number[]): void {
  let rows = 0;
  for (let i = 0; i < weights.length; i++) rows += weights[i] = layout.control[rowCount(i)];
  for (let i = 0; i < weights.length; i++) weights[i] /= rows;
  for (const piece of pieces) {
    const out = piece.reduced, src = piece.sources, n = out.length;
    if (weights.length === 2) { // the common case, in one pass
      const [w0, w1] = weights, a = src[0], b = src[1];
      if (w0 === 0) { for (let k = 0; k < n; k++) out[k] = w1 * b[k]; }
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

/** Applies an element-wise optimizer to `pieces` with the step's shared lr and step count. */
export function updatePieces(
  layout: Layout,
  pieces: readonly Piece[],
  optimizer: OptimizerPlugin,
): void {
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
  /** Computes the gradient of rows `rowStart..+rowCount` of `x`/`t`, as the control words say. */
  gradients(x: Floats, t: Floats): void;
  /** Loss and correct count with the current shared weights (main thread: validation). */
  evaluate(batch: Batch): { loss: number; correct: number };
}

/**
 * Builds a thread's step over its own copy of the network (the weights are
 * copied in from shared memory before each use, so a wasm backend reads them
 * from its own memory).
 */
export function createThreadStep(network: Network, options: ThreadStepOptions): ThreadStep {
  const { thread, layout } = options;
  const backend: Backend = options.backend ?? tsBackend;
  const rows = Math.ceil(layout.sizes.batchSize / layout.sizes.threads);
  const inner = createTrainStep(network, { ...options, batchSize: rows });
  const own: Floats[] = parameters(network);
  const { inputs, outputs } = layout.sizes;
  const lx = backend.alloc(rows * inputs), lt = backend.alloc(rows * outputs);
  const x = { data: lx, rows: 0, cols: inputs }, t = { data: lt, rows: 0, cols: outputs };
  const batch: Batch = { x, t };
  const slot = layout.grads[thread];
  const pull = (): void => {
    for (let i = 0; i < own.length; i++) own[i].set(layout.params[i]);
  };
  return {
    gradients(xs, ts) {
      const start = layout.control[rowStart(thread)], count = layout.control[rowCount(thread)];
      if (count === 0) return;
      pull();
      lx.set(xs.subarray(start * inputs, (start + count) * inputs));
      lt.set(ts.subarray(start * outputs, (start + count) * outputs));
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
