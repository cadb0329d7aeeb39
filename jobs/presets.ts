import type { BuiltinDataset } from "./datasets/mod.ts";
import type { LayerSpec, PluginRef } from "../core/math/types.ts";

/** The settings a data set suggests when a run config leaves them out. */
export interface Preset {
  readonly layers: readonly LayerSpec[];
  readonly loss: PluginRef;
  readonly lr: number;
  readonly epochs: number;
  readonly batchSize: number;
  readonly validationSplit: number;
}

/**
 * Per-data-set defaults. MNIST's is the default job: 784-128-64-10 (ReLU,
 * ReLU, softmax), cross-entropy, Adam at 1e-3, batch 64, 10 epochs. The
 * others are sized so that each trains in seconds.
 *
 * @example
 * ```ts
 * import { PRESETS } from "./presets.ts";
 * PRESETS.mnist.layers.map((l) => l.units); // [128, 64, 10]
 * ```
 */
export const PRESETS: Readonly<Record<BuiltinDataset, Preset>> = {
  mnist: {
    layers: [
      { units: 128, activation: "relu" },
      { units: 64, activation: "relu" },
      { units: 10, activation: "softmax" },
    ],
    loss: "crossEntropy",
    lr: 1e-3,
    epochs: 10,
    batchSize: 64,
    validationSplit: 0.1,
  },
  iris: {
    layers: [{ units: 16, activation: "relu" }, { units: 3, activation: "softmax" }],
    loss: "crossEntropy",
    lr: 0.01,
    epochs: 40,
    batchSize: 16,
    validationSplit: 0.2,
  },
  xor: {
    layers: [{ units: 8, activation: "tanh" }, { units: 1, activation: "sigmoid" }],
    loss: "binaryCrossEntropy",
    lr: 0.1,
    epochs: 100,
    batchSize: 4,
    validationSplit: 0,
  },
  sine: {
    layers: [
      { units: 32, activation: "tanh" },
      { units: 32, activation: "tanh" },
      { units: 1, activation: "identity" },
    ],
    loss: "mse",
    lr: 0.01,
    epochs: 60,
    batchSize: 32,
    validationSplit: 0.1,
  },
};
