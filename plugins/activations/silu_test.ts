import assert from "node:assert/strict";
import { checkActivationGradient } from "../../core/checks/gradcheck.ts";
import { silu } from "./silu.ts";

Deno.test("silu is x times the sigmoid of x", () => {
  for (const x of [-4, -1, 0, 0.5, 2]) {
    const expected = x / (1 + Math.exp(-x));
    assert.ok(Math.abs((silu.f?.(x) ?? NaN) - expected) < 1e-15, `at ${x}`);
  }
});

Deno.test("silu derivative is 0.5 at 0 and matches finite differences", () => {
  assert.equal(silu.df?.(0, 0), 0.5);
  assert.equal(checkActivationGradient(silu).ok, true);
});

Deno.test("silu is finite for inputs up to +/-1e4", () => {
  assert.equal(silu.f?.(1e4), 1e4);
  assert.equal(Math.abs(silu.f?.(-1e4) ?? NaN), 0);
  assert.equal(silu.df?.(1e4, 1e4), 1);
  assert.equal(Math.abs(silu.df?.(-1e4, 0) ?? NaN), 0);
});

Deno.test("silu asks for He init", () => {
  assert.equal(silu.init, "he");
});
