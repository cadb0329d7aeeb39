import assert from "node:assert/strict";
import { adagrad } from "./adagrad.ts";

const close = (a: number, b: number) => assert.ok(Math.abs(a - b) < 1e-12, `${a} vs ${b}`);

Deno.test("adagrad follows s += g^2; p -= lr g / (sqrt(s) + eps) from s = 0", () => {
  const opt = adagrad();
  const p = new Float64Array([1]), s = new Float64Array(1);
  opt.update(p, new Float64Array([1]), [s], { lr: 0.1, t: 1 });
  close(s[0], 1);
  close(p[0], 0.900000001); // 1 - 0.1 / (1 + 1e-8)
  opt.update(p, new Float64Array([3]), [s], { lr: 0.1, t: 2 });
  close(s[0], 10);
  close(p[0], 0.8051316714949486); // - 0.3 / (√10 + 1e-8)
});

Deno.test("adagrad has one slot and checks its options", () => {
  assert.equal(adagrad().slots, 1);
  assert.deepEqual(adagrad().params, { lr: 0.01, eps: 1e-8 });
  assert.throws(
    () => adagrad({ lr: -0.01 }),
    new RangeError("Invalid adagrad lr: -0.01 is not in [0, inf)"),
  );
  assert.throws(() => adagrad({ eps: -1 }), RangeError);
});
