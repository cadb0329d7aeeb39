// W1's first-layer products on MNIST batches of 64 (real digits): the wasm kernel as it
// runs (steps and rows that are zero in the whole batch left out, the digits'
// blank borders) against its dense path, forced by putting the smallest float32
// (2^-149, whose products round to the same sums) where each zero was.
// `deno bench -A bench/mnist_gemm_bench.ts`
import { createWasmBackend } from "../core/wasm/wasm_backend.ts";
import { loadMnist } from "../jobs/datasets/mnist.ts";

const { train } = await loadMnist();
const wasm = createWasmBackend({ memoryMiB: 64 });
const BATCHES = 50, m = 64, k = 784, n = 128;
const rows = train.x.length / k;
/** Batch i: 64 digits spread over the set (it is sorted by digit), as a shuffled epoch takes them. */
const batch = (i: number, dense: boolean) => {
  const x = wasm.alloc(m * k);
  for (let r = 0; r < m; r++) {
    const row = ((i * m + r) * 997) % rows;
    x.set(train.x.subarray(row * k, (row + 1) * k), r * k);
  }
  if (dense) { for (let j = 0; j < x.length; j++) if (x[j] === 0) x[j] = 2 ** -149; }
  return x;
};
const sparse = Array.from({ length: BATCHES }, (_, i) => batch(i, false));
const dense = Array.from({ length: BATCHES }, (_, i) => batch(i, true));
// Filled in place: `map` would make arrays outside the kernels' memory, copied in at every call.
const w = wasm.alloc(k * n), b = wasm.alloc(n), dz = wasm.alloc(m * n);
for (let i = 0; i < w.length; i++) w[i] = Math.sin(i) * 0.05;
for (let i = 0; i < dz.length; i++) dz[i] = Math.cos(i) * 0.01;
const z = wasm.alloc(m * n), y = wasm.alloc(m * n), dW = wasm.alloc(k * n);
let next = 0;
const pick = (xs: Float32Array[]) => xs[next++ % BATCHES];

for (const [name, xs] of [["zeros skipped", sparse], ["dense path", dense]] as const) {
  Deno.bench(`forward x·W + b, ReLU (64x784 · 784x128), ${name}`, {
    group: "forward",
    baseline: name === "dense path",
    warmup: 3000, // until the engine tiers the kernels up (Liftoff, then TurboFan)
    n: 3000,
  }, () => wasm.gemm(pick(xs), w, z, { m, n, k, bias: b, relu: y }));
  Deno.bench(`weight gradient xᵀ·dz (784x64 · 64x128), ${name}`, {
    group: "weight gradient",
    baseline: name === "dense path",
    warmup: 3000, // until the engine tiers the kernels up (Liftoff, then TurboFan)
    n: 3000,
  }, () => wasm.gemm(pick(xs), dz, dW, { m: k, n, k: m, transA: true }));
}
