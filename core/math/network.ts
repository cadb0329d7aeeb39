import { initWeights } from "./init.ts";
import { createRng, type Rng } from "./rng.ts";
import { parseNetworkSpec } from "./spec.ts";
import type { ActivationPlugin, Floats, NetworkSpec, PluginRef } from "./types.ts";

/** One dense layer: y = h(x W + b), W stored inputs x units, row-major. */
export interface Layer {
  /** Width of its input rows: the network's `inputs`, or the previous layer's `units`. */
  readonly inputs: number;
  /** Neurons: the width of its output rows and the length of `bias`. */
  readonly units: number;
  /** The activation h, looked up in the registry from the spec (`"identity"` when the spec names none). */
  readonly activation: ActivationPlugin;
  /** Weights, `inputs * units` long: row i holds the weights from input i. */
  weights: Floats;
  /** Biases, `units` long. */
  bias: Floats;
}

/** A feed-forward network: its spec and its layers with their parameters. */
export interface Network {
  /** The spec it was built from, as checked; model files store it beside the weights. */
  readonly spec: NetworkSpec;
  /** Width of an input row: features per sample. */
  readonly inputs: number;
  /** Width of an output row: the last layer's `units` (e.g. one per class). */
  readonly outputs: number;
  /** Dense layers, first to last; their weights and biases are what training updates in place. */
  readonly layers: readonly Layer[];
}

/** Options of {@linkcode createNetwork}. */
export interface CreateNetworkOptions {
  /** Where activation names are looked up: a registry (`createRegistry`). */
  registry: { get(kind: "activation", ref: PluginRef): ActivationPlugin };
  /** Seed for weight init (default 42); ignored when `rng` is given. */
  seed?: number;
  /** Generator to draw initial weights from (shared with the trainer for one seeded stream). */
  rng?: Rng;
  /** `"float64"` runs the same code in double precision, for gradient checks. */
  dtype?: "float32" | "float64";
}

/**
 * Builds a network from a plain spec, drawing initial weights from a seeded
 * generator: He init for ReLU-family activations, Glorot for the rest, unless
 * a layer names its `init`.
 *
 * @example
 * ```ts ignore
 * const net = createNetwork(
 *   { inputs: 784, layers: [{ units: 128, activation: "relu" }, { units: 10, activation: "softmax" }] },
 *   { registry, seed: 42 },
 * );
 * ```
 */
export function createNetwork(spec: NetworkSpec, options: CreateNetworkOptions): Network {
  const checked = parseNetworkSpec(spec);
  const rng = options.rng ?? createRng(options.seed ?? 42);
  const alloc = (n: number): Floats =>
    options.dtype === "float64" ? new Float64Array(n) : new Float32Array(n);
  let inputs = checked.inputs;
  const layers = checked.layers.map((layerSpec): Layer => {
    const activation = options.registry.get("activation", layerSpec.activation ?? "identity");
    const layer: Layer = {
      inputs,
      units: layerSpec.units,
      activation,
      weights: alloc(inputs * layerSpec.units),
      bias: alloc(layerSpec.units),
    };
    initWeights(layer.weights, {
      scheme: layerSpec.init ?? activation.init ?? "glorot",
      fanIn: inputs,
      fanOut: layerSpec.units,
      rng,
    });
    inputs = layerSpec.units;
    return layer;
  });
  return { spec: checked, inputs: checked.inputs, outputs: inputs, layers };
}

/** All parameter tensors in a fixed order: W0, b0, W1, b1, ... */
export function parameters(network: Network): Floats[] {
  return network.layers.flatMap((l) => [l.weights, l.bias]);
}
