import * as v from "valibot";
import { decodeFloats, encodeFloats } from "./base64_floats.ts";
import type { Layer, Network } from "./network.ts";
import type { Registry } from "./registry.ts";
import { describeIssues, NetworkSpecSchema, PluginParamsSchema } from "./spec.ts";
import type { ActivationPlugin, NetworkSpec, PluginRef } from "./types.ts";

/** The `format` field of every nagare model file. */
export const MODEL_FORMAT = "nagare-model";
/** The model file version this code writes and reads. */
export const MODEL_VERSION = 1;

const PluginEntrySchema = v.strictObject({
  kind: v.picklist(["activation", "loss", "optimizer"]),
  name: v.pipe(v.string(), v.nonEmpty()),
  version: v.optional(v.string()),
  params: v.optional(PluginParamsSchema),
  fingerprint: v.optional(v.string()),
});

const LayerWeightsSchema = v.strictObject({ weights: v.string(), bias: v.string() });

/** The valibot schema of a model file. */
export const ModelFileSchema = v.strictObject({
  format: v.literal(MODEL_FORMAT, `must be "${MODEL_FORMAT}": this is not a nagare model file`),
  version: v.literal(
    MODEL_VERSION,
    `must be ${MODEL_VERSION}: this nagare reads model files of version ${MODEL_VERSION} only`,
  ),
  name: v.optional(v.string()),
  createdAt: v.optional(v.string()),
  spec: NetworkSpecSchema,
  plugins: v.array(PluginEntrySchema),
  training: v.optional(v.record(v.string(), v.unknown())),
  weights: v.strictObject({
    encoding: v.literal("base64-f32le", 'must be "base64-f32le"'),
    layers: v.array(LayerWeightsSchema),
  }),
});

/** A parsed model file. */
export type ModelFile = v.InferOutput<typeof ModelFileSchema>;
/** One plugin a model file names. */
export type PluginEntry = v.InferOutput<typeof PluginEntrySchema>;

/** Extra facts stored with a model. */
export interface ModelMeta {
  name?: string;
  /** Training facts: seed, config, final metrics, anything JSON. */
  training?: Record<string, unknown>;
  /** More plugins to record (the loss and optimizer used), beside the activations. */
  plugins?: readonly PluginEntry[];
  /** Adds a fingerprint to each activation entry (see plugin checks). */
  fingerprint?: (plugin: ActivationPlugin) => string;
}

function activationEntry(a: ActivationPlugin, meta: ModelMeta): PluginEntry {
  return {
    kind: "activation",
    name: a.name,
    ...(a.version ? { version: a.version } : {}),
    ...(a.params ? { params: { ...a.params } } : {}),
    ...(meta.fingerprint ? { fingerprint: meta.fingerprint(a) } : {}),
  };
}

/**
 * Turns a network into a model file object (JSON-ready): spec, plugin names
 * and versions, training metadata and base64 float32 weights.
 *
 * @example
 * ```ts ignore
 * const text = JSON.stringify(toModelFile(network, { name: "xor" }));
 * ```
 */
export function toModelFile(network: Network, meta: ModelMeta = {}): ModelFile {
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
  const seen = new Set<string>();
  const plugins: PluginEntry[] = [];
  for (const l of network.layers) {
    const entry = activationEntry(l.activation, meta);
    const key = JSON.stringify([entry.name, entry.params]);
    if (!seen.has(key)) seen.add(key), plugins.push(entry);
  }
  plugins.push(...(meta.plugins ?? []));
  return {
    format: MODEL_FORMAT,
    version: MODEL_VERSION,
    ...(meta.name ? { name: meta.name } : {}),
    createdAt: new Date().toISOString(),
    spec: { inputs: network.inputs, layers } as ModelFile["spec"],
    plugins,
    ...(meta.training ? { training: meta.training } : {}),
    weights: {
      encoding: "base64-f32le",
      layers: network.layers.map((l) => ({
        weights: encodeFloats(l.weights),
        bias: encodeFloats(l.bias),
      })),
    },
  };
}

/** Options of {@linkcode fromModelFile}. */
export interface LoadOptions {
  /** Where the model's activation plugins are looked up. */
  registry: Registry;
  /** Checks each stored plugin entry against the registered plugin (e.g. fingerprints); throws to refuse. */
  verify?: (entry: PluginEntry, plugin: ActivationPlugin) => void;
}

/**
 * Parses and checks a model file (object or JSON text) and rebuilds its
 * network. Every problem is a TypeError or RangeError naming what is wrong;
 * nothing is half-loaded.
 *
 * @example
 * ```ts ignore
 * const network = fromModelFile(await Deno.readTextFile("model.json"), { registry });
 * ```
 */
export function fromModelFile(input: unknown, options: LoadOptions): Network {
  let raw = input;
  if (typeof input === "string") {
    try {
      raw = JSON.parse(input);
    } catch (e) {
      throw new TypeError(
        `Invalid model file: not JSON (${(e as Error).message}); is the file truncated?`,
      );
    }
  }
  const parsed = v.safeParse(ModelFileSchema, raw);
  if (!parsed.success) {
    throw new TypeError(`Invalid model file: ${describeIssues(parsed.issues).join("; ")}`);
  }
  const file = parsed.output;
  const { spec } = file;
  if (file.weights.layers.length !== spec.layers.length) {
    throw new RangeError(
      `Invalid model file: weights.layers has ${file.weights.layers.length} entries but spec.layers has ${spec.layers.length}`,
    );
  }
  const missing = file.plugins.filter((p) =>
    p.kind === "activation" && !options.registry.has("activation", p.name)
  );
  if (missing.length > 0) {
    const names = missing.map((p) => `"${p.name}"${p.version ? ` (version ${p.version})` : ""}`)
      .join(", ");
    throw new TypeError(
      `Missing plugin: the model uses activation ${names} which the registry does not have; register it with createRegistry([...builtinPlugins(), plugin]) or pass --plugin ./path/to/plugin.ts`,
    );
  }
  let inputs = spec.inputs;
  const layers = spec.layers.map((ls, i): Layer => {
    const ref: PluginRef = ls.activation ?? "identity";
    const activation = options.registry.get("activation", ref);
    const entry = file.plugins.find((p) => p.kind === "activation" && p.name === activation.name);
    if (entry && options.verify) options.verify(entry, activation);
    const weights = decodeFloats(file.weights.layers[i].weights);
    const bias = decodeFloats(file.weights.layers[i].bias);
    if (weights.length !== inputs * ls.units || bias.length !== ls.units) {
      throw new RangeError(
        `Invalid model file: layer ${i} should have ${
          inputs * ls.units
        } weights and ${ls.units} biases but has ${weights.length} and ${bias.length}; the file is truncated or was edited`,
      );
    }
    for (const arr of [weights, bias]) {
      if (arr.some((x) => !Number.isFinite(x))) {
        throw new RangeError(`Invalid model file: layer ${i} has NaN or infinite weights`);
      }
    }
    const layer: Layer = { inputs, units: ls.units, activation, weights, bias };
    inputs = ls.units;
    return layer;
  });
  return { spec: spec as NetworkSpec, inputs: spec.inputs, outputs: inputs, layers };
}
