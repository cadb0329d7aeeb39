import assert from "node:assert/strict";
import { checkActivationGradient } from "../../core/checks/gradcheck.ts";
import { relu } from "./relu.ts";

Deno.test("relu zeroes negative inputs and keeps positive ones", () => {
  const z = { data: new Float32Array([-1e4, -2, 0, 3, 1e4]), rows: 1, cols: 5 };
  const y = { data: new Float32Array(5), rows: 1, cols: 5 };
  relu.forward(z, y);
  assert.deepEqual(Array.from(y.data), [0, 0, 0, 3, 1e4]);
});

Deno.test("relu derivative is 0 for negative inputs", () => {
  for (const x of [-1e4, -50, -1, -1e-3]) assert.equal(relu.df?.(x, 0), 0);
});

Deno.test("relu derivative is 1 for positive inputs and 0 at the kink", () => {
  for (const x of [1e-3, 1, 50, 1e4]) assert.equal(relu.df?.(x, x), 1);
  assert.equal(relu.df?.(0, 0), 0);
});

Deno.test("relu derivative matches finite differences away from the kink", () => {
  assert.equal(checkActivationGradient(relu).ok, true);
});

Deno.test("relu asks for He init", () => {
  assert.equal(relu.init, "he");
});
