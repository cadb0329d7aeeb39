import assert from "node:assert/strict";
import { createRegistry } from "./registry.ts";
import { elementwise } from "../math/elementwise.ts";
import { fakeIdentity, fakeMse, fakeRelu, fakeSgd, fakeTanh } from "../_testing/fakes.ts";
import * as bad from "../_testing/bad_plugins.ts";
import type { ActivationPlugin, LossPlugin, Mat } from "../math/types.ts";

Deno.test("registry looks plugins up by kind and name", () => {
  const sgd = fakeSgd(0.1);
  const r = createRegistry([fakeTanh, fakeMse, sgd]);
  assert.equal(r.get("activation", "tanh"), fakeTanh);
  assert.equal(r.get("loss", "mse"), fakeMse);
  assert.equal(r.get("optimizer", "sgd"), sgd);
  assert.deepEqual(r.list("activation").map((p) => p.name), ["tanh"]);
  assert.equal(r.list().length, 3);
});

Deno.test("registry lists the known names when a name is unknown", () => {
  const r = createRegistry([fakeTanh, fakeRelu]);
  assert.throws(() => r.get("activation", "swish"), {
    name: "TypeError",
    message: /Unknown activation "swish": known activations are tanh, relu/,
  });
});

Deno.test("registry refuses a second plugin with a taken name", () => {
  const other = elementwise({ name: "tanh", f: (x) => x, df: () => 1 });
  assert.throws(() => createRegistry([fakeTanh, other]), {
    name: "TypeError",
    message: /Duplicate activation "tanh"/,
  });
  assert.doesNotThrow(() => createRegistry([fakeTanh, fakeTanh]));
});

Deno.test("registry configures plugins that take params and refuses params elsewhere", () => {
  const leaky = (alpha: number): ActivationPlugin =>
    elementwise({
      name: "leaky",
      params: { alpha },
      configure: (p) => leaky(p.alpha ?? alpha),
      f: (x) => (x > 0 ? x : alpha * x),
      df: (x) => (x > 0 ? 1 : alpha),
    });
  const r = createRegistry([leaky(0.01), fakeTanh]);
  assert.deepEqual(r.get("activation", { name: "leaky", params: { alpha: 0.3 } }).params, {
    alpha: 0.3,
  });
  assert.throws(
    () => r.get("activation", { name: "tanh", params: { a: 1 } }),
    /takes no parameters/,
  );
});

Deno.test("registry rejects an object that is not a plugin", () => {
  assert.throws(() => createRegistry([{ kind: "layer", name: "x" } as never]), {
    name: "TypeError",
    message: 'Invalid plugin "x": kind must be "activation", "loss" or "optimizer", got "layer"',
  });
  assert.throws(() => createRegistry([undefined as never]), {
    name: "TypeError",
    message: "Invalid plugin: expected a plugin object { kind, name, ... }, got undefined",
  });
});

Deno.test("registry.with adds plugins without changing the original", () => {
  const r = createRegistry([fakeTanh]);
  const r2 = r.with([fakeRelu]);
  assert.equal(r.has("activation", "relu"), false);
  assert.equal(r2.has("activation", "relu"), true);
});

const sig = (x: number) => 1 / (1 + Math.exp(-x));
const swish = () =>
  elementwise({
    name: "myorg/swish",
    version: "1.0.0",
    f: (x) => x * sig(x),
    df: (x) => sig(x) * (1 + x * (1 - sig(x))),
  });

Deno.test("registry accepts a correct custom activation with a namespaced name", () => {
  const act = swish();
  assert.equal(createRegistry([fakeTanh, act]).get("activation", "myorg/swish"), act);
});

Deno.test("registry refuses a plugin missing a function, naming the field", () => {
  const { forward: _, ...noForward } = swish();
  assert.throws(() => createRegistry([noForward as never]), {
    name: "TypeError",
    message: 'Invalid plugin "myorg/swish": forward must be a function',
  });
});

Deno.test("registry refuses a derivative off by a constant factor", () => {
  assert.throws(() => createRegistry([bad.offByFactor]), {
    name: "RangeError",
    message:
      /^Gradient check failed: derivative of "myorg\/swish" at x = -?[\d.e-]+ is -?[\d.e-]+ but finite differences give -?[\d.e-]+ \(wrong at \d+ of 24 points\); fix df so it is the derivative of f$/,
  });
});

Deno.test("registry refuses the derivative of another function", () => {
  assert.throws(() => createRegistry([bad.otherDerivative]), {
    name: "RangeError",
    message: /derivative of "myorg\/swishSoftplusDf" at x = .* but finite differences give/,
  });
});

Deno.test("registry refuses an activation returning NaN for large inputs", () => {
  assert.throws(() => createRegistry([bad.nanForLarge]), {
    name: "RangeError",
    message: /^Non-finite output from "myorg\/naiveSwish": f at x = 1000 is NaN \(float64\)/,
  });
});

Deno.test("registry refuses an impure activation", () => {
  assert.throws(() => createRegistry([bad.impure]), {
    name: "RangeError",
    message: /^Impure plugin "myorg\/noisyIdentity": f gave .* then .* for the same input/,
  });
});

Deno.test("registry refuses a wrong loss gradient and a non-finite optimizer", () => {
  assert.throws(() => createRegistry([bad.halfGradientLoss]), {
    name: "RangeError",
    message: /^Gradient check failed: gradient of "myorg\/sse" at x = /,
  });
  assert.throws(() => createRegistry([bad.dividingOptimizer]), {
    name: "RangeError",
    message: /^Non-finite update from "myorg\/newtonish": after 3 steps parameter 3/,
  });
});

Deno.test("registry accepts a duplicate name only for the same object or the same math and version", () => {
  const a = swish(), b = swish();
  const r = createRegistry([a, b]);
  assert.equal(r.get("activation", "myorg/swish"), a);
  assert.equal(r.list("activation").length, 1);
  assert.throws(() => createRegistry([a, { ...b, version: "2.0.0" }]), {
    name: "TypeError",
    message:
      'Duplicate activation "myorg/swish": a different plugin already has this name (version 1.0.0 vs 2.0.0); rename one (e.g. "myorg/swishV2")',
  });
  const other = elementwise({ name: "myorg/swish", f: Math.tanh, df: (_x, y) => 1 - y * y });
  assert.throws(() => createRegistry([a, other]), /\(different math\)/);
});

Deno.test("registry checks configured plugins too, once per parameter set", () => {
  let calls = 0;
  const scaled = (k: number): ActivationPlugin =>
    elementwise({
      name: "myorg/scaled",
      params: { k },
      configure: (p) => (calls++, scaled(p.k ?? k)),
      f: (x) => k * x,
      df: () => (k > 1 ? 1 : k), // wrong for k > 1
    });
  const r = createRegistry([scaled(0.5)]);
  const s = r.get("activation", { name: "myorg/scaled", params: { k: 0.25 } });
  assert.equal(r.get("activation", { name: "myorg/scaled", params: { k: 0.25 } }), s);
  assert.equal(calls, 1);
  assert.throws(
    () => r.get("activation", { name: "myorg/scaled", params: { k: 3 } }),
    /derivative of "myorg\/scaled" at x = .* is 1 but finite differences give 3/,
  );
});

Deno.test("registry checks a loss's fused path with the activation it names", () => {
  const sse = (y: Mat, t: Mat) =>
    Array.from(y.data, (v, i) => (v - t.data[i]) ** 2).reduce((a, b) => a + b, 0);
  const grad = (y: Mat, t: Mat, out: Mat) => {
    for (let i = 0; i < y.data.length; i++) out.data[i] = 2 * (y.data[i] - t.data[i]);
  };
  const loss = (fusedLoss: (z: Mat, t: Mat) => number): LossPlugin => ({
    kind: "loss",
    name: "myorg/sse",
    input: "values",
    loss: ({ y, t }) => sse(y, t),
    gradient: ({ y, t }, dy) => grad(y, t, dy),
    fused: { activation: "identity", loss: fusedLoss, gradient: (z, _y, t, dz) => grad(z, t, dz) },
  });
  assert.doesNotThrow(() => createRegistry([fakeIdentity, loss(sse)]));
  const halfFused = loss((z, t) => sse(z, t) / 2);
  assert.doesNotThrow(
    () => createRegistry([halfFused]),
    "no identity registered: fused path not checked",
  );
  assert.throws(() => createRegistry([halfFused, fakeIdentity]), {
    name: "RangeError",
    message: /^Gradient check failed: fused (loss|gradient) of "myorg\/sse" at x = /,
  });
});

Deno.test("registry remembers checks per plugin object: a second registry checks nothing again", () => {
  // The cost of a cached registry against a fresh one: core/checks/plugin_check_bench.ts.
  let calls = 0;
  const counted = elementwise({
    name: "myorg/counted",
    f: (x) => (calls++, Math.tanh(x)),
    df: (_x, y) => 1 - y * y,
  });
  const plugins = [fakeTanh, fakeRelu, fakeMse, fakeSgd(0.1), swish(), counted];
  createRegistry(plugins);
  const first = calls;
  assert.ok(first > 0, "the first registry checks the plugin");
  for (let i = 0; i < 10; i++) createRegistry(plugins);
  assert.equal(calls, first);
  createRegistry([{ ...counted }]);
  assert.ok(calls > first, "another object with the same functions is checked");
});
