import assert from "node:assert/strict";
import { checkLossGradient } from "../../core/checks/gradcheck.ts";
import { mse } from "./mse.ts";

const m = (xs: number[], rows: number) => ({
  data: Float64Array.from(xs),
  rows,
  cols: xs.length / rows,
});

Deno.test("mse is the mean over rows of the mean over columns of (y - t)^2", () => {
  const y = m([1, 2, 3, 4], 2), t = m([0, 0, 3, 0], 2);
  // rows: (1 + 4) / 2 = 2.5 and (0 + 16) / 2 = 8; mean 5.25
  assert.equal(mse.loss({ y, t }), 5.25);
});

Deno.test("mse gradient is 2(y - t)/n", () => {
  const y = m([1, 2, 3, 4], 2), t = m([0, 0, 3, 0], 2), dy = m([0, 0, 0, 0], 2);
  mse.gradient({ y, t }, dy);
  assert.deepEqual(Array.from(dy.data), [0.5, 1, 0, 2]);
});

Deno.test("mse gradient matches finite differences", () => {
  assert.equal(checkLossGradient(mse).ok, true);
});

Deno.test("mse rejects targets of another shape", () => {
  assert.throws(
    () => mse.loss({ y: m([1, 2], 1), t: m([1, 2], 2) }),
    new TypeError("Shape mismatch in mse: predictions are 1x2 but targets are 2x1"),
  );
});
