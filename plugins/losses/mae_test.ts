import assert from "node:assert/strict";
import { checkLossGradient } from "../../core/checks/gradcheck.ts";
import { mae } from "./mae.ts";

const m = (xs: number[], rows: number) => ({
  data: Float64Array.from(xs),
  rows,
  cols: xs.length / rows,
});

Deno.test("mae is the mean absolute difference", () => {
  assert.equal(mae.loss({ y: m([1, -3, 2, 2], 2), t: m([0, 0, 2, 0], 2) }), 1.5);
});

Deno.test("mae gradient is the sign over n, and 0 where y equals t", () => {
  const dy = m([9, 9, 9, 9], 2);
  mae.gradient({ y: m([1, -3, 2, 2], 2), t: m([0, 0, 2, 0], 2) }, dy);
  assert.deepEqual(Array.from(dy.data), [0.25, -0.25, 0, 0.25]);
});

Deno.test("mae gradient matches finite differences away from y = t", () => {
  assert.equal(checkLossGradient(mae).ok, true);
});

Deno.test("mae takes raw values", () => {
  assert.equal(mae.input, "values");
});
