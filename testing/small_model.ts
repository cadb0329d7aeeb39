// A small classifier trained for a few steps with the built-in plugins, shared
// by the io, edge and end-to-end tests.
import { createNetwork, type Network } from "../core/math/network.ts";
import { createRegistry, type Registry } from "../core/checks/registry.ts";
import { createRng } from "../core/math/rng.ts";
import { createTrainStep } from "../core/math/train_step.ts";
import type { ActivationPlugin, Mat } from "../core/math/types.ts";
import { builtinPlugins } from "../plugins/mod.ts";
import { crossEntropy } from "../plugins/losses/cross_entropy.ts";
import { adam } from "../plugins/optimizers/adam.ts";

export interface SmallModel {
  network: Network;
  registry: Registry;
  /** The training inputs, 16 rows. */
  x: Mat;
}

export interface SmallModelOptions {
  inputs?: number;
  classes?: number;
  /** Activation of the hidden layer (default relu). */
  hidden?: string;
  /** Extra plugins for the registry (custom activations). */
  plugins?: ActivationPlugin[];
  steps?: number;
}

export function trainSmallModel(options: SmallModelOptions = {}): SmallModel {
  const inputs = options.inputs ?? 6, classes = options.classes ?? 3, rows = 16;
  const registry = createRegistry([...builtinPlugins(), ...(options.plugins ?? [])]);
  const network = createNetwork({
    inputs,
    layers: [
      { units: 8, activation: options.hidden ?? "relu" },
      { units: classes, activation: "softmax" },
    ],
  }, { registry, seed: 7 });
  const rng = createRng(11);
  const x = new Float32Array(rows * inputs).map(() => rng.float() * 2 - 1);
  const t = new Float32Array(rows * classes);
  for (let r = 0; r < rows; r++) t[r * classes + (rng.int(classes))] = 1;
  const step = createTrainStep(network, {
    loss: crossEntropy(),
    optimizer: adam({ lr: 0.05 }),
    batchSize: rows,
  });
  const batch = { x: { data: x, rows, cols: inputs }, t: { data: t, rows, cols: classes } };
  for (let i = 0; i < (options.steps ?? 20); i++) step.run(batch);
  return { network, registry, x: batch.x };
}
