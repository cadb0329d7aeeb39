import assert from "node:assert/strict";
import { checkLossGradient, formatGradFailure } from "../../core/checks/gradcheck.ts";
import { softmax } from "../activations/softmax.ts";
import { crossEntropy } from "./cross_entropy.ts";

const m = (xs: number[], rows: number) => ({
  data: Float64Array.from(xs),
  rows,
  cols: xs.length / rows,
});
const zeros = (rows: number, cols: number) => ({ data: new Float64Array(rows * cols), rows, cols });
const close = (a: number, b: number, tol = 1e-12) =>
  assert.ok(Math.abs(a - b) <= tol * Math.max(1, Math.abs(b)), `${a} vs ${b}`);

Deno.test("crossEntropy sums -t log y over columns and averages over rows", () => {
  const y = m([0.7, 0.2, 0.1, 0.1, 0.3, 0.6], 2), t = m([1, 0, 0, 0, 0, 1], 2);
  close(crossEntropy().loss({ y, t }), -(Math.log(0.7) + Math.log(0.6)) / 2);
});

Deno.test("crossEntropy gradient is -t/(y rows)", () => {
  const y = m([0.7, 0.2, 0.1, 0.1, 0.3, 0.6], 2), t = m([1, 0, 0, 0, 0, 1], 2), dy = zeros(2, 3);
  crossEntropy().gradient({ y, t }, dy);
  close(dy.data[0], -1 / 1.4);
  close(dy.data[5], -1 / 1.2);
  assert.equal(Math.abs(dy.data[1]), 0);
});

Deno.test("crossEntropy clamps probabilities at 1e-12", () => {
  const y = m([0, 1], 1), t = m([1, 0], 1), dy = zeros(1, 2);
  close(crossEntropy().loss({ y, t }), -Math.log(1e-12));
  crossEntropy().gradient({ y, t }, dy);
  assert.ok(dy.data.every(Number.isFinite));
});

Deno.test("crossEntropy gradient matches finite differences, fused path included", () => {
  for (const loss of [crossEntropy(), crossEntropy({ fromLogits: true })]) {
    for (const seed of [1, 2]) {
      const report = checkLossGradient(loss, { activation: softmax, seed });
      assert.ok(report.ok, report.failures.map((f) => formatGradFailure(loss.name, f)).join("\n"));
    }
  }
});

Deno.test("crossEntropy fused gradient equals the chain rule through softmax", () => {
  const ce = crossEntropy(), z = m([-3, 0.5, 2, 1e-3, -1e-3, 4], 2), y = zeros(2, 3);
  // one-hot and smoothed targets
  for (const t of [m([0, 0, 1, 1, 0, 0], 2), m([0.1, 0.1, 0.8, 0.5, 0.25, 0.25], 2)]) {
    const dy = zeros(2, 3), chain = zeros(2, 3), fused = zeros(2, 3);
    softmax.forward(z, y);
    ce.gradient({ y, t }, dy);
    softmax.backward({ z, y, dy, dz: chain });
    ce.fused?.gradient(z, y, t, fused);
    for (let i = 0; i < 6; i++) close(fused.data[i], chain.data[i], 1e-12);
    for (let i = 0; i < 6; i++) close(fused.data[i], (y.data[i] - t.data[i]) / 2, 1e-15);
    close(ce.fused?.loss(z, t) ?? NaN, ce.loss({ y, t }), 1e-12);
  }
  assert.equal(ce.fused?.activation, "softmax");
});

Deno.test("crossEntropy from logits is finite and exact for inputs up to +/-1e4", () => {
  const ce = crossEntropy({ fromLogits: true });
  const z = m([1e4, -1e4, 0, -1e4, 1e4, 1e4], 2), t = m([0, 1, 0, 1, 0, 0], 2), dz = zeros(2, 3);
  // row 1: lse = 1e4, loss 2e4; row 2: lse = 1e4 + log 2, loss 2e4 + log 2
  close(ce.loss({ y: z, t }), (2e4 + 2e4 + Math.LN2) / 2);
  close(crossEntropy().fused?.loss(z, t) ?? NaN, (4e4 + Math.LN2) / 2);
  ce.gradient({ y: z, t }, dz);
  assert.deepEqual(Array.from(dz.data), [0.5, -0.5, 0, -0.5, 0.25, 0.25]);
});

Deno.test("crossEntropy says what it takes and round-trips its parameters", () => {
  assert.equal(crossEntropy().input, "probabilities");
  assert.equal(crossEntropy({ fromLogits: true }).fused, undefined);
  const logits = crossEntropy().configure?.({ fromLogits: 1 });
  assert.equal(logits?.input, "logits");
  assert.deepEqual(logits?.configure?.({ fromLogits: 0 }).params, { fromLogits: 0 });
  assert.throws(
    () => crossEntropy().configure?.({ fromLogits: 0.5 }),
    new RangeError("Invalid crossEntropy fromLogits: 0.5 is not 0 or 1"),
  );
});
