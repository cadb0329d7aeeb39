import { createGradientStep } from "./backward.ts";
import assert from "node:assert/strict";
import { createNetwork, parameters } from "./network.ts";
import { createRegistry } from "../checks/registry.ts";
import { createTrainStep } from "./train_step.ts";
import { createWasmBackend } from "../wasm/wasm_backend.ts";
import { predict } from "./predict.ts";
import { fakeIdentity, fakeMse, fakeSgd, fakeSigmoid, fakeTanh } from "../_testing/fakes.ts";
import type { Batch } from "./types.ts";

const registry = createRegistry([fakeTanh, fakeSigmoid, fakeIdentity]);
const mat = (rows: number, cols: number, values: number[]) => ({
  data: new Float32Array(values),
  rows,
  cols,
});
const xor: Batch = {
  x: mat(4, 2, [0, 0, 0, 1, 1, 0, 1, 1]),
  t: mat(4, 1, [0, 1, 1, 0]),
};

Deno.test("train step learns XOR with tanh hidden units and plain gradient descent", () => {
  const net = createNetwork(
    { inputs: 2, layers: [{ units: 4, activation: "tanh" }, { units: 1, activation: "sigmoid" }] },
    { registry, seed: 1 },
  );
  const step = createTrainStep(net, { loss: fakeMse, optimizer: fakeSgd(2), batchSize: 4 });
  let loss = Infinity;
  for (let i = 0; i < 3000; i++) loss = step.run(xor);
  assert.ok(loss < 0.01, `loss ${loss}`);
  assert.equal(step.lastCorrect, 4);
  const out = predict(net, xor.x);
  assert.deepEqual(Array.from(out.data, (v) => Math.round(v)), [0, 1, 1, 0]);
});

/** A float64 3-5-2 network (tanh, identity) and a batch of two rows for it. */
const tinyNet = () =>
  createNetwork(
    { inputs: 3, layers: [{ units: 5, activation: "tanh" }, { units: 2, activation: "identity" }] },
    { registry, seed: 7, dtype: "float64" },
  );
const TINY_BATCH: Batch = {
  x: { data: new Float64Array([0.1, -0.4, 0.9, 1.2, 0.3, -0.7]), rows: 2, cols: 3 },
  t: { data: new Float64Array([0.5, -0.2, 1.0, 0.3]), rows: 2, cols: 2 },
};

Deno.test("analytic gradients match central finite differences in float64", () => {
  const net = tinyNet(), batch = TINY_BATCH;
  const step = createGradientStep(net, { loss: fakeMse, batchSize: 2, l2: 0 });
  step.gradients(batch);
  const params = parameters(net);
  for (let p = 0; p < params.length; p++) {
    for (let i = 0; i < params[p].length; i++) {
      const keep = params[p][i], h = 1e-6;
      params[p][i] = keep + h;
      const up = step.evaluate(batch).loss;
      params[p][i] = keep - h;
      const down = step.evaluate(batch).loss;
      params[p][i] = keep;
      const measured = (up - down) / (2 * h);
      const declared = step.grads[p][i];
      const rel = Math.abs(declared - measured) /
        Math.max(1e-8, Math.abs(declared) + Math.abs(measured));
      assert.ok(rel < 1e-6, `param ${p}[${i}]: declared ${declared}, measured ${measured}`);
    }
  }
});

Deno.test("train step rejects a batch whose width does not match the network", () => {
  const net = createNetwork({ inputs: 2, layers: [{ units: 1 }] }, { registry });
  const step = createTrainStep(net, { loss: fakeMse, optimizer: fakeSgd(0.1), batchSize: 4 });
  assert.throws(
    () => step.run({ x: mat(1, 3, [1, 2, 3]), t: mat(1, 1, [0]) }),
    { name: "RangeError", message: /inputs have 3 columns but the network takes 2/ },
  );
});

Deno.test("train step rejects NaN in the data and names where it is", () => {
  const net = createNetwork({ inputs: 2, layers: [{ units: 1 }] }, { registry });
  const step = createTrainStep(net, { loss: fakeMse, optimizer: fakeSgd(0.1), batchSize: 4 });
  assert.throws(
    () => step.run({ x: mat(2, 2, [1, 2, 3, NaN]), t: mat(2, 1, [0, 1]) }),
    { name: "RangeError", message: /Invalid inputs: row 1, column 1 is NaN/ },
  );
});

Deno.test("gradient clipping bounds the global gradient norm", () => {
  const net = createNetwork({ inputs: 1, layers: [{ units: 1, init: "zeros" }] }, { registry });
  const step = createTrainStep(net, { loss: fakeMse, optimizer: fakeSgd(1, 0.5), batchSize: 1 });
  step.run({ x: mat(1, 1, [10]), t: mat(1, 1, [100]) }, { stats: true });
  const [w, b] = parameters(net);
  assert.ok(Math.abs(Math.hypot(w[0], b[0]) - 0.5) < 1e-6, `${w[0]} ${b[0]}`);
  const [stats] = step.stats();
  assert.ok(stats.gradNorm > 0 && stats.weightNorm > 0 && stats.updateRatio > 0);
});

Deno.test("a resumed optimizer state moves into the backend's memory, values kept", () => {
  const wasm = createWasmBackend({ memoryMiB: 8 });
  const momentum = { ...fakeSgd(0.1), name: "m1", slots: 1 };
  const network = createNetwork({ inputs: 2, layers: [{ units: 1, activation: "identity" }] }, {
    registry: createRegistry([fakeIdentity, fakeMse, momentum]),
    seed: 1,
  });
  const state = { t: 7, slots: [[Float32Array.from([1, 2])], [Float32Array.from([3])]] };
  const step = createTrainStep(network, {
    loss: fakeMse,
    optimizer: momentum,
    batchSize: 2,
    backend: wasm,
    state,
  });
  assert.equal(step.state.t, 7);
  assert.deepEqual(step.state.slots, state.slots);
  for (const slots of step.state.slots) {
    for (const s of slots) assert.equal(s.buffer, wasm.memory.buffer);
  }
  assert.equal(state.slots[0][0].buffer instanceof ArrayBuffer, true); // the caller's arrays are left alone
});

Deno.test("gradients with firstLayer false leave the first layer's gradients and expose dL/dz", () => {
  const net = tinyNet(), batch = TINY_BATCH;
  const step = createGradientStep(net, { loss: fakeMse, batchSize: 2 });
  const full = step.gradients(batch);
  const want = step.grads.map((g) => g.slice());
  for (const g of step.grads) g.fill(42);
  assert.equal(step.gradients(batch, { firstLayer: false }), full);
  assert.ok(step.grads[0].every((v) => v === 42) && step.grads[1].every((v) => v === 42));
  assert.deepEqual(step.grads.slice(2), want.slice(2));
  // dW1 = X^T dZ1 and db1 = column sums of dZ1, from the exposed delta.
  const dz = step.firstDelta, x = batch.x.data;
  for (let i = 0; i < 3; i++) {
    for (let j = 0; j < 5; j++) {
      const dw = x[i] * dz[j] + x[3 + i] * dz[5 + j];
      assert.ok(Math.abs(dw - want[0][i * 5 + j]) < 1e-15);
    }
  }
  for (let j = 0; j < 5; j++) assert.ok(Math.abs(dz[j] + dz[5 + j] - want[1][j]) < 1e-15);
});
