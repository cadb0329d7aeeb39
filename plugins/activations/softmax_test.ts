import assert from "node:assert/strict";
import { checkActivationGradient } from "../../core/checks/gradcheck.ts";
import { softmax } from "./softmax.ts";

const forward = (xs: number[], cols: number) => {
  const z = { data: Float64Array.from(xs), rows: xs.length / cols, cols };
  const y = { ...z, data: new Float64Array(xs.length) };
  softmax.forward(z, y);
  return Array.from(y.data);
};

Deno.test("softmax rows are probabilities that sum to 1", () => {
  const y = forward([1, 2, 3, -1, 0, 1], 3);
  const e = [Math.exp(-2), Math.exp(-1), 1], s = e[0] + e[1] + e[2];
  for (let j = 0; j < 3; j++) {
    assert.ok(Math.abs(y[j] - e[j] / s) < 1e-15);
    assert.ok(Math.abs(y[j + 3] - e[j] / s) < 1e-15); // shifting a row changes nothing
  }
});

Deno.test("softmax is finite for inputs up to +/-1e4", () => {
  assert.deepEqual(forward([1e4, 1e4, -1e4, 1e4, 0, -1e4], 3), [0.5, 0.5, 0, 1, 0, 0]);
  const y = forward([1e4, 1e4 - 1], 2);
  assert.ok(Math.abs(y[0] - 1 / (1 + Math.exp(-1))) < 1e-15);
});

Deno.test("softmax backward is the Jacobian-vector product", () => {
  const z = { data: Float64Array.from([0.2, -1, 0.7]), rows: 1, cols: 3 };
  const y = { ...z, data: new Float64Array(3) }, dz = { ...z, data: new Float64Array(3) };
  const dy = { ...z, data: Float64Array.from([0.5, -2, 1]) };
  softmax.forward(z, y);
  softmax.backward({ z, y, dy, dz });
  // J_ij = y_i (δ_ij - y_j), dz_i = Σ_j J_ji dy_j
  for (let i = 0; i < 3; i++) {
    let expected = 0;
    for (let j = 0; j < 3; j++) {
      expected += y.data[j] * ((i === j ? 1 : 0) - y.data[i]) * dy.data[j];
    }
    assert.ok(Math.abs(dz.data[i] - expected) < 1e-15);
  }
});

Deno.test("softmax derivative matches finite differences on random rows", () => {
  for (const seed of [1, 2, 3]) assert.equal(checkActivationGradient(softmax, { seed }).ok, true);
});

Deno.test("softmax is row-wise, gives probabilities and has no scalar form", () => {
  assert.equal(softmax.rowwise, true);
  assert.equal(softmax.probabilities, true);
  assert.equal(softmax.f, undefined);
  assert.equal(softmax.init, undefined);
});
