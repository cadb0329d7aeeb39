import assert from "node:assert/strict";
import { checkActivationGradient } from "../../core/checks/gradcheck.ts";
import { gelu } from "./gelu.ts";

// the tanh approximation exactly as published
const reference = (x: number) =>
  0.5 * x * (1 + Math.tanh(Math.sqrt(2 / Math.PI) * (x + 0.044715 * x ** 3)));

Deno.test("gelu equals the published tanh approximation", () => {
  for (const x of [-3, -1, -0.2, 0, 0.2, 1, 3]) {
    const got = gelu.f?.(x) ?? NaN;
    assert.ok(Math.abs(got - reference(x)) < 1e-15, `at ${x}: ${got} vs ${reference(x)}`);
  }
});

Deno.test("gelu derivative is 0.5 at 0 and matches finite differences", () => {
  assert.equal(gelu.df?.(0, 0), 0.5);
  const report = checkActivationGradient(gelu);
  assert.equal(report.ok, true, JSON.stringify(report.worst));
});

Deno.test("gelu is finite for inputs up to +/-1e4", () => {
  assert.equal(gelu.f?.(1e4), 1e4);
  assert.equal(Math.abs(gelu.f?.(-1e4) ?? NaN), 0);
  assert.equal(gelu.df?.(1e4, 1e4), 1);
  assert.equal(gelu.df?.(-1e4, 0), 0);
});

Deno.test("gelu asks for He init", () => {
  assert.equal(gelu.init, "he");
});
