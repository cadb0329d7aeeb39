import assert from "node:assert/strict";
import { createRegistry } from "../core/checks/registry.ts";
import { builtinPlugins } from "../plugins/mod.ts";
import { handXor, handXorLayers, stepXor, trainXor } from "./_xor.ts";

Deno.test("the hand-written xor loop learns XOR, so it is a fair floor", () => {
  assert.ok(handXor(3000) < 0.01, "mean squared error below 0.01");
});

Deno.test("the layer-by-layer hand loop computes the same steps as the fused one", () => {
  for (const epochs of [1, 10, 3000]) {
    assert.ok(Math.abs(handXorLayers(epochs) - handXor(epochs)) < 1e-6, `after ${epochs} steps`);
  }
});

Deno.test("trainXor runs one step per epoch through train(); stepXor learns XOR too", async () => {
  const registry = createRegistry(builtinPlugins());
  assert.equal(await trainXor(registry, 50), 50);
  assert.equal(await trainXor(registry, 50, { batchEvents: false }), 50);
  assert.ok(stepXor(registry, 3000) < 0.01);
});
