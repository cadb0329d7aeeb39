import assert from "node:assert/strict";
import { checkActivationGradient } from "../../core/checks/gradcheck.ts";
import { sigmoid } from "./sigmoid.ts";

const run = (xs: number[]) => {
  const z = { data: Float64Array.from(xs), rows: 1, cols: xs.length };
  const y = { data: new Float64Array(xs.length), rows: 1, cols: xs.length };
  const dz = { data: new Float64Array(xs.length), rows: 1, cols: xs.length };
  sigmoid.forward(z, y);
  sigmoid.backward({ z, y, dy: { ...z, data: new Float64Array(xs.length).fill(1) }, dz });
  return { y: Array.from(y.data), dz: Array.from(dz.data) };
};

Deno.test("sigmoid is finite and saturates for inputs up to +/-1e4", () => {
  const { y, dz } = run([-1e4, -800, 0, 800, 1e4]);
  assert.deepEqual(y, [0, 0, 0.5, 1, 1]);
  assert.deepEqual(dz, [0, 0, 0.25, 0, 0]);
});

Deno.test("sigmoid derivative matches finite differences", () => {
  const report = checkActivationGradient(sigmoid);
  assert.equal(report.ok, true, JSON.stringify(report.worst));
});

Deno.test("sigmoid derivative keeps its precision in the tails", () => {
  // σ'(x) = e^-x / (1 + e^-x)²; y(1 - y) would give 0 at x = 40 in float64
  for (const x of [20, 40, -40]) {
    const e = Math.exp(-Math.abs(x)), expected = e / (1 + e) ** 2;
    const got = run([x]).dz[0];
    assert.ok(Math.abs(got - expected) <= 1e-12 * expected, `at ${x}: ${got} vs ${expected}`);
  }
});

Deno.test("sigmoid outputs probabilities and uses the default init", () => {
  assert.equal(sigmoid.probabilities, true);
  assert.equal(sigmoid.init, undefined);
  assert.equal(sigmoid.name, "sigmoid");
});

Deno.test("sigmoid backward on float32 layers is within an ulp or two of σ'(x) at every magnitude", () => {
  // x ≤ 0 takes 1 - y for σ(-x); x > 0 takes e^-x: both keep float32 precision.
  const xs = Float32Array.from({ length: 4001 }, (_, i) => (i - 2000) / 50); // -40 .. 40
  const n = xs.length, y = new Float32Array(n), dz = new Float32Array(n);
  sigmoid.forward({ data: xs, rows: 1, cols: n }, { data: y, rows: 1, cols: n });
  sigmoid.backward({
    z: { data: xs, rows: 1, cols: n },
    y: { data: y, rows: 1, cols: n },
    dy: { data: new Float32Array(n).fill(1), rows: 1, cols: n },
    dz: { data: dz, rows: 1, cols: n },
  });
  for (let i = 0; i < n; i++) {
    const e = Math.exp(-Math.abs(xs[i])), want = e / (1 + e) ** 2;
    assert.ok(Math.abs(dz[i] - want) <= 2.5e-7 * want, `at ${xs[i]}: ${dz[i]} vs ${want}`);
  }
});
