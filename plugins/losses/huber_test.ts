import assert from "node:assert/strict";
import { checkLossGradient } from "../../core/checks/gradcheck.ts";
import { huber } from "./huber.ts";

const m = (xs: number[], rows: number) => ({
  data: Float64Array.from(xs),
  rows,
  cols: xs.length / rows,
});

Deno.test("huber is quadratic within delta and linear beyond", () => {
  const y = m([0.5, 3, -2, 0], 2), t = m([0, 0, 0, 0], 2);
  // 0.125, 1·(3 - 0.5) = 2.5, 1·(2 - 0.5) = 1.5, 0
  assert.equal(huber().loss({ y, t }), (0.125 + 2.5 + 1.5) / 4);
  // delta 2: 0.125, 2·(3 - 1) = 4, 0.5·4 = 2, 0
  assert.equal(huber({ delta: 2 }).loss({ y, t }), (0.125 + 4 + 2) / 4);
});

Deno.test("huber gradient is the difference clamped to +/-delta, over n", () => {
  const dy = m([0, 0, 0, 0], 2);
  huber().gradient({ y: m([0.5, 3, -2, 0], 2), t: m([0, 0, 0, 0], 2) }, dy);
  assert.deepEqual(Array.from(dy.data), [0.125, 0.25, -0.25, 0]);
});

Deno.test("huber gradient matches finite differences", () => {
  for (const delta of [1, 0.5, 7]) assert.equal(checkLossGradient(huber({ delta })).ok, true);
});

Deno.test("huber is configurable and rejects a delta that is not positive", () => {
  assert.deepEqual(huber().params, { delta: 1 });
  assert.deepEqual(huber().configure?.({ delta: 0.3 }).params, { delta: 0.3 });
  assert.throws(
    () => huber({ delta: 0 }),
    new RangeError("Invalid huber delta: 0 is not in (0, inf)"),
  );
  assert.throws(() => huber().configure?.({ alpha: 1 }), TypeError);
});
