import assert from "node:assert/strict";
import { createRegistry } from "../core/registry.ts";
import { builtinPlugins } from "../plugins/mod.ts";
import { handXor, trainXor } from "./_xor.ts";

Deno.test("the hand-written xor loop learns XOR, so it is a fair floor", () => {
  assert.ok(handXor(3000) < 0.01, "mean squared error below 0.01");
});

Deno.test("trainXor runs one step per epoch through train()", async () => {
  assert.equal(await trainXor(createRegistry(builtinPlugins()), 50), 50);
});
