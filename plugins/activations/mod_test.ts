import assert from "node:assert/strict";
import { checkActivationGradient, formatGradFailure } from "../../core/checks/gradcheck.ts";
import { builtinActivations, leakyRelu } from "./mod.ts";

Deno.test("builtinActivations lists every built-in activation once", () => {
  const names = builtinActivations().map((a) => a.name);
  assert.deepEqual(names, [
    "identity",
    "sigmoid",
    "tanh",
    "relu",
    "leakyRelu",
    "elu",
    "softplus",
    "gelu",
    "silu",
    "softmax",
  ]);
  for (const a of builtinActivations()) {
    assert.equal(a.kind, "activation");
    assert.equal(a.version, "1.0.0");
    assert.ok(a.description, a.name);
  }
});

Deno.test("builtinActivations returns a fresh array each time", () => {
  const a = builtinActivations();
  a.length = 0;
  assert.equal(builtinActivations().length, 10);
});

Deno.test("the ReLU family asks for He init and the others leave init to the core", () => {
  const he = builtinActivations().filter((a) => a.init === "he").map((a) => a.name);
  assert.deepEqual(he, ["relu", "leakyRelu", "elu", "gelu", "silu"]);
});

Deno.test("every built-in activation derivative matches finite differences", () => {
  for (const a of [...builtinActivations(), leakyRelu({ alpha: 0.5 })]) {
    const report = checkActivationGradient(a);
    assert.ok(report.ok, report.failures.map((f) => formatGradFailure(a.name, f)).join("\n"));
    assert.ok(report.checked >= 24);
  }
});

Deno.test("every built-in activation is finite for inputs up to +/-1e4", () => {
  const xs = [-1e4, -1e3, -100, -1, 0, 1, 100, 1e3, 1e4, 0, -1e4, 1e4];
  for (const a of builtinActivations()) {
    for (const Arr of [Float64Array, Float32Array]) {
      const z = { data: Arr.from(xs), rows: 4, cols: 3 };
      const y = { ...z, data: new Arr(12) }, dz = { ...z, data: new Arr(12) };
      a.forward(z, y);
      a.backward({ z, y, dy: { ...z, data: new Arr(12).fill(1) }, dz });
      assert.ok(y.data.every(Number.isFinite), `${a.name} forward: ${y.data}`);
      assert.ok(dz.data.every(Number.isFinite), `${a.name} backward: ${dz.data}`);
    }
  }
});
