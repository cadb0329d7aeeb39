import assert from "node:assert/strict";
import { elementwise } from "../math/elementwise.ts";
import { checkActivationGradient, checkLossGradient, formatGradFailure } from "./gradcheck.ts";
import type { ActivationPlugin, LossPlugin, Mat } from "../math/types.ts";

const sig = (x: number) => 1 / (1 + Math.exp(-x));
const swish = (df: (x: number) => number) =>
  elementwise({ name: "myorg/swish", f: (x) => x * sig(x), df });
const swishDf = (x: number) => sig(x) * (1 + x * (1 - sig(x)));

Deno.test("gradcheck passes a correct derivative at every probe", () => {
  const report = checkActivationGradient(swish(swishDf));
  assert.equal(report.ok, true);
  assert.equal(report.checked, 24);
  assert.equal(report.skipped, 0);
  assert.deepEqual(report.failures, []);
  assert.ok(report.worst !== null && report.worst.relError < 1e-6);
});

Deno.test("gradcheck reports a derivative off by a constant factor", () => {
  const report = checkActivationGradient(swish((x) => 1.5 * swishDf(x)));
  assert.equal(report.ok, false);
  assert.ok(report.failures.length >= 12);
  for (const f of report.failures) {
    assert.ok(Math.abs(f.declared / f.measured - 1.5) < 1e-4, `at ${f.x}`);
  }
  assert.match(
    formatGradFailure("myorg/swish", report.failures[0]),
    /^derivative of "myorg\/swish" at x = -?[\d.e-]+ is -?[\d.e-]+ but finite differences give -?[\d.e-]+$/,
  );
});

Deno.test("gradcheck reports the points where a derivative goes wrong", () => {
  // f = x²/2, but the declared derivative drops to 0 above 4
  const act = elementwise({ name: "half", f: (x) => x * x / 2, df: (x) => (x > 4 ? 0 : x) });
  const report = checkActivationGradient(act);
  assert.deepEqual(report.failures.map((f) => f.x), [6, 10, 20, 50]);
  assert.equal(report.worst?.relError, 1);
  assert.equal(
    formatGradFailure("half", report.failures[0]),
    'derivative of "half" at x = 6 is 0 but finite differences give 6',
  );
});

Deno.test("gradcheck reports the derivative of another function", () => {
  const report = checkActivationGradient(elementwise({ name: "s", f: Math.sin, df: Math.sin }));
  assert.equal(report.ok, false);
  const at03 = report.failures.find((f) => f.x === 0.3);
  assert.ok(at03);
  assert.ok(Math.abs(at03.declared - Math.sin(0.3)) < 1e-15);
  assert.ok(Math.abs(at03.measured - Math.cos(0.3)) < 1e-8);
});

Deno.test("gradcheck fails NaN derivatives", () => {
  const report = checkActivationGradient(swish((x) => (x > 10 ? NaN : swishDf(x))));
  assert.deepEqual(report.failures.map((f) => f.x), [20, 50]);
  assert.ok(Number.isNaN(report.worst?.declared));
});

Deno.test("gradcheck skips a kink that falls exactly on a probe", () => {
  const act = elementwise({
    name: "v",
    f: (x) => Math.abs(x - 0.3),
    df: (x) => Math.sign(x - 0.3),
  });
  const report = checkActivationGradient(act);
  assert.equal(report.ok, true);
  assert.equal(report.skipped, 1);
  assert.equal(report.checked, 23);
});

function rowSoftmax(backward: ActivationPlugin["backward"]): ActivationPlugin {
  return {
    kind: "activation",
    name: "rowmax",
    rowwise: true,
    forward(z, y) {
      for (let o = 0; o < z.rows * z.cols; o += z.cols) {
        const row = z.data.subarray(o, o + z.cols), m = Math.max(...row);
        let s = 0;
        for (const v of row) s += Math.exp(v - m);
        row.forEach((v, j) => (y.data[o + j] = Math.exp(v - m) / s));
      }
    },
    backward,
  };
}

Deno.test("gradcheck checks row-wise activations on whole rows", () => {
  const good = rowSoftmax(({ z, y, dy, dz }) => {
    for (let o = 0; o < z.rows * z.cols; o += z.cols) {
      let dot = 0;
      for (let j = o; j < o + z.cols; j++) dot += dy.data[j] * y.data[j];
      for (let j = o; j < o + z.cols; j++) dz.data[j] = y.data[j] * (dy.data[j] - dot);
    }
  });
  const report = checkActivationGradient(good);
  assert.equal(report.ok, true);
  assert.equal(report.checked, 40);
  // the diagonal of the Jacobian alone is wrong
  const diagonal = rowSoftmax(({ y, dy, dz }) =>
    y.data.forEach((v, i) => (dz.data[i] = dy.data[i] * v * (1 - v)))
  );
  assert.equal(checkActivationGradient(diagonal).ok, false);
});

const mean = (m: Mat, f: (v: number, i: number) => number) =>
  Array.from(m.data, f).reduce((a, b) => a + b) / m.data.length;

const meanSquares = (scale: number): LossPlugin => ({
  kind: "loss",
  name: "sq",
  input: "values",
  loss: ({ y, t }) => mean(y, (v, i) => (v - t.data[i]) ** 2),
  gradient({ y, t }, dy) {
    y.data.forEach((v, i) => (dy.data[i] = scale * 2 * (v - t.data[i]) / y.data.length));
  },
});

Deno.test("gradcheck passes a correct loss gradient and reports a missing 1/n", () => {
  const ok = checkLossGradient(meanSquares(1));
  assert.equal(ok.ok, true);
  assert.equal(ok.checked, 24);
  const bad = checkLossGradient(meanSquares(24));
  assert.equal(bad.ok, false);
  assert.equal(bad.worst?.check, "gradient");
  assert.match(formatGradFailure("sq", bad.failures[0]), /^gradient of "sq" at x = /);
});

const logistic: ActivationPlugin = elementwise({
  name: "sigmoid",
  f: sig,
  df: (_x, y) => y * (1 - y),
});

function bce(fusedScale: number, lossShift = 0): LossPlugin {
  const clamp = (p: number) => Math.min(1 - 1e-7, Math.max(1e-7, p));
  return {
    kind: "loss",
    name: "bce",
    input: "probabilities",
    loss: ({ y, t }) =>
      mean(
        y,
        (v, i) => -(t.data[i] * Math.log(clamp(v)) + (1 - t.data[i]) * Math.log(1 - clamp(v))),
      ),
    gradient({ y, t }, dy) {
      y.data.forEach((v, i) => (dy.data[i] = (v - t.data[i]) / (v * (1 - v) * y.data.length)));
    },
    fused: {
      activation: "sigmoid",
      loss: (z, t) =>
        lossShift +
        mean(z, (v, i) => Math.max(v, 0) - v * t.data[i] + Math.log1p(Math.exp(-Math.abs(v)))),
      gradient(_z, y, t, dz) {
        y.data.forEach((v, i) => (dz.data[i] = fusedScale * (v - t.data[i]) / y.data.length));
      },
    },
  };
}

Deno.test("gradcheck checks a fused path only when given its activation", () => {
  const report = checkLossGradient(bce(1), { activation: logistic });
  assert.equal(report.ok, true);
  assert.equal(report.checked, 24 + 24 + 8 + 24);
  assert.equal(checkLossGradient(bce(2)).ok, true); // no activation: fused path not checked
});

Deno.test("gradcheck reports a wrong fused gradient and a wrong fused loss", () => {
  const grad = checkLossGradient(bce(2), { activation: logistic });
  assert.deepEqual(
    new Set(grad.failures.map((f) => f.check)),
    new Set(["fused gradient", "chain rule"]),
  );
  const loss = checkLossGradient(bce(1, 0.5), { activation: logistic });
  assert.deepEqual(new Set(loss.failures.map((f) => f.check)), new Set(["fused loss"]));
  assert.match(formatGradFailure("bce", loss.failures[0]), / but the unfused loss gives /);
});

Deno.test("gradcheck rejects an activation that is not the fused one", () => {
  const other = { ...logistic, name: "tanh" };
  assert.throws(
    () => checkLossGradient(bce(1), { activation: other }),
    new TypeError('Wrong activation for the fused path of bce: expected "sigmoid" but got "tanh"'),
  );
});

Deno.test("formatGradFailure writes one line with rounded numbers", () => {
  const p = {
    check: "derivative",
    x: 0.5,
    declared: 0.123456,
    measured: 0.74,
    relError: 0.8,
  } as const;
  assert.equal(
    formatGradFailure("myorg/swish", p),
    'derivative of "myorg/swish" at x = 0.5 is 0.1235 but finite differences give 0.74',
  );
});
