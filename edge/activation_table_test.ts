import assert from "node:assert/strict";
import { elementwise } from "../core/math/elementwise.ts";
import { leakyRelu } from "../plugins/activations/leaky_relu.ts";
import { relu } from "../plugins/activations/relu.ts";
import { activationTable } from "./activation_table.ts";

Deno.test("activationTable finds activations and configures parametric ones", () => {
  const table = activationTable([relu, leakyRelu()]);
  assert.equal(table.get("activation", "relu"), relu);
  assert.equal(table.has("activation", "leakyRelu"), true);
  assert.equal(table.has("loss", "relu"), false);
  assert.deepEqual(table.get("activation", { name: "leakyRelu", params: { alpha: 0.2 } }).params, {
    alpha: 0.2,
  });
});

Deno.test("activationTable lists the known names for an unknown one", () => {
  assert.throws(() => activationTable([relu]).get("activation", "swish"), {
    name: "TypeError",
    message:
      'Unknown activation "swish": known activations are relu; register a plugin named "swish" to use it',
  });
  assert.throws(
    () => activationTable([relu]).get("activation", { name: "relu", params: { a: 1 } }),
    {
      message: /it takes no parameters, remove params/,
    },
  );
});

Deno.test("activationTable refuses two different plugins with one name", () => {
  const other = elementwise({ name: "relu", f: (x) => x, df: () => 1 });
  assert.throws(() => activationTable([relu, other]), {
    name: "TypeError",
    message: /Duplicate activation "relu"/,
  });
  assert.doesNotThrow(() => activationTable([relu, relu]));
});
