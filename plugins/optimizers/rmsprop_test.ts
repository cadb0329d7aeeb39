import assert from "node:assert/strict";
import { rmsprop } from "./rmsprop.ts";

const close = (a: number, b: number) => assert.ok(Math.abs(a - b) < 1e-12, `${a} vs ${b}`);

Deno.test("rmsprop follows s = rho s + (1 - rho) g^2; p -= lr g / (sqrt(s) + eps)", () => {
  const opt = rmsprop(); // rho 0.9, eps 1e-8
  const p = new Float64Array([1]), s = new Float64Array(1);
  // by hand: s = 0.4, 0.46, 0.439; p = 1 - 0.02/(√0.4 + 1e-8), + 0.01/(√0.46 + 1e-8), ...
  const steps = [[2, 0.4, 0.9683772238983162], [-1, 0.46, 0.9831214192964146], [
    0.5,
    0.439,
    0.9755750555043976,
  ]];
  steps.forEach(([g, st, pt], i) => {
    opt.update(p, new Float64Array([g]), [s], { lr: 0.01, t: i + 1 });
    close(s[0], st);
    close(p[0], pt);
  });
});

Deno.test("rmsprop has one slot and checks its options", () => {
  const opt = rmsprop();
  assert.equal(opt.slots, 1);
  assert.deepEqual(opt.params, { lr: 0.001, rho: 0.9, eps: 1e-8 });
  assert.throws(
    () => rmsprop({ rho: 1.5 }),
    new RangeError("Invalid rmsprop rho: 1.5 is not in [0, 1)"),
  );
  assert.throws(
    () => rmsprop({ eps: 0 }),
    new RangeError("Invalid rmsprop eps: 0 is not in (0, inf)"),
  );
  assert.equal(opt.configure?.({ rho: 0.5 }).params?.rho, 0.5);
});
