import assert from "node:assert/strict";
import { builtinOptimizers } from "./mod.ts";

Deno.test("builtinOptimizers lists every built-in optimizer with its default lr", () => {
  const table = builtinOptimizers().map((o) => [o.name, o.lr, o.slots]);
  assert.deepEqual(table, [
    ["sgd", 0.01, 0],
    ["momentum", 0.01, 1],
    ["rmsprop", 0.001, 1],
    ["adagrad", 0.01, 1],
    ["adam", 0.001, 2],
    ["adamw", 0.001, 2],
  ]);
  assert.notEqual(builtinOptimizers(), builtinOptimizers());
});

Deno.test("every built-in optimizer is a plain, configurable, versioned object", () => {
  for (const o of builtinOptimizers()) {
    assert.equal(o.kind, "optimizer");
    assert.equal(o.version, "1.0.0");
    assert.equal(o.params?.lr, o.lr);
    assert.equal(Object.getPrototypeOf(o), Object.prototype);
    const again = o.configure?.(o.params ?? {});
    assert.deepEqual(again?.params, o.params);
    assert.equal(o.configure?.({ lr: 0.5 }).lr, 0.5);
    assert.throws(() => o.configure?.({ lr: -1 }), RangeError);
    assert.throws(() => o.configure?.({ nope: 1 }), TypeError);
  }
});

Deno.test("every built-in optimizer takes its step size from the step's lr", () => {
  for (const o of builtinOptimizers()) {
    const p = new Float32Array([0.5, -0.5]),
      slots = Array.from({ length: o.slots }, () => new Float32Array(2));
    o.update(p, new Float32Array([0.1, -0.2]), slots, { lr: 0, t: 1 });
    assert.deepEqual(Array.from(p), [0.5, -0.5], o.name); // lr 0: no move at all
    o.update(p, new Float32Array([1, -1]), slots, { lr: 0.01, t: 2 });
    assert.ok(p[0] < 0.5 && p[1] > -0.5, o.name); // descends
  }
});
