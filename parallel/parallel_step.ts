/**
 * Data-parallel training: `train({ ..., createStep: parallel({ workers: 2 }) })`.
 *
 * @module
 */
import { pluginRef } from "../core/checks/plugin_ref.ts";
import { checkStepOptions } from "../core/math/backward.ts";
import { tsBackend } from "../core/math/kernels.ts";
import type { Network } from "../core/math/network.ts";
import { type CreateStep, createTrainStep, type TrainStep } from "../core/math/train_step.ts";
import type { WasmBackend } from "../core/wasm/wasm_backend.ts";
import { allocateShared, layoutOf } from "./_layout.ts";
import { planSharedWasm, threadBackend } from "./_shared_wasm.ts";
import { createParallelStep } from "./_main_step.ts";
import { type StartedWorker, startWorker, type WorkerPool } from "./worker_pool.ts";

/** Options of {@linkcode parallel}. */
export interface ParallelOptions {
  /**
   * Threads computing each step: this one and `workers - 1` Workers (default
   * `navigator.hardwareConcurrency`). 1 trains on this thread alone, exactly
   * as without the option.
   */
  readonly workers?: number;
  /**
   * URLs (or absolute paths) of modules exporting the custom plugins the
   * network, loss or optimizer use: each Worker imports them and rebuilds the
   * plugins from their names. Plugins defined inline, outside a module, cannot
   * be rebuilt in a Worker; such a run fails with an error saying so.
   */
  readonly plugins?: readonly string[];
  /**
   * Workers started ahead (`startWorkers`), e.g. while the data loads: a run
   * takes its workers from here first, and starts the rest itself.
   */
  readonly pool?: WorkerPool;
}

/** A copy of the network's structure with its own weights, for the main thread's slice. */
function cloneNetwork(network: Network): Network {
  return {
    ...network,
    layers: network.layers.map((l) => ({
      ...l,
      weights: new Float32Array(l.weights),
      bias: new Float32Array(l.bias),
    })),
  };
}

function checkWorkers(workers: number): number {
  if (!Number.isInteger(workers) || workers < 1 || workers > 256) {
    throw new RangeError(`Invalid workers: ${workers} must be a whole number in 1..256`);
  }
  return workers;
}

/** Worker `thread`: taken from the pool, or started now; its start-up error names the thread. */
function spawn(thread: number, pool: WorkerPool | undefined): StartedWorker {
  const { worker, ready } = pool?.take() ?? startWorker();
  return {
    worker,
    ready: ready.catch((error: Error) => {
      throw new TypeError(`Worker ${thread} could not start: ${error.message}`);
    }),
  };
}

/**
 * A step factory for {@linkcode train}'s `createStep` option that splits every
 * batch across `workers` threads sharing memory (SharedArrayBuffer): each
 * computes the gradient of its rows; after a barrier the gradients are summed
 * in thread order, weighted by row counts (so the loss and gradient are the
 * batch means, as on one thread), and the threads update the weights in
 * chunks, each its own range first, then what is left of the others', then
 * a tail of small chunks that whichever thread is free takes, so a thread
 * done early with its gradient takes the larger share and the threads
 * finish close together (element-wise optimizers; others, gradient clipping
 * and the per-epoch layer statistics update on the main thread). The first layer, which holds most weights, is
 * not summed: each thread leaves its rows of dL/dz, and the chunks of that
 * layer's gradient are computed over the whole batch at once (with the bits
 * one thread would get when the split is even over 2 or 4 threads). Steps synchronise through `Atomics` on shared control
 * words, not messages; the main thread computes a slice itself and waits on
 * the rest. Validation (`evaluate`) is split too: each thread scores its
 * share of the rows of every batch, summed in thread order, the same runs of
 * rows (so the same bits) as one thread scoring them in runs of its share. A run is deterministic for a given worker count: same seed, same
 * count, same bits. Across counts the summation order differs, within float32
 * rounding.
 *
 * `run` returns once the gradients are in: the workers start the update while
 * this thread goes back to the trainer (the next batch, events), and this
 * thread joins what is left of it at the next call or at `settle()`, which
 * the trainer calls before it reads the network. A `batch` event can thus
 * arrive while the update of its step is still finishing: read the weights on
 * `epoch` events.
 *
 * The Workers start when a run starts, or come from `pool` (started ahead),
 * and end when the run completes, fails or is unsubscribed; this thread warms
 * its own code up while they set up. The network's tensors live in shared
 * memory during the run and are copied back to plain arrays at its end. Needs
 * a float32 network; the backend must be `tsBackend` or a
 * `createWasmBackend()` one. With the latter, every thread runs the kernels
 * on one shared `WebAssembly.Memory` holding the weights, gradients and
 * batch, with no copies (where the runtime has shared wasm memory; else each
 * thread copies between its own memory and the shared one).
 *
 * @example
 * ```ts ignore
 * import { parallel } from "./parallel_step.ts";
 * train({ network, loss, optimizer, data, epochs: 5, batchSize: 64, backend,
 *   createStep: parallel({ workers: 2 }) }).subscribe(console.log);
 * ```
 */
export function parallel(options: ParallelOptions = {}): CreateStep {
  const workers = checkWorkers(options.workers ?? navigator.hardwareConcurrency ?? 1);
  const modules = [...(options.plugins ?? [])];
  return async (network, stepOptions): Promise<TrainStep> => {
    if (workers === 1) return createTrainStep(network, stepOptions);
    if (!(network.layers[0].weights instanceof Float32Array)) {
      throw new TypeError("Invalid network for parallel(): it must be float32, not float64");
    }
    checkStepOptions(stepOptions); // before the shared memory is sized from it
    const backend = stepOptions.backend ?? tsBackend;
    const sizes = {
      tensors: network.layers.flatMap((l) => [l.weights.length, l.bias.length]),
      slots: stepOptions.optimizer.slots,
      threads: workers,
      batchSize: stepOptions.batchSize,
      inputs: network.inputs,
      outputs: network.outputs,
    };
    const spawned = Array.from({ length: workers - 1 }, (_, i) => spawn(i + 1, options.pool));
    let step: TrainStep;
    try {
      // The workers load their modules meanwhile.
      const plan = planSharedWasm(backend, sizes);
      const buffers = allocateShared(
        sizes,
        plan && { buffer: plan.memory.buffer as SharedArrayBuffer, at: plan.floatsAt },
      );
      const { memory, module } = backend as Partial<WasmBackend>;
      const base = {
        sizes,
        buffers,
        spec: {
          inputs: network.inputs,
          layers: network.layers.map((l) => ({
            units: l.units,
            activation: pluginRef(l.activation),
          })),
        },
        loss: pluginRef(stepOptions.loss),
        optimizer: pluginRef(stepOptions.optimizer),
        ...(stepOptions.l2 === undefined ? {} : { l2: stepOptions.l2 }),
        backend: backend.name,
        ...(plan ? { shared: plan } : {}),
        ...(!plan && memory ? { memoryMiB: memory.buffer.byteLength / 2 ** 20 } : {}),
        ...(!plan && module ? { wasmModule: module } : {}),
        modules,
      };
      spawned.forEach((s, i) => s.worker.postMessage({ ...base, thread: i + 1 }));
      // Built while the workers set up: this thread warms its kernels up meanwhile.
      step = createParallelStep(network, {
        ...stepOptions,
        ...(plan ? { backend: threadBackend(plan, 0) } : {}),
        layout: layoutOf(sizes, buffers),
        local: cloneNetwork(network),
        workers: spawned.map((s) => s.worker),
      });
    } catch (error) {
      for (const s of spawned) s.worker.terminate();
      throw error;
    }
    const started = await Promise.allSettled(spawned.map((s) => s.ready));
    const failed = started.find((s) => s.status === "rejected");
    if (failed) {
      step.close!();
      throw (failed as PromiseRejectedResult).reason;
    }
    return step;
  };
}
