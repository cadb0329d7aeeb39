import assert from "node:assert/strict";
import { adamw } from "./adamw.ts";

const close = (a: number, b: number) => assert.ok(Math.abs(a - b) < 1e-12, `${a} vs ${b}`);

Deno.test("adamw decays weights by lr wd p, apart from the Adam step", () => {
  const opt = adamw({ weightDecay: 0.1 });
  const p = new Float64Array([1]), m = new Float64Array(1), v = new Float64Array(1);
  // p ← p - lr·wd·p - lr·m̂/(√v̂ + ε); the moments are Adam's, untouched by the decay
  // t = 1: 1 - 0.01 - 0.1/(1 + 1e-8)
  const steps = [
    [1, 0.1, 0.8900000009999999],
    [-0.5, 0.1, 0.854466297360903],
    [2, 0.05, 0.8172883861100485],
  ];
  steps.forEach(([g, lr, pt], i) => {
    opt.update(p, new Float64Array([g]), [m, v], { lr, t: i + 1 });
    close(p[0], pt);
  });
  close(m[0], 0.236);
});

Deno.test("adamw without gradient only decays", () => {
  const p = new Float64Array([2, -4]), slots = [new Float64Array(2), new Float64Array(2)];
  adamw().update(p, new Float64Array(2), slots, { lr: 0.5, t: 1 });
  // weightDecay 0.01: p (1 - 0.005)
  close(p[0], 1.99);
  close(p[1], -3.98);
});

Deno.test("adamw reports weightDecay and checks it", () => {
  const opt = adamw();
  assert.equal(opt.name, "adamw");
  assert.deepEqual(opt.params, {
    lr: 0.001,
    beta1: 0.9,
    beta2: 0.999,
    eps: 1e-8,
    weightDecay: 0.01,
  });
  assert.equal(opt.configure?.({ weightDecay: 0 }).params?.weightDecay, 0);
  assert.throws(
    () => adamw({ weightDecay: -1 }),
    new RangeError("Invalid adamw weightDecay: -1 is not in [0, inf)"),
  );
  assert.throws(
    () => adamw({ beta1: 2 }),
    new RangeError("Invalid adamw beta1: 2 is not in [0, 1)"),
  );
});
