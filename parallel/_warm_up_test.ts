import assert from "node:assert/strict";
import { warmUp } from "./_warm_up.ts";

const mnistLike = {
  spec: {
    inputs: 784,
    layers: [{ units: 128, activation: "relu" }, { units: 64, activation: "relu" }, {
      units: 10,
      activation: "softmax",
    }],
  },
  loss: "crossEntropy",
  optimizer: { name: "adam", params: { lr: 0.001 } },
  batchSize: 64,
};

for (const backend of ["wasm-simd", "ts"]) {
  Deno.test(`a warm-up runs the step code until told to stop (${backend})`, async () => {
    const steps = await warmUp({ ...mnistLike, backend }, new Int32Array(new SharedArrayBuffer(4)));
    assert.ok(steps > 0, `${steps} warm-up steps`);
  });
}

Deno.test("a warm-up stops at once when its run has started, and skips what it cannot build", async () => {
  const stopped = new Int32Array(new SharedArrayBuffer(4));
  stopped[0] = 1;
  assert.equal(await warmUp({ ...mnistLike, backend: "wasm-simd" }, stopped), 0);
  const unknown = { ...mnistLike, backend: "ts", optimizer: "no-such-optimizer" };
  assert.equal(await warmUp(unknown, new Int32Array(new SharedArrayBuffer(4))), 0);
});
