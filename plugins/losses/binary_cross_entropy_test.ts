import assert from "node:assert/strict";
import { checkLossGradient, formatGradFailure } from "../../core/checks/gradcheck.ts";
import { sigmoid } from "../activations/sigmoid.ts";
import { binaryCrossEntropy } from "./binary_cross_entropy.ts";

const m = (xs: number[], rows: number) => ({
  data: Float64Array.from(xs),
  rows,
  cols: xs.length / rows,
});
const close = (a: number, b: number, tol = 1e-12) =>
  assert.ok(Math.abs(a - b) <= tol * Math.max(1, Math.abs(b)), `${a} vs ${b}`);

Deno.test("binaryCrossEntropy averages -[t log y + (1 - t) log(1 - y)] over all elements", () => {
  const y = m([0.5, 0.9, 0.2, 0.6], 2), t = m([1, 1, 0, 1], 2);
  const expected = -(Math.log(0.5) + Math.log(0.9) + Math.log(0.8) + Math.log(0.6)) / 4;
  close(binaryCrossEntropy().loss({ y, t }), expected);
});

Deno.test("binaryCrossEntropy clamps probabilities so loss and gradient stay finite", () => {
  const bce = binaryCrossEntropy(), y = m([0, 1, 1, 0], 1), t = m([1, 0, 1, 0], 1);
  close(bce.loss({ y, t }), -Math.log(1e-7) / 2, 1e-6);
  const dy = m([0, 0, 0, 0], 1);
  bce.gradient({ y, t }, dy);
  assert.ok(dy.data.every(Number.isFinite));
  assert.ok(dy.data[0] < 0 && dy.data[1] > 0);
});

Deno.test("binaryCrossEntropy gradient matches finite differences, fused path included", () => {
  for (const loss of [binaryCrossEntropy(), binaryCrossEntropy({ fromLogits: true })]) {
    const report = checkLossGradient(loss, { activation: sigmoid });
    assert.ok(report.ok, report.failures.map((f) => formatGradFailure(loss.name, f)).join("\n"));
  }
});

Deno.test("binaryCrossEntropy fused gradient equals the chain rule through sigmoid", () => {
  const bce = binaryCrossEntropy(),
    z = m([-8, -1, -1e-3, 0.3, 2, 9], 2),
    t = m([0, 1, 1, 0, 1, 0], 2);
  const y = m([0, 0, 0, 0, 0, 0], 2), dy = m([0, 0, 0, 0, 0, 0], 2);
  const chain = m([0, 0, 0, 0, 0, 0], 2), fused = m([0, 0, 0, 0, 0, 0], 2);
  sigmoid.forward(z, y);
  bce.gradient({ y, t }, dy);
  sigmoid.backward({ z, y, dy, dz: chain });
  bce.fused?.gradient(z, y, t, fused);
  for (let i = 0; i < 6; i++) close(fused.data[i], chain.data[i], 1e-9);
  for (let i = 0; i < 6; i++) close(fused.data[i], (y.data[i] - t.data[i]) / 6, 1e-15);
  close(bce.fused?.loss(z, t) ?? NaN, bce.loss({ y, t }), 1e-9);
  assert.equal(bce.fused?.activation, "sigmoid");
});

Deno.test("binaryCrossEntropy from logits is finite and exact for inputs up to +/-1e4", () => {
  const bce = binaryCrossEntropy({ fromLogits: true }), z = m([1e4, -1e4, 1e4, -1e4], 1);
  const t = m([1, 0, 0, 1], 1), dz = m([0, 0, 0, 0], 1);
  assert.equal(bce.loss({ y: z, t }), (0 + 0 + 1e4 + 1e4) / 4);
  assert.equal(bce.fused, undefined);
  assert.equal(binaryCrossEntropy().fused?.loss(z, t), 5e3);
  bce.gradient({ y: z, t }, dz);
  assert.deepEqual(Array.from(dz.data), [0, 0, 0.25, -0.25]);
});

Deno.test("binaryCrossEntropy says what it takes and round-trips its parameters", () => {
  assert.equal(binaryCrossEntropy().input, "probabilities");
  assert.equal(binaryCrossEntropy({ fromLogits: true }).input, "logits");
  const logits = binaryCrossEntropy().configure?.({ fromLogits: 1 });
  assert.equal(logits?.input, "logits");
  assert.deepEqual(logits?.params, { fromLogits: 1 });
  assert.throws(() => binaryCrossEntropy().configure?.({ fromLogits: 2 }), RangeError);
  assert.throws(() => binaryCrossEntropy().configure?.({ logits: 1 }), TypeError);
});
