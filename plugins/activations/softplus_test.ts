import assert from "node:assert/strict";
import { checkActivationGradient } from "../../core/checks/gradcheck.ts";
import { softplus } from "./softplus.ts";

Deno.test("softplus is finite for inputs up to +/-1e4", () => {
  const z = { data: new Float64Array([-1e4, 0, 1e4]), rows: 1, cols: 3 };
  const y = { data: new Float64Array(3), rows: 1, cols: 3 };
  softplus.forward(z, y);
  assert.deepEqual(Array.from(y.data), [0, Math.LN2, 1e4]);
  assert.equal(softplus.df?.(-1e4, 0), 0);
  assert.equal(softplus.df?.(1e4, 1e4), 1);
});

Deno.test("softplus keeps precision in the left tail", () => {
  // log(1 + e^-40) = e^-40 to double precision; log(1 + exp(x)) would give 0
  const y = softplus.f?.(-40) ?? 0;
  assert.ok(Math.abs(y - Math.exp(-40)) <= 1e-15 * Math.exp(-40));
});

Deno.test("softplus derivative is the sigmoid", () => {
  assert.equal(softplus.df?.(0, Math.LN2), 0.5);
  const x = 1.5;
  assert.ok(Math.abs((softplus.df?.(x, 0) ?? 0) - 1 / (1 + Math.exp(-x))) < 1e-15);
});

Deno.test("softplus derivative matches finite differences", () => {
  assert.equal(checkActivationGradient(softplus).ok, true);
});
