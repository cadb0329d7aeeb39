// Chooses the matrix kernels and the thread count for a job.
import { MAX_MEMORY_MIB } from "../core/wasm/memory_limit.ts";
import type { Backend } from "../core/math/backend.ts";
import { tsBackend } from "../core/math/kernels.ts";
import type { Network } from "../core/math/network.ts";
import type { LayerSpec, Plugin } from "../core/math/types.ts";
import { createWasmBackend, wasmSimdSupported } from "../core/wasm/wasm_backend.ts";
import { builtinPlugins } from "../plugins/mod.ts";
import { pluginRef } from "../core/checks/plugin_ref.ts";
import type { WarmUp } from "../parallel/worker_pool.ts";
import { BUILTIN_INPUTS, type BuiltinDataset } from "./datasets/mod.ts";

/** A backend by name, or one given as it is. */
export type BackendChoice = "auto" | "ts" | "wasm" | Backend;

/** What the kernels' memory must hold: floats of weights, gradients, optimizer state and batch buffers. */
export interface MemoryNeeds {
  /** Floats the training step allocates through the backend. */
  readonly floats: number;
}

/** The largest wasm memory a backend takes (MiB). */

/** MiB of wasm memory for `floats`, with room for the kernels' packing scratch; at least 64. */
export function wasmMemoryMiB(needs: MemoryNeeds): number {
  return Math.max(64, Math.ceil((needs.floats * 4 * 1.25) / 2 ** 20) + 16);
}

/**
 * Floats a training step allocates for a network: weights, gradients, a stats
 * copy, `slots` optimizer arrays per weight, and per layer four batch buffers.
 */
export function stepFloats(
  network: Network,
  options: { batchSize: number; slots: number },
): number {
  let params = 0, units = network.inputs;
  for (const l of network.layers) params += l.weights.length + l.bias.length, units += 4 * l.units;
  return params * (3 + options.slots) + options.batchSize * (units + network.outputs);
}

/**
 * `"auto"`: WebAssembly SIMD where the runtime has it (about 8x faster than
 * TypeScript on the default job) and the network fits in wasm memory, else
 * TypeScript. `"wasm"` where SIMD is missing, or for a network too big for
 * wasm memory, is a TypeError saying so.
 */
export function pickBackend(choice: BackendChoice, needs: MemoryNeeds = { floats: 0 }): Backend {
  if (choice === "ts") return tsBackend;
  const memoryMiB = wasmMemoryMiB(needs);
  const fits = memoryMiB <= MAX_MEMORY_MIB;
  if (choice === "auto") {
    return wasmSimdSupported() && fits ? createWasmBackend({ memoryMiB }) : tsBackend;
  }
  if (choice !== "wasm") return choice;
  if (!wasmSimdSupported()) {
    throw new TypeError(
      'Invalid backend: "wasm" needs WebAssembly SIMD, which this runtime lacks; use "ts" or "auto"',
    );
  }
  if (!fits) {
    throw new RangeError(
      `Invalid backend: the network needs about ${memoryMiB} MiB of wasm memory, over the ${MAX_MEMORY_MIB} MiB limit; use --backend ts or a smaller network or batch`,
    );
  }
  return createWasmBackend({ memoryMiB });
}

/**
 * Multiply-adds per step (batch rows x parameters) below which a step is too
 * small to split: waking the workers and summing their gradients would cost
 * more than the rows save. The default MNIST job has 7 million.
 */
const MIN_WORK = 1_000_000;
/** Fewest rows of a batch worth a thread of their own. */
const MIN_ROWS = 8;

/** What the worker count depends on. */
export interface WorkerNeeds {
  /** `workers` from the run config; undefined means choose. */
  readonly asked?: number;
  readonly cores: number;
  readonly batchSize: number;
  /** Parameters of the network. */
  readonly params: number;
  /** False when a custom plugin has no module the workers could import. */
  readonly portable: boolean;
}

/**
 * Threads for a run: the asked count capped at the cores, else one per core
 * when the step is big enough (at least `MIN_ROWS` rows per thread and a
 * million multiply-adds) and every plugin can be rebuilt in a Worker.
 */
export function pickWorkers(needs: WorkerNeeds): number {
  const cores = Math.max(1, needs.cores);
  if (needs.asked !== undefined) return Math.min(needs.asked, cores);
  if (!needs.portable || needs.batchSize * needs.params < MIN_WORK) return 1;
  return Math.max(1, Math.min(cores, Math.floor(needs.batchSize / MIN_ROWS)));
}

/** A job's inputs per sample when its data set is a built-in one, known before loading. */
function inputsBefore(dataset: unknown): number | undefined {
  return typeof dataset === "string" && dataset in BUILTIN_INPUTS
    ? BUILTIN_INPUTS[dataset as BuiltinDataset]
    : undefined;
}

/**
 * Workers worth starting before a job's data is loaded: what
 * {@linkcode pickWorkers} will choose, less this thread. A built-in data set's
 * width gives the network's size; a file's `fileInputs` (a csv header's
 * count) gives it as the header shows it: none start when one thread would
 * serve that network. A file of unknown width counts as big enough to split.
 * No more than one worker starts ahead of a file unless `workers` asks for
 * more (a run starts the rest it needs, and a job that needs fewer ends the
 * extra ones).
 */
export function workersAhead(
  config: { workers?: number; batchSize: number; dataset: unknown; layers: readonly LayerSpec[] },
  options: { workers?: number },
  fileInputs?: number,
): number {
  const asked = options.workers ?? config.workers, builtin = inputsBefore(config.dataset);
  const inputs = builtin ?? fileInputs;
  let params = inputs === undefined ? Infinity : 0;
  for (let n = inputs ?? 0, i = 0; inputs !== undefined && i < config.layers.length; i++) {
    params += (n + 1) * config.layers[i].units, n = config.layers[i].units;
  }
  const threads = workersFor(asked, config.batchSize, params, true);
  const cap = builtin === undefined && asked === undefined ? 2 : 256;
  return Math.min(threads, cap) - 1;
}

/**
 * What workers started ahead warm up for before the data is loaded: the
 * job's layers, loss, optimizer, batch and the backend `pickBackend` would
 * likely pick. The inputs are a built-in data set's own, else a stand-in
 * width (the compiled code does not depend on it).
 */
export function warmUpFor(
  config: { layers: readonly LayerSpec[]; batchSize: number; dataset: unknown; backend?: string },
  options: { backend?: BackendChoice; pluginModules?: readonly string[] },
  plugins: { loss: Plugin; optimizer: Plugin },
): WarmUp {
  const choice = options.backend ?? config.backend ?? "auto";
  const name = typeof choice === "string" ? choice : choice.name;
  const wasm = name === "wasm-relaxed-simd" ? name : "wasm-simd";
  return {
    spec: { inputs: inputsBefore(config.dataset) ?? 32, layers: [...config.layers] },
    loss: pluginRef(plugins.loss),
    optimizer: pluginRef(plugins.optimizer),
    backend: name === "ts" || !wasmSimdSupported() ? "ts" : wasm,
    batchSize: config.batchSize,
    ...(options.pluginModules ? { modules: [...options.pluginModules] } : {}),
  };
}

/** True when Workers can rebuild all these plugins from the built-ins alone. */
function builtinOnly(used: readonly Plugin[]): boolean {
  const builtin = new Set(builtinPlugins().map((p) => `${p.kind}:${p.name}`));
  return used.every((p) => builtin.has(`${p.kind}:${p.name}`));
}

/** {@linkcode pickWorkers} for a job: its config and options, network and loss and optimizer. */
export function jobWorkers(
  config: { workers?: number; batchSize: number },
  options: { workers?: number; pluginModules?: readonly string[] },
  network: Network,
  plugins: readonly Plugin[],
): number {
  const used = [...network.layers.map((l) => l.activation), ...plugins];
  return workersFor(
    options.workers ?? config.workers,
    config.batchSize,
    network.layers.reduce((n, l) => n + l.weights.length + l.bias.length, 0),
    (options.pluginModules?.length ?? 0) > 0 || builtinOnly(used),
  );
}

/** {@linkcode pickWorkers} on this machine's cores. */
function workersFor(
  asked: number | undefined,
  batchSize: number,
  params: number,
  portable: boolean,
): number {
  return pickWorkers({
    ...(asked === undefined ? {} : { asked }),
    cores: navigator.hardwareConcurrency ?? 1,
    batchSize,
    params,
    portable,
  });
}
