import assert from "node:assert/strict";
import { adam } from "./adam.ts";

const close = (a: number, b: number) => assert.ok(Math.abs(a - b) < 1e-12, `${a} vs ${b}`);

Deno.test("adam matches the published rule with bias correction for three steps", () => {
  const opt = adam(); // beta1 0.9, beta2 0.999, eps 1e-8
  const p = new Float64Array([1]), m = new Float64Array(1), v = new Float64Array(1);
  // t = 1: m = 0.1, v = 0.001, m̂ = 1, v̂ = 1: p = 1 - 0.1 / (1 + 1e-8)
  // t = 2: m = 0.04, v = 0.001249, m̂ = 0.04/0.19, v̂ = 0.001249/0.001999
  // t = 3 (lr 0.05 from the schedule): m = 0.236, v = 0.005247751
  const steps = [
    [1, 0.1, 0.1, 0.001, 0.9000000009999999],
    [-0.5, 0.1, 0.04, 0.001249, 0.873366297370903],
    [2, 0.05, 0.236, 0.005247751, 0.840460717606853],
  ];
  steps.forEach(([g, lr, mt, vt, pt], i) => {
    opt.update(p, new Float64Array([g]), [m, v], { lr, t: i + 1 });
    close(m[0], mt);
    close(v[0], vt);
    close(p[0], pt);
  });
});

Deno.test("adam has two slots and reports its parameters", () => {
  const opt = adam({ lr: 0.01, clipNorm: 2 });
  assert.equal(opt.slots, 2);
  assert.equal(opt.lr, 0.01);
  assert.equal(opt.clipNorm, 2);
  assert.deepEqual(opt.params, { lr: 0.01, beta1: 0.9, beta2: 0.999, eps: 1e-8, clipNorm: 2 });
  assert.equal(opt.configure?.({ beta2: 0.99 }).params?.beta2, 0.99);
  assert.throws(() => opt.configure?.({ weightDecay: 0.1 }), TypeError);
});

Deno.test("adam rejects betas outside [0, 1) and a step count below 1", () => {
  assert.throws(() => adam({ beta1: 1 }), new RangeError("Invalid adam beta1: 1 is not in [0, 1)"));
  assert.throws(
    () => adam({ beta2: -0.1 }),
    new RangeError("Invalid adam beta2: -0.1 is not in [0, 1)"),
  );
  assert.throws(() => adam({ eps: 0 }), RangeError);
  const one = () => new Float64Array(1);
  assert.throws(() => adam().update(one(), one(), [one(), one()], { lr: 0.1, t: 0 }), RangeError);
});
