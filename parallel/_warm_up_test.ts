import assert from "node:assert/strict";
import { type WarmUp, warmUp } from "./_warm_up.ts";

const flag = (set = false) => {
  const stop = new Int32Array(new SharedArrayBuffer(4));
  if (set) stop[0] = 1;
  return stop;
};
const mnistLike: Omit<WarmUp, "backend"> = {
  spec: {
    inputs: 784,
    layers: [
      { units: 128, activation: "relu" },
      { units: 64, activation: "relu" },
      { units: 10, activation: "softmax" },
    ],
  },
  loss: "crossEntropy",
  optimizer: { name: "adam", params: { lr: 0.001 } },
  batchSize: 64,
};
const wide = {
  inputs: 4096,
  layers: [{ units: 4096, activation: "relu" }, { units: 10, activation: "softmax" }],
};

for (const backend of ["wasm-simd", "ts"]) {
  Deno.test(`a warm-up runs the step code for at most 60 ms (${backend})`, async () => {
    const began = performance.now();
    const steps = await warmUp({ ...mnistLike, backend }, flag());
    assert.ok(steps > 0, `${steps} warm-up steps`);
    assert.ok(performance.now() - began < 400, `${performance.now() - began} ms`);
  });
}

Deno.test("a warm-up cuts a wide network down, so that its time and memory stay small", async () => {
  const began = performance.now();
  const steps = await warmUp(
    { ...mnistLike, spec: wide, batchSize: 512, backend: "wasm-simd" },
    flag(),
  );
  assert.ok(steps > 0);
  assert.ok(performance.now() - began < 400, `${performance.now() - began} ms`);
});

Deno.test("a warm-up whose run has started, or that cannot be built, runs nothing and says nothing", async () => {
  const began = performance.now();
  assert.equal(await warmUp({ ...mnistLike, spec: wide, backend: "wasm-simd" }, flag(true)), 0);
  assert.ok(performance.now() - began < 100, `${performance.now() - began} ms`);
  assert.equal(
    await warmUp({ ...mnistLike, backend: "ts", optimizer: "no-such-optimizer" }, flag()),
    0,
  );
  assert.equal(await warmUp({ ...mnistLike, backend: "webgpu" }, flag()), 0);
});
