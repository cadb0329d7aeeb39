// The textbook problems: XOR, least squares and a sine regression, trained with
// the bare train step (no trainer pipeline) to the accuracy the issue asks for.
import assert from "node:assert/strict";
import { createNetwork, createRegistry, createRng, createTrainStep, predict } from "../mod.ts";
import { builtinPlugins } from "../plugins/mod.ts";
import { mse } from "../plugins/losses/mod.ts";
import { adam } from "../plugins/optimizers/adam.ts";
import { sgd } from "../plugins/optimizers/sgd.ts";

const registry = createRegistry(builtinPlugins());
const mat = (rows: number, cols: number, data: Float32Array) => ({ data, rows, cols });

Deno.test("XOR 2-4-1 reaches loss below 0.01", () => {
  const net = createNetwork(
    { inputs: 2, layers: [{ units: 4, activation: "tanh" }, { units: 1, activation: "sigmoid" }] },
    { registry, seed: 42 },
  );
  const batch = {
    x: mat(4, 2, new Float32Array([0, 0, 0, 1, 1, 0, 1, 1])),
    t: mat(4, 1, new Float32Array([0, 1, 1, 0])),
  };
  const step = createTrainStep(net, { loss: mse, optimizer: sgd({ lr: 0.5 }), batchSize: 4 });
  let loss = Infinity;
  for (let epoch = 0; epoch < 5000 && loss >= 0.01; epoch++) loss = step.run(batch);
  assert.ok(loss < 0.01, `XOR loss ${loss}`);
});

Deno.test("least squares: plain gradient descent recovers a in y = a*x within 1e-2", () => {
  const rng = createRng(1), a = 2.5, n = 200;
  const x = Float32Array.from({ length: n }, () => 4 * rng.float() - 2);
  const y = x.map((v) => a * v + 0.1 * rng.normal());
  const net = createNetwork({
    inputs: 1,
    layers: [{ units: 1, activation: "identity", init: "zeros" }],
  }, { registry });
  const step = createTrainStep(net, { loss: mse, optimizer: sgd({ lr: 0.1 }), batchSize: n });
  for (let i = 0; i < 300; i++) step.run({ x: mat(n, 1, x), t: mat(n, 1, y) });
  const fitted = net.layers[0].weights[0];
  assert.ok(Math.abs(fitted - a) < 1e-2, `a = ${fitted}`);
});

Deno.test("sin(x) on [-pi, pi] is learned to MSE below 0.01", () => {
  const n = 256;
  const x = Float32Array.from({ length: n }, (_, i) => -Math.PI + (2 * Math.PI * i) / (n - 1));
  const y = x.map(Math.sin);
  const net = createNetwork(
    { inputs: 1, layers: [{ units: 32, activation: "tanh" }, { units: 1 }] },
    { registry, seed: 7 },
  );
  const step = createTrainStep(net, { loss: mse, optimizer: adam({ lr: 0.01 }), batchSize: 32 });
  const order = createRng(7);
  const idx = [...Array(n).keys()];
  const bx = new Float32Array(32), by = new Float32Array(32);
  for (let epoch = 0; epoch < 300; epoch++) {
    order.shuffle(idx);
    for (let b = 0; b < n; b += 32) {
      for (let i = 0; i < 32; i++) (bx[i] = x[idx[b + i]]), (by[i] = y[idx[b + i]]);
      step.run({ x: mat(32, 1, bx), t: mat(32, 1, by) });
    }
  }
  const out = predict(net, mat(n, 1, x)).data;
  const err = Array.from(out).reduce((s, v, i) => s + (v - y[i]) ** 2, 0) / n;
  assert.ok(err < 0.01, `sine MSE ${err}`);
});
