/**
 * The shared update of a data-parallel step, run by every thread after the
 * gradient barrier: the flat parameter vector cut into chunks, each claimed
 * by one thread, which finds its batch-mean gradient (reduced from the
 * threads' slots, or for the first layer computed from the shared delta, see
 * _first_layer.ts) and applies the optimizer to it. Internal.
 *
 * @module
 */
import { type AdamConstants, adamConstants, adamSettings } from "../core/math/adam_rule.ts";
import { adamKernel } from "../core/math/kernel_trust.ts";
import type { Backend } from "../core/math/backend.ts";
import type { OptimizerPlugin } from "../core/math/types.ts";
import { claimAt, type Layout, LR, rowCount, STEP, TAIL } from "./_layout.ts";
import type { FirstLayer } from "./_first_layer.ts";

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
export const CHUNK = 4096;

/**
 * Weights per block of rows of the first layer: each block runs a product of
 * its own (with B packed again), so they are larger than other chunks. For
 * 128 units a block is 96 rows, one block of A in the wasm kernel: the
 * product over all blocks took 430 µs against 462 µs in blocks of 64 rows
 * and 397 µs in one piece (784 x 128 by 64 rows).
 */
const FIRST_CHUNK = 12_288;
/**
 * Fewest rows per first-layer block, whatever the width: B (the batch's
 * delta) is packed again for every block, so a wide layer cut into blocks of
 * a few rows would repack it dozens of times per step.
 */
const FIRST_MIN_ROWS = 96;

/** A unit of the shared update: its pieces, and where their gradient comes from. */
export interface Chunk {
  readonly pieces: readonly Piece[];
  /**
   * Rows [r0, r1) of the first layer's weights, or its bias: the gradient is
   * computed from the shared delta. Otherwise it is reduced from the threads' slots.
   */
  readonly first?: readonly [number, number] | "bias";
}

/** The update's chunks: the first `ranged` cut into the threads' ranges, the rest its tail. */
export interface Chunks {
  readonly list: readonly Chunk[];
  readonly ranged: number;
}

/**
 * Most floats in the tail of the update: small chunks that whichever thread
 * is free claims last, so that the threads finish within one of them of
 * each other rather than within one block of the first layer (~65 µs).
 */
export const TAIL_FLOATS = 4 * CHUNK;

/**
 * The flat parameter vector cut into chunks, claimed one by one in
 * {@linkcode updateShare}: whole blocks of rows of the first layer's
 * weights and the runs of {@linkcode CHUNK} floats of the other tensors,
 * cut into the threads' ranges; then the tail, up to {@linkcode TAIL_FLOATS}
 * floats in all: the first layer's short last block and its bias, and the
 * last runs of the other tensors, each where it fits (else it is ranged).
 */
export function chunksOf(layout: Layout): Chunks {
  const { tensors, inputs } = layout.sizes, units = tensors[1];
  const total = tensors.reduce((a, b) => a + b, 0);
  const ranged: Chunk[] = [], tail: Chunk[] = [], rest: Chunk[] = [];
  let room = TAIL_FLOATS;
  /** Puts `chunk` in the tail while it has room, else in the ranges. */
  const place = (chunk: Chunk): void => {
    const n = floatsOf(chunk);
    if (n <= room) tail.push(chunk), room -= n;
    else ranged.push(chunk);
  };
  const per = Math.max(FIRST_MIN_ROWS, Math.floor(FIRST_CHUNK / units));
  const bias = layout.offsets[1];
  place({ pieces: piecesOf(layout, bias, bias + units), first: "bias" });
  for (let r0 = 0; r0 < inputs; r0 += per) {
    const r1 = Math.min(inputs, r0 + per);
    const chunk: Chunk = { pieces: piecesOf(layout, r0 * units, r1 * units), first: [r0, r1] };
    if (r1 - r0 === per) ranged.push(chunk);
    else place(chunk); // a short last block
  }
  for (let lo = bias + units; lo < total; lo += CHUNK) {
    rest.push({ pieces: piecesOf(layout, lo, lo + CHUNK) });
  }
  let cut = rest.length; // the last runs, while they fit
  while (cut > 0 && floatsOf(rest[cut - 1]) <= room) room -= floatsOf(rest[--cut]);
  ranged.push(...rest.slice(0, cut));
  return { list: [...ranged, ...tail.reverse(), ...rest.slice(cut)], ranged: ranged.length };
}

const floatsOf = (chunk: Chunk): number => chunk.pieces.reduce((n, p) => n + p.param.length, 0);

/** The first chunk of thread `i`'s range of the update: each thread owns an equal run of chunks. */
function rangeStart(chunks: number, threads: number, i: number): number {
  return Math.floor(i * chunks / threads);
}

/** Sets every thread's claim cursor to the start of its range, and the tail's to the tail. */
export function startClaims(layout: Layout, chunks: Chunks): void {
  const threads = layout.sizes.threads;
  for (let i = 0; i < threads; i++) {
    Atomics.store(layout.control, claimAt(i), rangeStart(chunks.ranged, threads, i));
  }
  Atomics.store(layout.control, TAIL, chunks.ranged);
}

/**
 * Reduces and updates chunks until none is left: first those of this
 * thread's own range, then, when done early, the rest of the other threads'
 * ranges, claiming each chunk through its range's shared cursor, then the
 * tail's. A thread thus keeps the same optimizer slots in its cache from
 * step to step, a thread done first with its gradient still takes the
 * larger share, and the small chunks of the tail even out the ends. Each
 * element's bits do not depend on which thread computes it, so the run stays
 * deterministic. The cursors are set by {@linkcode startClaims}.
 */
export function updateShare(
  layout: Layout,
  chunks: Chunks,
  optimizer: OptimizerPlugin,
  weights: number[],
  thread: number,
  kernels: ThreadKernels,
): void {
  const threads = layout.sizes.threads, { adam, first } = kernels;
  first.prepare();
  // The Adam constants of this step, once for all chunks.
  const native = adam && adamKernel(optimizer)
    ? {
      adam,
      c: adamConstants(adamSettings(optimizer.params), layout.results[LR], layout.results[STEP]),
    }
    : undefined;
  /** Takes chunks through the cursor at control word `cursor` until it passes `end`. */
  const drain = (cursor: number, end: number): void => {
    for (;;) {
      const c = Atomics.add(layout.control, cursor, 1);
      if (c >= end) return;
      const chunk = chunks.list[c], from = chunk.first;
      if (from === undefined) reducePieces(layout, chunk.pieces, weights, kernels.weightedSum);
      else if (from === "bias") first.bias();
      else first.rows(from[0], from[1]);
      updatePieces(layout, chunk.pieces, optimizer, native);
    }
  };
  for (let k = 0; k < threads; k++) {
    const owner = (thread + k) % threads;
    drain(claimAt(owner), rangeStart(chunks.ranged, threads, owner + 1));
  }
  drain(TAIL, chunks.list.length);
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

/** What {@linkcode updateShare} runs the update with: a thread's kernels. */
export interface ThreadKernels {
  /** The backend's weighted sum of two arrays, when it runs in place (for {@linkcode reducePieces}). */
  readonly weightedSum?: WeightedSum;
  /** The backend's Adam kernel, when it runs in place (for {@linkcode updatePieces}). */
  readonly adam?: AdamKernel;
  /** The first layer's gradient from the shared delta. */
  readonly first: FirstLayer;
}
