import assert from "node:assert/strict";
import { checkActivationGradient } from "../../core/checks/gradcheck.ts";
import { elu } from "./elu.ts";

Deno.test("elu tends to -alpha for very negative inputs", () => {
  assert.equal(elu().f?.(-1e4), -1);
  assert.equal(elu({ alpha: 0.5 }).f?.(-1e4), -0.5);
  assert.equal(elu().f?.(1e4), 1e4);
  assert.equal(elu().df?.(-1e4, -1), 0);
});

Deno.test("elu keeps precision for tiny negative inputs", () => {
  // alpha (e^x - 1) with x = -1e-10 is -1e-10 + 5e-21; exp(x) - 1 would lose digits
  const y = elu().f?.(-1e-10) ?? NaN, expected = -1e-10 + 5e-21;
  assert.ok(Math.abs(y - expected) <= 1e-15 * 1e-10, `${y}`);
});

Deno.test("elu derivative is alpha e^x below 0 and 1 above", () => {
  const act = elu({ alpha: 2 });
  assert.ok(Math.abs((act.df?.(-1, 0) ?? 0) - 2 * Math.exp(-1)) < 1e-15);
  assert.equal(act.df?.(1, 1), 1);
});

Deno.test("elu derivative matches finite differences", () => {
  for (const alpha of [1, 0.5, 3]) {
    assert.equal(checkActivationGradient(elu({ alpha })).ok, true, `alpha ${alpha}`);
  }
});

Deno.test("elu is configurable and asks for He init", () => {
  const act = elu().configure?.({ alpha: 0.25 });
  assert.deepEqual(act?.params, { alpha: 0.25 });
  assert.equal(act?.init, "he");
  assert.throws(
    () => elu({ alpha: -0.1 }),
    new RangeError("Invalid elu alpha: -0.1 is not in [0, inf)"),
  );
  assert.throws(() => elu().configure?.({ slope: 1 }), TypeError);
});
