/**
 * Building a worker's side of a data-parallel step from its init message:
 * the network, loss and optimizer rebuilt from their names (built-in plugins,
 * plus those exported by the given modules), the backend, the thread step.
 * Shared by the worker entry and its warm-up. Internal.
 *
 * @module
 */
import { refName, refParams } from "../core/checks/plugin_ref.ts";
import type { Backend } from "../core/math/backend.ts";
import { tsBackend } from "../core/math/kernels.ts";
import type { Network } from "../core/math/network.ts";
import type {
  NetworkSpec,
  OptimizerPlugin,
  Plugin,
  PluginKind,
  PluginRef,
} from "../core/math/types.ts";
import type { PluginsByKind } from "../core/checks/registry.ts";
import { createWasmBackend } from "../core/wasm/wasm_backend.ts";
import { collectPlugins } from "../core/checks/collect_plugins.ts";
import { builtinPlugins } from "../plugins/mod.ts";
import { type Layout, layoutOf, type LayoutSizes, type SharedBuffers } from "./_layout.ts";
import { type SharedWasm, threadBackend } from "./_shared_wasm.ts";
import { createThreadStep, type ThreadStep } from "./_thread_step.ts";
import { type Chunks, chunksOf } from "./_update_share.ts";

/** What the main thread sends a worker once. */
export interface WorkerInit {
  readonly thread: number;
  readonly sizes: LayoutSizes;
  readonly buffers: SharedBuffers;
  readonly spec: NetworkSpec;
  readonly loss: PluginRef;
  readonly optimizer: PluginRef;
  readonly l2?: number;
  /** Backend name: "ts", "wasm-simd" or "wasm-relaxed-simd". */
  readonly backend: string;
  readonly memoryMiB?: number;
  /** The main thread's compiled wasm kernels, instantiated as they are. */
  readonly wasmModule?: WebAssembly.Module;
  /** The wasm memory all threads share, when the floats live in it (then `backend` is wasm). */
  readonly shared?: SharedWasm;
  /** Module URLs whose exported plugins join the built-ins. */
  readonly modules: readonly string[];
}

function backendNamed(name: string, memoryMiB?: number, module?: WebAssembly.Module): Backend {
  const mib = { ...(memoryMiB === undefined ? {} : { memoryMiB }), ...(module ? { module } : {}) };
  if (name === "ts") return tsBackend;
  if (name === "wasm-simd") return createWasmBackend(mib);
  if (name === "wasm-relaxed-simd") return createWasmBackend({ ...mib, fma: true });
  throw new TypeError(
    `Unknown backend "${name}" in a worker: parallel training rebuilds only ts, wasm-simd and wasm-relaxed-simd`,
  );
}

/**
 * The plugin of `kind` named by `ref`, configured with its params. Not a
 * registry: the main thread's registry has already checked these very
 * plugins, and checking them again would cost every worker ~15 ms.
 */
export function lookup<K extends PluginKind>(
  plugins: readonly Plugin[],
  kind: K,
  ref: PluginRef,
): PluginsByKind[K] {
  const name = refName(ref);
  const found = plugins.find((p) => p.kind === kind && p.name === name);
  if (!found) {
    throw new TypeError(
      `Unknown ${kind} "${name}" in a worker: a plugin defined inline cannot be rebuilt in a Worker; export it from a module and pass the module's path (parallel({ plugins }) or --plugin), or train with workers: 1`,
    );
  }
  const params = refParams(ref);
  const plugin = params && found.configure ? found.configure(params) : found;
  return plugin as PluginsByKind[K];
}

/** The network's structure; its weights are the shared ones, read in place or copied in before each use. */
function networkOf(spec: NetworkSpec, plugins: readonly Plugin[]): Network {
  let inputs = spec.inputs;
  const layers = spec.layers.map((l) => {
    const layer = {
      inputs,
      units: l.units,
      activation: lookup(plugins, "activation", l.activation ?? "identity"),
      weights: new Float32Array(inputs * l.units),
      bias: new Float32Array(l.units),
    };
    inputs = l.units;
    return layer;
  });
  return { spec, inputs: spec.inputs, outputs: inputs, layers };
}

/** The built-in plugins and those the modules export. */
export async function pluginsOf(modules: readonly string[]): Promise<Plugin[]> {
  const plugins = builtinPlugins();
  for (const url of modules) plugins.push(...collectPlugins(await import(url), url));
  return plugins;
}

/** What a worker serves steps with. */
export interface WorkerStep {
  readonly layout: Layout;
  readonly step: ThreadStep;
  readonly optimizer: OptimizerPlugin;
  readonly chunks: Chunks;
}

/** Rebuilds the step a worker serves; see the module doc. */
export async function setup(init: WorkerInit): Promise<WorkerStep> {
  const plugins = await pluginsOf(init.modules);
  const network = networkOf(init.spec, plugins);
  const optimizer = lookup(plugins, "optimizer", init.optimizer);
  const layout = layoutOf(init.sizes, init.buffers);
  const step = createThreadStep(network, {
    thread: init.thread,
    layout,
    loss: lookup(plugins, "loss", init.loss),
    optimizer,
    batchSize: init.sizes.batchSize,
    backend: init.shared
      ? threadBackend(init.shared, init.thread)
      : backendNamed(init.backend, init.memoryMiB, init.wasmModule),
    ...(init.l2 === undefined ? {} : { l2: init.l2 }),
  });
  return { layout, step, optimizer, chunks: chunksOf(layout) };
}
