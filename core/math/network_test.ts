import assert from "node:assert/strict";
import { createNetwork } from "./network.ts";
import { createRegistry } from "../checks/registry.ts";
import { fakeIdentity, fakeRelu, fakeTanh } from "../_testing/fakes.ts";

const registry = createRegistry([fakeIdentity, fakeRelu, fakeTanh]);

Deno.test("network is built from a plain spec with the right shapes", () => {
  const net = createNetwork(
    { inputs: 4, layers: [{ units: 3, activation: "relu" }, { units: 2 }] },
    { registry },
  );
  assert.equal(net.outputs, 2);
  assert.deepEqual(net.layers.map((l) => [l.inputs, l.units, l.weights.length, l.bias.length]), [
    [4, 3, 12, 3],
    [3, 2, 6, 2],
  ]);
  assert.equal(net.layers[1].activation.name, "identity");
});

Deno.test("network init is He for ReLU layers and Glorot otherwise", () => {
  const net = createNetwork(
    {
      inputs: 400,
      layers: [{ units: 400, activation: "relu" }, { units: 400, activation: "tanh" }],
    },
    { registry, seed: 3 },
  );
  const std = (w: Float32Array | Float64Array) =>
    Math.sqrt(Array.from(w).reduce((s, v) => s + v * v, 0) / w.length);
  assert.ok(Math.abs(std(net.layers[0].weights) - Math.sqrt(2 / 400)) < 0.003);
  const glorotStd = Math.sqrt(6 / 800) / Math.sqrt(3);
  assert.ok(Math.abs(std(net.layers[1].weights) - glorotStd) < 0.003);
  const zeros = createNetwork({ inputs: 2, layers: [{ units: 2, init: "zeros" }] }, { registry });
  assert.deepEqual([...zeros.layers[0].weights], [0, 0, 0, 0]);
});

Deno.test("network weights depend only on the seed", () => {
  const spec = { inputs: 5, layers: [{ units: 4, activation: "tanh" }] };
  const a = createNetwork(spec, { registry, seed: 9 }).layers[0].weights;
  const b = createNetwork(spec, { registry, seed: 9 }).layers[0].weights;
  const c = createNetwork(spec, { registry, seed: 10 }).layers[0].weights;
  assert.deepEqual(a, b);
  assert.notDeepEqual(a, c);
});

Deno.test("network spec with 0 units is a RangeError naming the field", () => {
  assert.throws(() => createNetwork({ inputs: 2, layers: [{ units: 0 }] }, { registry }), {
    name: "RangeError",
    message: /layers\.0\.units: must be at least 1/,
  });
});

Deno.test("network spec with an unknown activation is a TypeError listing known ones", () => {
  assert.throws(
    () => createNetwork({ inputs: 2, layers: [{ units: 1, activation: "swish" }] }, { registry }),
    {
      name: "TypeError",
      message: /Unknown activation "swish": known activations are identity, relu, tanh/,
    },
  );
});

Deno.test("network spec with an unknown key or wrong type is a TypeError", () => {
  assert.throws(
    () =>
      createNetwork({ inputs: 2, layers: [{ units: 1, activaton: "relu" }] } as never, {
        registry,
      }),
    { name: "TypeError", message: /layers\.0\.activaton/ },
  );
  assert.throws(() => createNetwork({ inputs: "2", layers: [] } as never, { registry }), {
    name: "TypeError",
    message: /inputs/,
  });
});
