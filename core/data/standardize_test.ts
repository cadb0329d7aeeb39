import assert from "node:assert/strict";
import { standardize } from "./standardize.ts";

const mat = (rows: number, cols: number, values: number[]) => ({
  data: new Float32Array(values),
  rows,
  cols,
});

Deno.test("standardize learns mean and std from fitted batches and scales in place", () => {
  const step = standardize();
  const widths = { inputs: 2, outputs: 1 };
  const fit = step.fit!(widths);
  fit.add({ x: mat(2, 2, [1, 5, 3, 5]), t: mat(2, 1, [0, 0]) });
  fit.add({ x: mat(1, 2, [2, 5]), t: mat(1, 1, [0]) });
  const state = fit.result() as { mean: number[]; std: number[] };
  assert.deepEqual(state.mean, [2, 5]);
  assert.ok(Math.abs(state.std[0] - Math.sqrt(2 / 3)) < 1e-12);
  assert.equal(state.std[1], 1, "a constant feature keeps std 1");
  const batch = { x: mat(1, 2, [4, 6]), t: mat(1, 1, [0]) };
  step.create(widths, 1, state).apply(batch);
  assert.ok(Math.abs(batch.x.data[0] - 2 / Math.sqrt(2 / 3)) < 1e-5);
  assert.equal(batch.x.data[1], 1);
  assert.throws(() => step.create(widths, 1), { message: /fit it on the training data/ });
});
