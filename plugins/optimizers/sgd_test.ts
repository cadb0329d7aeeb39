import assert from "node:assert/strict";
import { sgd } from "./sgd.ts";

Deno.test("sgd steps p -= lr g with the step's learning rate", () => {
  const opt = sgd({ lr: 0.5 }); // the schedule's lr (ctx.lr) wins over the default
  const p = new Float64Array([1, -2]);
  opt.update(p, new Float64Array([0.5, 0.25]), [], { lr: 0.1, t: 1 });
  assert.deepEqual(Array.from(p), [0.95, -2.025]);
  opt.update(p, new Float64Array([-1, 0]), [], { lr: 0.1, t: 2 });
  assert.ok(Math.abs(p[0] - 1.05) < 1e-15 && p[1] === -2.025);
});

Deno.test("sgd keeps no state and reports its parameters", () => {
  const opt = sgd();
  assert.equal(opt.slots, 0);
  assert.equal(opt.lr, 0.01);
  assert.deepEqual(opt.params, { lr: 0.01 });
  assert.equal(opt.clipNorm, undefined);
  const clipped = sgd({ lr: 0.2, clipNorm: 1 });
  assert.equal(clipped.clipNorm, 1);
  assert.deepEqual(clipped.params, { lr: 0.2, clipNorm: 1 });
});

Deno.test("sgd configure keeps what it is not given", () => {
  const opt = sgd({ lr: 0.2 }).configure?.({ clipNorm: 5 });
  assert.deepEqual(opt?.params, { lr: 0.2, clipNorm: 5 });
  assert.throws(() => sgd().configure?.({ momentum: 0.9 }), TypeError);
});

Deno.test("sgd rejects a negative learning rate", () => {
  assert.throws(() => sgd({ lr: -0.1 }), new RangeError("Invalid sgd lr: -0.1 is not in [0, inf)"));
  assert.throws(
    () => sgd({ clipNorm: 0 }),
    new RangeError("Invalid sgd clipNorm: 0 is not in (0, inf)"),
  );
});
