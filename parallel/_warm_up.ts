/**
 * A pooled worker's warm-up while it waits for its run: the same step code
 * (gradient with the first layer deferred, the shared update) run on private
 * memory for a network like the run's, so that the engine has compiled it
 * before the first real step. The run starts with the worker's half as fast
 * as the main thread's, which warmed up on its own. Internal.
 *
 * @module
 */
import type { NetworkSpec, PluginRef } from "../core/math/types.ts";
import { createWasmBackend } from "../core/wasm/wasm_backend.ts";
import { allocateShared, LR, rowCount, rowStart, STEP } from "./_layout.ts";
import { planSharedWasm } from "./_shared_wasm.ts";
import { startClaims, updateShare } from "./_update_share.ts";
import { lookup, pluginsOf, setup } from "./_worker_setup.ts";

/** The run to warm up for: its network, plugins, backend and batch; see `startWorkers`. */
export interface WarmUp {
  /** The run's network; layers wider than 256 are warmed up narrower, as the compiled code is the same. */
  readonly spec: NetworkSpec;
  /** The run's loss, as a registry reference (a name, or a name with params). */
  readonly loss: PluginRef;
  /** The run's optimizer, as a registry reference (a name, or a name with params). */
  readonly optimizer: PluginRef;
  /** "ts", "wasm-simd" or "wasm-relaxed-simd". */
  readonly backend: string;
  /** The run's batch size; warm-up batches hold at most 64 rows. */
  readonly batchSize: number;
  /** Module URLs of custom plugins, as for `parallel({ plugins })`. */
  readonly modules?: readonly string[];
}

/** Options of {@linkcode warmUp}. */
export interface WarmUpOptions {
  /**
   * The clock its 60 ms are measured on, in ms (default `performance.now`).
   * Tests pass a fake one, so that what they see does not depend on how
   * busy the machine is.
   */
  readonly now?: () => number;
}

/** The longest a warm-up runs, in ms from its start, and in steps. */
const MAX_MS = 60, MAX_STEPS = 200;
/**
 * Widths and rows a warm-up uses at most: the compiled code does not depend
 * on the sizes, and its private memory stays allocated while the run goes on.
 */
const MAX_WIDTH = 256, MAX_ROWS = 64;
const BACKENDS = new Set(["ts", "wasm-simd", "wasm-relaxed-simd"]);

/**
 * The network and batch a warm-up for `w` runs: the same layers and
 * activations, each at most 256 wide, and at most 64 rows.
 *
 * @example
 * ```ts
 * import { cutDown } from "./_warm_up.ts";
 * cutDown({ spec: { inputs: 784, layers: [{ units: 10 }] }, batchSize: 512 });
 * // { spec: { inputs: 256, layers: [{ units: 10 }] }, batchSize: 64 }
 * ```
 */
export function cutDown(
  w: Pick<WarmUp, "spec" | "batchSize">,
): { spec: NetworkSpec; batchSize: number } {
  const width = (n: number) => Math.min(n, MAX_WIDTH);
  return {
    spec: {
      inputs: width(w.spec.inputs),
      layers: w.spec.layers.map((l) => ({ ...l, units: width(l.units) })),
    },
    batchSize: Math.min(w.batchSize, MAX_ROWS),
  };
}

/**
 * Runs warm-up steps until `stop[0]` is set (the worker was taken for a run),
 * for at most 60 ms from its start or 200 steps, and gives how many ran. A
 * network wider than 256 or a batch above 64 rows is warmed up cut down to
 * that ({@linkcode cutDown}). Never throws: a warm-up that cannot be built (a
 * plugin module that fails to load, an unknown backend) runs none, and the
 * run reports the error.
 *
 * @example
 * ```ts ignore
 * const stop = new Int32Array(new SharedArrayBuffer(4));
 * const done = warmUp(run, stop); // in a pooled worker, while it waits
 * Atomics.store(stop, 0, 1); // taken for the run: the warm-up ends after its current step
 * await done;
 * ```
 */
export async function warmUp(
  w: WarmUp,
  stop: Int32Array,
  options: WarmUpOptions = {},
): Promise<number> {
  const now = options.now ?? (() => performance.now());
  const began = now();
  const over = () => Atomics.load(stop, 0) !== 0 || now() - began > MAX_MS;
  let steps = 0;
  if (!BACKENDS.has(w.backend)) return steps;
  try {
    const modules = w.modules ?? [];
    const { slots } = lookup(await pluginsOf(modules), "optimizer", w.optimizer);
    if (over()) return steps;
    const { spec, batchSize } = cutDown(w);
    const tensors: number[] = [];
    let inputs = spec.inputs;
    for (const l of spec.layers) tensors.push(inputs * l.units, l.units), inputs = l.units;
    // Two threads, the other one idle: the code paths of a two-thread run.
    const sizes = { tensors, slots, threads: 2, batchSize, inputs: spec.inputs, outputs: inputs };
    const fma = w.backend === "wasm-relaxed-simd";
    const plan = w.backend === "ts" ? undefined : planSharedWasm(
      createWasmBackend({ memoryMiB: 2, fma }),
      sizes,
    );
    const buffers = allocateShared(
      sizes,
      plan && { buffer: plan.memory.buffer as SharedArrayBuffer, at: plan.floatsAt },
    );
    const { layout, step, optimizer, chunks } = await setup({
      thread: 0,
      sizes,
      buffers,
      spec,
      loss: w.loss,
      optimizer: w.optimizer,
      backend: w.backend,
      ...(plan ? { shared: plan } : {}),
      modules,
    });
    const rows = Math.ceil(batchSize / 2); // this thread's half, as in a two-thread run
    layout.control[rowStart(0)] = 0, layout.control[rowCount(0)] = rows;
    layout.control[rowStart(1)] = rows, layout.control[rowCount(1)] = 0;
    for (let i = 0; i < layout.x.length; i++) layout.x[i] = ((i * 7919) % 255) / 255;
    for (let r = 0; r < rows; r++) layout.t[r * sizes.outputs + r % sizes.outputs] = 1;
    for (const p of layout.params) for (let i = 0; i < p.length; i++) p[i] = Math.sin(i) / 16;
    layout.results[LR] = 1e-4;
    const weights = [0, 0];
    while (steps < MAX_STEPS && !over()) {
      layout.results[STEP] = ++steps;
      step.gradients(layout.x, layout.t, true);
      startClaims(layout, chunks);
      updateShare(layout, chunks, optimizer, weights, 0, step);
    }
  } catch { /* the run builds its own step and reports what fails */ }
  return steps;
}
