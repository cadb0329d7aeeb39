import assert from "node:assert/strict";
import * as plugins from "./mod.ts";
import { builtinPlugins } from "./mod.ts";

Deno.test("builtinPlugins lists 10 activations, 5 losses and 6 optimizers", () => {
  const count = (kind: string) => builtinPlugins().filter((p) => p.kind === kind).length;
  assert.deepEqual([count("activation"), count("loss"), count("optimizer")], [10, 5, 6]);
});

Deno.test("builtinPlugins names are unique within each kind", () => {
  const keys = builtinPlugins().map((p) => `${p.kind}:${p.name}`);
  assert.equal(new Set(keys).size, keys.length);
});

Deno.test("plugins/mod.ts re-exports every plugin and list", () => {
  const names = [
    "identity",
    "sigmoid",
    "tanh",
    "relu",
    "leakyRelu",
    "elu",
    "softplus",
    "gelu",
    "silu",
    "softmax",
    "mse",
    "mae",
    "huber",
    "binaryCrossEntropy",
    "crossEntropy",
    "sgd",
    "momentum",
    "rmsprop",
    "adagrad",
    "adam",
    "adamw",
    "builtinActivations",
    "builtinLosses",
    "builtinOptimizers",
    "builtinPlugins",
  ];
  for (const name of names) assert.ok(name in plugins, name);
});
