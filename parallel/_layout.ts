/**
 * The shared memory of a data-parallel step, as both sides see it: one
 * SharedArrayBuffer of floats (weights, reduced gradients, optimizer slots,
 * one gradient slot per thread, the batch, the first layer's dL/dz), one of Int32 control words and
 * one of Float64 per-thread results. Internal.
 *
 * @module
 */

/** Int32 control words. */
export const GEN = 0; // bumped by the main thread to start a command
export const CMD = 1; // what the workers do for this generation
export const ARRIVE = 2; // threads done with their gradients
export const FINISH = 3; // threads done with their slice of the update
export const FAILED = 4; // index + 1 of the first worker that threw
export const MESSAGE_LENGTH = 5; // bytes of its error message
export const READY = 6; // workers done with their setup, serving steps
export const TAIL = 7; // the next unclaimed chunk of the update's tail (any thread's)
const ROWS = 8; // per thread: first row, row count, correct count, next chunk of its update range
const PER_THREAD = 4;

/** Commands. */
export const GRADIENTS = 1; // gradients only: the main thread reduces and updates
export const GRADIENTS_AND_UPDATE = 2; // then the threads share the reduction and update
export const STOP = 3;
export const EVALUATE = 4; // loss and correct count of each thread's rows, weights untouched

/** Float64 words: learning rate and step count of the update, then one loss per thread. */
export const LR = 0;
export const STEP = 1;
const LOSS = 2;

const MESSAGE_BYTES = 2048;

/** Sizes that fix the layout. */
export interface LayoutSizes {
  /** Parameter tensor lengths, in `parameters(network)` order. */
  readonly tensors: readonly number[];
  /** Optimizer slots per tensor. */
  readonly slots: number;
  /** Threads taking part: the main thread and the workers. */
  readonly threads: number;
  readonly batchSize: number;
  readonly inputs: number;
  readonly outputs: number;
}

/** The shared buffers, as sent to each worker. */
export interface SharedBuffers {
  /** Holds the floats from byte `floatsAt` on: its own buffer, or a shared wasm memory's. */
  readonly floats: SharedArrayBuffer;
  readonly floatsAt: number;
  readonly control: SharedArrayBuffer;
  readonly results: SharedArrayBuffer;
  readonly message: SharedArrayBuffer;
}

/** Typed views over {@linkcode SharedBuffers}. */
export interface Layout {
  readonly sizes: LayoutSizes;
  readonly buffers: SharedBuffers;
  readonly control: Int32Array;
  readonly results: Float64Array;
  /** Offset of each tensor in a flat parameter vector. */
  readonly offsets: readonly number[];
  /** The weights every thread reads: one view per tensor. */
  readonly params: Float32Array[];
  /** The batch-mean gradient, reduced from the threads' slots. */
  readonly reduced: Float32Array[];
  /** `slots[tensor][slot]`: the optimizer state. */
  readonly slots: Float32Array[][];
  /** `grads[thread][tensor]`: each thread's gradient for its rows. */
  readonly grads: Float32Array[][];
  /** The batch rows the workers read. */
  readonly x: Float32Array;
  readonly t: Float32Array;
  /** dL/dz of the first layer, batch rows x units: each thread writes its rows (see _first_layer.ts). */
  readonly delta: Float32Array;
}

/** Bytes of the floats for these sizes: weights, reduced gradient, slots, thread gradients, batch, delta. */
export function floatBytes(sizes: LayoutSizes): number {
  const total = sizes.tensors.reduce((a, b) => a + b, 0);
  return 4 * (total * (2 + sizes.slots + sizes.threads) +
    sizes.batchSize * (sizes.inputs + sizes.outputs + sizes.tensors[1]));
}

/**
 * Allocates the shared buffers for these sizes (main thread); the floats go
 * at byte `floats.at` of `floats.buffer` (a shared wasm memory) when given.
 */
export function allocateShared(
  sizes: LayoutSizes,
  floats?: { readonly buffer: SharedArrayBuffer; readonly at: number },
): SharedBuffers {
  return {
    floats: floats?.buffer ?? new SharedArrayBuffer(floatBytes(sizes)),
    floatsAt: floats?.at ?? 0,
    control: new SharedArrayBuffer((ROWS + PER_THREAD * sizes.threads) * 4),
    results: new SharedArrayBuffer((LOSS + sizes.threads) * 8),
    message: new SharedArrayBuffer(MESSAGE_BYTES),
  };
}

/** Views over the shared buffers (either side). */
export function layoutOf(sizes: LayoutSizes, buffers: SharedBuffers): Layout {
  const offsets: number[] = [];
  let total = 0;
  for (const n of sizes.tensors) offsets.push(total), total += n;
  let at = buffers.floatsAt / 4;
  const take = (n: number): Float32Array => {
    const view = new Float32Array(buffers.floats, at * 4, n);
    at += n;
    return view;
  };
  const tensors = (): Float32Array[] => {
    const flat = take(total);
    return sizes.tensors.map((n, i) => flat.subarray(offsets[i], offsets[i] + n));
  };
  const params = tensors(), reduced = tensors();
  const slotSets = Array.from({ length: sizes.slots }, tensors);
  const grads = Array.from({ length: sizes.threads }, tensors);
  return {
    sizes,
    buffers,
    control: new Int32Array(buffers.control),
    results: new Float64Array(buffers.results),
    offsets,
    params,
    reduced,
    slots: sizes.tensors.map((_, i) => slotSets.map((set) => set[i])),
    grads,
    x: take(sizes.batchSize * sizes.inputs),
    t: take(sizes.batchSize * sizes.outputs),
    delta: take(sizes.batchSize * sizes.tensors[1]),
  };
}

/** Where thread `i`'s rows, correct count, update cursor and loss live. */
export const rowStart = (i: number): number => ROWS + PER_THREAD * i;
export const rowCount = (i: number): number => ROWS + PER_THREAD * i + 1;
export const correctAt = (i: number): number => ROWS + PER_THREAD * i + 2;
/** The next unclaimed chunk of thread `i`'s range of the update. */
export const claimAt = (i: number): number => ROWS + PER_THREAD * i + 3;
export const lossAt = (i: number): number => LOSS + i;

/** Records a worker's error for the main thread, which is blocked and cannot take messages. */
export function reportFailure(layout: Layout, thread: number, error: unknown): void {
  const { name, message } = error instanceof Error
    ? error
    : { name: "Error", message: String(error) };
  const text = JSON.stringify({ name, message }).slice(0, MESSAGE_BYTES / 4);
  const bytes = new TextEncoder().encode(text);
  new Uint8Array(layout.buffers.message).set(bytes);
  Atomics.store(layout.control, MESSAGE_LENGTH, bytes.length);
  Atomics.compareExchange(layout.control, FAILED, 0, thread + 1);
  Atomics.notify(layout.control, ARRIVE);
  Atomics.notify(layout.control, FINISH);
}

/**
 * The error a failed worker left, rebuilt with its class (RangeError for bad
 * data, TypeError for a wrong shape or name), or undefined.
 */
export function failure(layout: Layout): Error | undefined {
  const who = Atomics.load(layout.control, FAILED);
  if (who === 0) return undefined;
  const length = Atomics.load(layout.control, MESSAGE_LENGTH);
  const bytes = new Uint8Array(layout.buffers.message, 0, length).slice();
  let name = "Error", message = "unknown error";
  try {
    ({ name, message } = JSON.parse(new TextDecoder().decode(bytes)));
  } catch { /* cut short: keep the generic message */ }
  const Type = name === "RangeError" ? RangeError : name === "TypeError" ? TypeError : Error;
  return new Type(`${message} (in worker ${who - 1})`);
}
