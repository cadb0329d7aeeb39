import assert from "node:assert/strict";
import { createNetwork, createRegistry, createRng, createTrainStep, parameters } from "../mod.ts";
import { builtinPlugins } from "../plugins/mod.ts";
import { crossEntropy } from "../plugins/losses/mod.ts";
import { adam } from "../plugins/optimizers/adam.ts";

const registry = createRegistry(builtinPlugins());

function trainBytes(seed: number): Uint8Array[] {
  const rng = createRng(seed);
  const net = createNetwork(
    { inputs: 6, layers: [{ units: 8, activation: "relu" }, { units: 3, activation: "softmax" }] },
    { registry, rng },
  );
  const step = createTrainStep(net, { loss: crossEntropy(), optimizer: adam(), batchSize: 16 });
  const x = Float32Array.from({ length: 16 * 6 }, () => rng.normal());
  const t = new Float32Array(16 * 3);
  for (let i = 0; i < 16; i++) t[i * 3 + rng.int(3)] = 1;
  for (let i = 0; i < 50; i++) {
    step.run({ x: { data: x, rows: 16, cols: 6 }, t: { data: t, rows: 16, cols: 3 } });
  }
  return parameters(net).map((p) =>
    new Uint8Array(p.buffer.slice(p.byteOffset, p.byteOffset + p.byteLength))
  );
}

Deno.test("two trainings with the same seed give byte-identical weights", () => {
  assert.deepEqual(trainBytes(42), trainBytes(42));
});

Deno.test("a different seed gives different weights", () => {
  assert.notDeepEqual(trainBytes(42), trainBytes(43));
});
