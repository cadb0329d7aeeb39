import assert from "node:assert/strict";
import { momentum } from "./momentum.ts";

const close = (a: number, b: number) => assert.ok(Math.abs(a - b) < 1e-12, `${a} vs ${b}`);

Deno.test("momentum follows v = mu v + g; p -= lr v", () => {
  const opt = momentum({ momentum: 0.9 });
  const p = new Float64Array([1]), v = new Float64Array(1), g = new Float64Array([1]);
  // v: 1, 1.9, 2.71; p: 0.9, 0.71, 0.439
  for (const [t, vt, pt] of [[1, 1, 0.9], [2, 1.9, 0.71], [3, 2.71, 0.439]]) {
    opt.update(p, g, [v], { lr: 0.1, t });
    close(v[0], vt);
    close(p[0], pt);
  }
});

Deno.test("nesterov momentum steps p -= lr (g + mu v)", () => {
  const opt = momentum({ momentum: 0.9, nesterov: true });
  const p = new Float64Array([1]), v = new Float64Array(1), g = new Float64Array([1]);
  // p: 1 - 0.1(1 + 0.9) = 0.81; 0.81 - 0.1(1 + 1.71) = 0.539; 0.539 - 0.1(1 + 2.439) = 0.1951
  for (const [t, pt] of [[1, 0.81], [2, 0.539], [3, 0.1951]]) {
    opt.update(p, g, [v], { lr: 0.1, t });
    close(p[0], pt);
  }
});

Deno.test("momentum stores nesterov as 0 or 1 and round-trips it through configure", () => {
  const opt = momentum({ nesterov: true });
  assert.deepEqual(opt.params, { lr: 0.01, momentum: 0.9, nesterov: 1 });
  assert.equal(opt.slots, 1);
  const plain = opt.configure?.({ nesterov: 0, momentum: 0.5 });
  assert.deepEqual(plain?.params, { lr: 0.01, momentum: 0.5, nesterov: 0 });
  assert.throws(() => opt.configure?.({ nesterov: 2 }), RangeError);
});

Deno.test("momentum rejects a factor outside [0, 1)", () => {
  assert.throws(
    () => momentum({ momentum: 1 }),
    new RangeError("Invalid momentum momentum: 1 is not in [0, 1)"),
  );
  assert.throws(() => momentum({ lr: -1 }), RangeError);
});
