import assert from "node:assert/strict";
import { elementwise } from "../core/math/elementwise.ts";
import { builtinActivations } from "../plugins/activations/mod.ts";
import { activationCurves } from "./activation_curves.ts";

const curves = activationCurves(builtinActivations());
const byName = (name: string) => curves.activations.find((a) => a.name === name)!;
const at = (x: number) => curves.x.indexOf(x);

Deno.test("the gallery samples every built-in activation on one grid", () => {
  assert.equal(curves.x.length, 241);
  assert.deepEqual([curves.x[0], curves.x.at(-1)], [-6, 6]);
  assert.deepEqual(curves.activations.map((a) => a.name), builtinActivations().map((a) => a.name));
  for (const a of curves.activations) {
    assert.equal(a.y.length, 241, a.name);
    assert.equal(a.dy.length, 241, a.name);
  }
});

Deno.test("sigmoid's derivative peaks at 0.25 at x = 0: the vanishing-gradient factor", () => {
  const s = byName("sigmoid");
  assert.equal(s.maxSlope, 0.25);
  assert.equal(s.dy[at(0)], 0.25);
  assert.equal(s.y[at(0)], 0.5);
  assert.equal(byName("tanh").maxSlope, 1);
});

Deno.test("relu derivative is 0 for negative inputs and 1 for positive ones", () => {
  const r = byName("relu");
  assert.equal(r.dy[at(-2)], 0);
  assert.equal(r.dy[at(2)], 1);
});

Deno.test("derivatives from backward match each element-wise plugin's df", () => {
  for (const plugin of builtinActivations().filter((a) => a.df)) {
    const c = byName(plugin.name);
    curves.x.forEach((x, i) => {
      const expected = plugin.df!(x, plugin.f!(x));
      assert.ok(
        Math.abs(c.dy[i] - expected) < 1e-5,
        `${plugin.name}'(${x}) = ${c.dy[i]}, not ${expected}`,
      );
    });
  }
});

Deno.test("softmax is sampled on rows [x, 0], where its first output is a sigmoid", () => {
  const soft = byName("softmax"), sig = byName("sigmoid");
  assert.equal(soft.rowwise, true);
  // Within the plot's 1e-6 rounding, plus float32 (sigmoid is sampled as training runs it).
  soft.y.forEach((y, i) => assert.ok(Math.abs(y - sig.y[i]) < 2e-6));
  soft.dy.forEach((d, i) => assert.ok(Math.abs(d - sig.dy[i]) < 2e-6));
});

Deno.test("a custom activation appears with its own curve", () => {
  const square = elementwise({
    name: "myorg/square",
    f: (x) => x * x,
    df: (x) => 2 * x,
    description: "x²",
  });
  const c = activationCurves([square], { from: -1, to: 1, points: 3 });
  assert.deepEqual(c, {
    x: [-1, 0, 1],
    activations: [{
      name: "myorg/square",
      description: "x²",
      rowwise: false,
      y: [1, 0, 1],
      dy: [-2, 0, 2],
      maxSlope: 2,
    }],
  });
});

Deno.test("a bad grid is a RangeError naming the option", () => {
  assert.throws(() => activationCurves([], { points: 1 }), {
    name: "RangeError",
    message: /points/,
  });
  assert.throws(() => activationCurves([], { from: 1, to: 0 }), {
    name: "RangeError",
    message: /to \(0\)/,
  });
});
