// How long a pooled worker's warm-up takes on the real clock: its plugin
// lookup, setup and steps stop at 60 ms (plus the step under way), a wide
// network is cut down so that it stays within that, and a warm-up whose run
// has already started returns at once. _warm_up_test.ts checks the same
// behaviour on fake clocks.
import { warmUp } from "./_warm_up.ts";
import { flag, mnistLike } from "./_testing/warm_ups.ts";

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
