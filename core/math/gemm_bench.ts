// GEMM per backend on the shapes of the performance issue, m x k times k x n.
// Each case's name carries its flop count: GFLOPS = GFLOP / (time per iteration
// in s). `deno run -A bench/gflops.ts` prints that table directly. The pure
// TypeScript 1024 case takes about a second per run, so it runs few times.
import type { Backend, GemmDims } from "./backend.ts";
import { tsBackend } from "./kernels.ts";
import { createWasmBackend, wasmSimdSupported } from "../wasm/wasm_backend.ts";

const SHAPES: GemmDims[] = [
  { m: 64, n: 128, k: 784 },
  { m: 256, n: 256, k: 256 },
  { m: 1024, n: 1024, k: 1024 },
];

const backends: Backend[] = [tsBackend, createWasmBackend({ memoryMiB: 64 })];
if (wasmSimdSupported({ relaxed: true })) {
  backends.push(createWasmBackend({ memoryMiB: 64, fma: true }));
}

function operands(backend: Backend, dims: GemmDims) {
  const a = backend.alloc(dims.m * dims.k), b = backend.alloc(dims.k * dims.n);
  for (let i = 0; i < a.length; i++) a[i] = ((i * 7919) % 1000) / 1000 - 0.5;
  for (let i = 0; i < b.length; i++) b[i] = ((i * 104729) % 1000) / 1000 - 0.5;
  return { a, b, c: backend.alloc(dims.m * dims.n) };
}

for (const dims of SHAPES) {
  const size = dims.m * dims.n * dims.k;
  const shape = `${dims.m}x${dims.k}x${dims.n}`;
  const gflop = (2 * size / 1e9).toFixed(3);
  for (const backend of backends) {
    const { a, b, c } = operands(backend, dims);
    const slow = backend.name === "ts" && size > 1e8;
    Deno.bench(`gemm ${shape} (${gflop} GFLOP) ${backend.name}`, {
      group: `gemm ${shape}`,
      baseline: backend.name === "ts",
      ...(slow ? { n: 3, warmup: 1 } : size > 1e8 ? { n: 20, warmup: 5 } : {}),
    }, () => backend.gemm(a, b, c, dims));
  }
}

// The backward-pass layouts, which packing absorbs: they should cost the same as A * B.
const wasm = backends[1];
const dims = { m: 256, n: 256, k: 256 };
const { a, b, c } = operands(wasm, dims);
for (const layout of [{}, { transA: true }, { transB: true }, { accumulate: true }]) {
  const name = Object.keys(layout)[0] ?? "A B";
  Deno.bench(`gemm 256x256x256 ${wasm.name} ${name}`, { group: "wasm layouts" }, () => {
    wasm.gemm(a, b, c, { ...dims, ...layout });
  });
}

// The per-layer vector kernels, on a batch of 256 rows of 128 units.
const bias = wasm.alloc(128), sums = wasm.alloc(128), z = wasm.alloc(256 * 128);
for (const backend of [tsBackend, wasm]) {
  Deno.bench(`addBias 256x128 ${backend.name}`, {
    group: "addBias",
    baseline: backend === tsBackend,
  }, () => {
    backend.addBias(z, bias, 256, 128);
  });
  Deno.bench(`colSums 256x128 ${backend.name}`, {
    group: "colSums",
    baseline: backend === tsBackend,
  }, () => {
    backend.colSums(z, sums, 256, 128);
  });
}

// A batch of 64 split over two threads: 32 rows each are 5 slivers of 6 and 2
// rows, which the 2-row kernel computes in place (30 rows: whole slivers only).
for (const m of [64, 32, 30]) {
  const split = { m, n: 128, k: 784 }, ops = operands(wasm, split);
  Deno.bench(`gemm ${m}x784x128 ${wasm.name}`, {
    group: "rows of a split batch",
    baseline: m === 64,
  }, () => wasm.gemm(ops.a, ops.b, ops.c, split));
}
