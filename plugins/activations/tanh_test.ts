import assert from "node:assert/strict";
import { checkActivationGradient } from "../../core/checks/gradcheck.ts";
import { tanh } from "./tanh.ts";

Deno.test("tanh is odd, saturates to +/-1 and has derivative 1 at 0", () => {
  const z = { data: new Float64Array([-1e4, -0.5, 0, 0.5, 1e4]), rows: 1, cols: 5 };
  const y = { data: new Float64Array(5), rows: 1, cols: 5 };
  tanh.forward(z, y);
  assert.equal(y.data[0], -1);
  assert.equal(y.data[4], 1);
  assert.equal(y.data[1], -y.data[3]);
  assert.equal(tanh.df?.(0, 0), 1);
  assert.equal(tanh.df?.(1e4, 1), 0);
});

Deno.test("tanh derivative matches finite differences", () => {
  assert.equal(checkActivationGradient(tanh).ok, true);
});

Deno.test("tanh uses the default init", () => {
  assert.equal(tanh.init, undefined);
  assert.equal(tanh.probabilities, undefined);
});
