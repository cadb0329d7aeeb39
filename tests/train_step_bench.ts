// One full training step (forward, backward, Adam update) of the default
// 784-128-64-10 network at batch 64, on the pure TypeScript backend.
import { createNetwork, createRegistry, createRng, createTrainStep } from "../mod.ts";
import { builtinPlugins } from "../plugins/mod.ts";
import { crossEntropy } from "../plugins/losses/mod.ts";
import { adam } from "../plugins/optimizers/adam.ts";

const registry = createRegistry(builtinPlugins());
const rng = createRng(1);
const net = createNetwork(
  {
    inputs: 784,
    layers: [
      { units: 128, activation: "relu" },
      { units: 64, activation: "relu" },
      { units: 10, activation: "softmax" },
    ],
  },
  { registry, seed: 42 },
);
const step = createTrainStep(net, { loss: crossEntropy(), optimizer: adam(), batchSize: 64 });
const x = Float32Array.from({ length: 64 * 784 }, () => (rng.float() < 0.8 ? 0 : rng.float()));
const t = new Float32Array(64 * 10);
for (let i = 0; i < 64; i++) t[i * 10 + rng.int(10)] = 1;
const batch = { x: { data: x, rows: 64, cols: 784 }, t: { data: t, rows: 64, cols: 10 } };

Deno.bench("train step 784-128-64-10, batch 64, ts backend", { group: "step" }, () => {
  step.run(batch);
});
