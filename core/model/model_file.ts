import { type Table, tableInputs, targetWidth } from "../data/table.ts";
import { encodeFloats } from "./base64_floats.ts";
import {
  checkFinite,
  checkPlugins,
  checkVersion,
  decodeLayer,
  findEntry,
  sameParams,
} from "./_model_checks.ts";
import {
  MODEL_FORMAT,
  MODEL_VERSION,
  type ModelFile,
  parseModelFileShape,
  type PluginEntry,
  weightsChecksum,
} from "./model_file_schema.ts";
import type { Layer, Network } from "../math/network.ts";
import type { Registry } from "../checks/registry.ts";
import { pluginRef } from "../checks/plugin_ref.ts";
import type { ActivationPlugin, NetworkSpec, Plugin, PluginRef } from "../math/types.ts";

export {
  MODEL_FORMAT,
  MODEL_VERSION,
  type ModelFile,
  ModelFileSchema,
  type PluginEntry,
} from "./model_file_schema.ts";

/** Extra facts stored with a model. */
export interface ModelMeta {
  /** The model's name, stored as the file's `name`, e.g. `"iris-classifier"` (1 to 200 characters). */
  name?: string;
  /** Training facts: `seed`, `config`, final `metrics`, and any other JSON. */
  training?: Record<string, unknown>;
  /** More plugins to record (the loss and optimizer used), beside the activations. */
  plugins?: readonly PluginEntry[];
  /** Adds a fingerprint to each activation entry (see plugin checks). */
  fingerprint?: (plugin: ActivationPlugin) => string;
  /** Creation time to record (default: now); `null` leaves it out, for byte-identical files. */
  createdAt?: string | null;
  /** How named columns become the inputs (models trained on tables): stored so every runtime does the same. */
  table?: Table;
}

/**
 * What a model file stores of a plugin: its kind, name, version and params
 * (and, given, its fingerprint).
 *
 * @example
 * ```ts ignore
 * pluginEntry(adam({ lr: 0.01 })); // { kind: "optimizer", name: "adam", version: "1.0.0", params: {...} }
 * ```
 */
export function pluginEntry(plugin: Plugin, fingerprint?: string): PluginEntry {
  return {
    kind: plugin.kind,
    ...pluginRef(plugin),
    ...(plugin.version ? { version: plugin.version } : {}),
    ...(fingerprint ? { fingerprint } : {}),
  };
}

const activationEntry = (a: ActivationPlugin, meta: ModelMeta): PluginEntry =>
  pluginEntry(a, meta.fingerprint?.(a));

/**
 * Turns a network into a model file object (JSON-ready): spec, plugin names
 * and versions, training metadata and base64 float32 weights with a checksum.
 * Throws a RangeError for NaN or infinite weights: such a file could not load.
 *
 * @example
 * ```ts ignore
 * const text = JSON.stringify(toModelFile(network, { name: "xor", training: { seed: 42 } }));
 * ```
 */
export function toModelFile(network: Network, meta: ModelMeta = {}): ModelFile {
  const hint = "the network diverged; lower the learning rate and retrain";
  network.layers.forEach((l, i) => {
    checkFinite(l.weights, `Cannot save model: layer ${i} weights`, hint);
    checkFinite(l.bias, `Cannot save model: layer ${i} bias`, hint);
  });
  const layers = network.layers.map((l, i) => {
    const init = network.spec.layers[i]?.init;
    return {
      units: l.units,
      activation: l.activation.params
        ? { name: l.activation.name, params: { ...l.activation.params } }
        : l.activation.name,
      ...(init ? { init } : {}),
    };
  });
  const plugins: PluginEntry[] = [];
  for (const l of network.layers) {
    const entry = activationEntry(l.activation, meta);
    const known = plugins.some((p) => p.name === entry.name && sameParams(p.params, entry.params));
    if (!known) plugins.push(entry);
  }
  plugins.push(...(meta.plugins ?? []));
  const weightLayers = network.layers.map((l) => ({
    weights: encodeFloats(l.weights),
    bias: encodeFloats(l.bias),
  }));
  const createdAt = meta.createdAt === undefined ? new Date().toISOString() : meta.createdAt;
  const file: ModelFile = {
    format: MODEL_FORMAT,
    version: MODEL_VERSION,
    ...(meta.name ? { name: meta.name } : {}),
    ...(createdAt ? { createdAt } : {}),
    spec: { inputs: network.inputs, layers },
    plugins,
    ...(meta.training ? { training: meta.training } : {}),
    // The same shape; the schema's type just has mutable arrays.
    ...(meta.table ? { table: meta.table as NonNullable<ModelFile["table"]> } : {}),
    weights: {
      encoding: "base64-f32le",
      checksum: weightsChecksum(weightLayers),
      layers: weightLayers,
    },
  };
  parseModelFileShape(file); // refuse now what loading would refuse later
  return file;
}

/** Options of {@linkcode fromModelFile}. */
export interface LoadOptions {
  /**
   * Where the model's activation plugins are looked up: a {@linkcode Registry},
   * or any lookup with its `get` and `has` (the edge uses a lighter table).
   */
  registry: Pick<Registry, "get" | "has">;
  /** Checks each stored plugin entry against the registered plugin (e.g. fingerprints); throws to refuse. */
  verify?: (entry: PluginEntry, plugin: ActivationPlugin) => void;
}

function parseJson(input: unknown): unknown {
  if (typeof input !== "string") return input;
  try {
    return JSON.parse(input);
  } catch (e) {
    throw new TypeError(
      `Invalid model file: not JSON (${
        (e as Error).message
      }); is the file truncated? re-export the model`,
    );
  }
}

/**
 * Parses and checks a model file (object or JSON text) and rebuilds its
 * network. Every problem is a TypeError or RangeError naming what is wrong and
 * the fix: not JSON, wrong format or version, unknown or missing keys, plugins
 * the registry lacks, sizes that disagree with the spec, a checksum mismatch,
 * NaN weights. Nothing is half-loaded.
 *
 * @example
 * ```ts ignore
 * const network = fromModelFile(await Deno.readTextFile("model.json"), { registry });
 * ```
 */
export function fromModelFile(input: unknown, options: LoadOptions): Network {
  const file = parseModelFileShape(parseJson(input));
  const { spec } = file;
  if (file.weights.layers.length !== spec.layers.length) {
    throw new RangeError(
      `Invalid model file: weights.layers has ${file.weights.layers.length} entries but spec.layers has ${spec.layers.length}; re-export the model`,
    );
  }
  const refs: PluginRef[] = spec.layers.map((l) => l.activation ?? "identity");
  const entries = spec.layers.map((
    l,
    i,
  ) => (l.activation ? findEntry(file, l.activation, i) : undefined));
  checkPlugins(file, refs, options.registry);
  const checksum = file.weights.checksum;
  if (checksum && checksum !== weightsChecksum(file.weights.layers)) {
    throw new TypeError(
      "Invalid model file: weights.checksum does not match the weights; the file is corrupted or was edited, re-export the model",
    );
  }
  let inputs = spec.inputs;
  const layers = spec.layers.map((ls, i): Layer => {
    const activation = options.registry.get("activation", refs[i]);
    const entry = entries[i];
    if (entry) {
      checkVersion(entry, activation);
      options.verify?.(entry, activation);
    }
    const stored = file.weights.layers[i];
    const weights = decodeLayer(stored.weights, inputs * ls.units, `weights.layers.${i}.weights`);
    const bias = decodeLayer(stored.bias, ls.units, `weights.layers.${i}.bias`);
    const layer: Layer = { inputs, units: ls.units, activation, weights, bias };
    inputs = ls.units;
    return layer;
  });
  if (file.table) checkTable(file.table, spec.inputs, inputs);
  return { spec: spec as NetworkSpec, inputs: spec.inputs, outputs: inputs, layers };
}

/** A stored table must give the network's inputs and take its outputs. */
function checkTable(table: Table, inputs: number, outputs: number): void {
  const given = tableInputs(table), taken = targetWidth(table, outputs);
  if (given !== inputs || taken !== outputs) {
    throw new RangeError(
      `Invalid model file: table gives ${given} inputs and ${taken} outputs but the network takes ${inputs} and gives ${outputs}; re-export the model`,
    );
  }
}
