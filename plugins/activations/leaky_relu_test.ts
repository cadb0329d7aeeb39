import assert from "node:assert/strict";
import { checkActivationGradient } from "../../core/checks/gradcheck.ts";
import { leakyRelu } from "./leaky_relu.ts";

Deno.test("leakyRelu scales negative inputs by alpha (default 0.01)", () => {
  const act = leakyRelu();
  assert.equal(act.name, "leakyRelu");
  assert.deepEqual(act.params, { alpha: 0.01 });
  assert.equal(act.f?.(-2), -0.02);
  assert.equal(act.f?.(3), 3);
  assert.equal(act.f?.(-1e4), -100);
});

Deno.test("leakyRelu derivative is alpha for negative inputs and 1 for positive ones", () => {
  const act = leakyRelu({ alpha: 0.2 });
  assert.equal(act.df?.(-5, -1), 0.2);
  assert.equal(act.df?.(5, 5), 1);
});

Deno.test("leakyRelu derivative matches finite differences", () => {
  for (const alpha of [0, 0.01, 0.3]) {
    assert.equal(checkActivationGradient(leakyRelu({ alpha })).ok, true, `alpha ${alpha}`);
  }
});

Deno.test("leakyRelu configure makes a new plugin with other parameters", () => {
  const act = leakyRelu().configure?.({ alpha: 0.1 });
  assert.deepEqual(act?.params, { alpha: 0.1 });
  assert.equal(act?.f?.(-1), -0.1);
  assert.equal(act?.init, "he");
  assert.throws(() => leakyRelu().configure?.({ beta: 1 }), TypeError);
});

Deno.test("leakyRelu rejects a negative alpha", () => {
  assert.throws(
    () => leakyRelu({ alpha: -1 }),
    new RangeError("Invalid leakyRelu alpha: -1 is not in [0, inf)"),
  );
  assert.throws(() => leakyRelu({ alpha: NaN }), RangeError);
});
