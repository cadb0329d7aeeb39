/**
 * The first layer's gradient in a data-parallel step, computed after the
 * barrier rather than by each thread for its rows: each thread leaves its
 * rows of dL/dz (scaled to the batch mean) in the shared `delta`, then the
 * threads claim blocks of rows of dW = Xᵀ·dZ over the whole batch. The sum
 * runs over every row at once, so it needs no reduction, no block's bits
 * depend on which thread computes it, and the product keeps its full depth
 * (the batch, not a slice of it). When the threads' shares of the batch are
 * powers of two (an even split over 2 or 4 threads), the delta and so the
 * layer's gradient have the bits one thread would get. The first layer
 * holds most of the weights of a typical network (92% of 784-128-64-10).
 * Internal.
 *
 * @module
 */
import { l2Gradient } from "../core/math/backward.ts";
import type { Backend, GemmDims } from "../core/math/backend.ts";
import type { Floats, Mutable } from "../core/math/types.ts";
import { tsBackend } from "../core/math/kernels.ts";
import { type Layout, rowCount } from "./_layout.ts";

/** Rows of the batch this step: the threads' row counts summed. */
export function batchRows(layout: Layout): number {
  let rows = 0;
  for (let i = 0; i < layout.sizes.threads; i++) rows += layout.control[rowCount(i)];
  return rows;
}

/**
 * Writes `count` rows of a thread's dL/dz of the first layer (`from`, the
 * mean over its own rows) into the shared delta at row `start`, as its share
 * of the batch mean: scaled by count / rows, a power of two for an even split.
 */
export function shareDelta(layout: Layout, from: Floats, start: number, count: number): void {
  const units = layout.sizes.tensors[1], scale = count / batchRows(layout);
  const out = layout.delta, at = start * units, n = count * units;
  for (let i = 0; i < n; i++) out[at + i] = scale * from[i];
}

/** One thread's kernels for the first layer's gradient. */
export interface FirstLayer {
  /** Call once per step before the blocks (the batch is copied into the backend's memory, if needed, by the first block). */
  prepare(): void;
  /** Rows [r0, r1) of dW (+ λ·W with L2) into the reduced gradient. */
  rows(r0: number, r1: number): void;
  /** The bias gradient: the column sums of the delta. */
  bias(): void;
}

/**
 * The first-layer kernels of a thread whose `backend` reads the shared floats
 * in place (`inPlace`), or of the TypeScript backend, which reads any array;
 * any other backend gets copies of the batch and delta in its own memory,
 * once per step.
 */
export function firstLayer(
  layout: Layout,
  backend: Backend,
  inPlace: boolean,
  l2: number,
): FirstLayer {
  const { inputs, batchSize } = layout.sizes, units = layout.sizes.tensors[1];
  const direct = inPlace || backend === tsBackend;
  let x = layout.x, delta = layout.delta;
  const copies = direct ? undefined : {
    x: backend.alloc(batchSize * inputs),
    delta: backend.alloc(batchSize * units),
  };
  let rows = 0, stale = false;
  const grad = layout.reduced[0], weights = layout.params[0], decay = l2Gradient(l2);
  // Built once and updated in place: a block's product takes no new object.
  const dims: Mutable<GemmDims> = { m: 0, n: units, k: 0, transA: true, lda: inputs };
  /** The copies, made at the first block that needs them (a thread may claim none). */
  const fresh = (): void => {
    if (!copies || !stale) return;
    stale = false;
    copies.x.set(layout.x.subarray(0, rows * inputs));
    copies.delta.set(layout.delta.subarray(0, rows * units));
    x = copies.x, delta = copies.delta;
  };
  return {
    prepare() {
      rows = dims.k = batchRows(layout);
      stale = true;
    },
    rows(r0, r1) {
      fresh();
      dims.m = r1 - r0;
      backend.gemm(x.subarray(r0), delta, grad.subarray(r0 * units, r1 * units), dims);
      decay?.(grad.subarray(r0 * units, r1 * units), weights.subarray(r0 * units, r1 * units));
    },
    bias() {
      fresh();
      backend.colSums(delta, layout.reduced[1], rows, units);
    },
  };
}
