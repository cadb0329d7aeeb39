// W1 mnist-mlp, one epoch per iteration (8,004 samples: samples/s = 8004 /
// time per iteration), per backend and thread count, through train() with
// the data in memory. `deno task bench:peers` adds TensorFlow.js, accuracy
// and peak memory.
import { lastValueFrom } from "rxjs";
import type { Backend } from "../core/math/backend.ts";
import { inMemory } from "../core/data/in_memory.ts";
import { tsBackend } from "../core/math/kernels.ts";
import { createNetwork } from "../core/math/network.ts";
import { createRegistry } from "../core/checks/registry.ts";
import { train } from "../core/train/train.ts";
import { createWasmBackend } from "../core/wasm/wasm_backend.ts";
import { loadMnist } from "../jobs/datasets/mnist.ts";
import { parallel } from "../parallel/parallel_step.ts";
import { builtinPlugins } from "../plugins/mod.ts";

const registry = createRegistry(builtinPlugins());
const data = inMemory((await loadMnist()).train);
const group = "W1 mnist-mlp: 784-128-64-10, Adam, batch 64, 1 epoch of 8,004 digits";

const cases: [string, () => Backend, number][] = [
  ["wasm-simd", () => createWasmBackend(), 1],
  ["wasm-simd", () => createWasmBackend(), 2],
  ["ts", () => tsBackend, 1],
  ["ts", () => tsBackend, 2],
];
for (const [name, backend, workers] of cases) {
  Deno.bench(`${name}, ${workers} thread${workers > 1 ? "s" : ""}`, {
    group,
    baseline: name === "wasm-simd" && workers === 1,
    n: name === "ts" ? 3 : 8,
    warmup: 1,
  }, async () => {
    const network = createNetwork({
      inputs: 784,
      layers: [
        { units: 128, activation: "relu" },
        { units: 64, activation: "relu" },
        { units: 10, activation: "softmax" },
      ],
    }, { registry, seed: 42 });
    await lastValueFrom(train({
      network,
      loss: registry.get("loss", "crossEntropy"),
      optimizer: registry.get("optimizer", "adam"),
      data,
      epochs: 1,
      batchSize: 64,
      backend: backend(),
      createStep: parallel({ workers }),
    }));
  });
}
