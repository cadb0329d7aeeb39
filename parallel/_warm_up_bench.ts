// How long a pooled worker's warm-up takes on the real clock: its plugin
// lookup, setup and steps stop at 60 ms (plus the step under way), a wide
// network is cut down so that it stays within that, and a warm-up whose run
// has already started returns at once. _warm_up_test.ts checks the same
// behaviour on fake clocks.
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
const group = "a pooled worker's warm-up (budget 60 ms)";

for (const backend of ["wasm-simd", "ts"]) {
  Deno.bench(`784-128-64-10 at batch 64 (${backend})`, { group, n: 10, warmup: 1 }, async () => {
    if (await warmUp({ ...mnistLike, backend }, flag()) === 0) throw new Error("no step ran");
  });
}
Deno.bench(
  "4096-4096-10 at batch 512, cut down (wasm-simd)",
  { group, n: 10, warmup: 1 },
  async () => {
    const run = { ...mnistLike, spec: wide, batchSize: 512, backend: "wasm-simd" };
    if (await warmUp(run, flag()) === 0) throw new Error("no step ran");
  },
);
Deno.bench("its run already started: returns at once", { group, n: 10, warmup: 1 }, async () => {
  const run = { ...mnistLike, spec: wide, backend: "wasm-simd" };
  if (await warmUp(run, flag(true)) !== 0) throw new Error("a step ran");
});
