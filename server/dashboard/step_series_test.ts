import assert from "node:assert/strict";
import { alignTables, smooth, stepTable } from "./step_series.js";

Deno.test("smoothing 0 keeps the values and missing ones stay missing", () => {
  assert.deepEqual(smooth([3, null, 1], 0), [3, null, 1]);
});

Deno.test("the smoothed curve starts at the first value, not pulled toward 0", () => {
  const out = smooth([2, 2, 2], 0.9);
  for (const v of out) assert.ok(Math.abs(v! - 2) < 1e-12, `${out}`);
});

Deno.test("smoothing damps a jump the way an exponential moving average does", () => {
  const [, second] = smooth([0, 1], 0.5);
  assert.ok(Math.abs(second! - 2 / 3) < 1e-12, `${second}`); // (0.5·0.5 + 0.5) / (1 - 0.25)
});

Deno.test("runs' steps merge onto one x axis with gaps where a run has no step", () => {
  const a = stepTable([{ step: 1, loss: 4 }, { step: 3, loss: 2 }], 0);
  const b = stepTable([{ step: 2, loss: 5 }], 0);
  assert.deepEqual(alignTables([a, b]), [
    [1, 2, 3],
    [4, null, 2],
    [4, null, 2],
    [null, 5, null],
    [null, 5, null],
  ]);
});
