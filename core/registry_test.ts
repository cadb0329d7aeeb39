import assert from "node:assert/strict";
import { createRegistry } from "./registry.ts";
import { elementwise } from "./elementwise.ts";
import { fakeMse, fakeRelu, fakeSgd, fakeTanh } from "./_testing/fakes.ts";
import type { ActivationPlugin } from "./types.ts";

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
    message: /Invalid plugin kind: "layer"/,
  });
});

Deno.test("registry.with adds plugins without changing the original", () => {
  const r = createRegistry([fakeTanh]);
  const r2 = r.with([fakeRelu]);
  assert.equal(r.has("activation", "relu"), false);
  assert.equal(r2.has("activation", "relu"), true);
});
