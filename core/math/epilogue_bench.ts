// A dense layer's forward, x (64 x 784) · W (784 x 128) + b then ReLU, the
// first layer of W1: the epilogue fused into the product (`bias`, `relu`)
// against the product, then `addBias`, then the activation's own loop.
import type { Backend } from "./backend.ts";
import { tsBackend } from "./kernels.ts";
import { createWasmBackend } from "../wasm/wasm_backend.ts";

const m = 64, k = 784, n = 128;
const relu = (z: Float32Array, y: Float32Array): void => {
  for (let i = 0; i < m * n; i++) y[i] = z[i] > 0 ? z[i] : 0;
};

for (const backend of [tsBackend, createWasmBackend({ memoryMiB: 16 })] as Backend[]) {
  const x = backend.alloc(m * k), w = backend.alloc(k * n), b = backend.alloc(n);
  const z = backend.alloc(m * n), y = backend.alloc(m * n);
  for (let i = 0; i < x.length; i++) x[i] = ((i * 7919) % 255) / 255;
  for (let i = 0; i < w.length; i++) w[i] = ((i * 104729) % 1000) / 1000 - 0.5;
  for (let i = 0; i < n; i++) b[i] = (i % 7) / 10 - 0.3;
  const group = `dense 64x784x128 + bias + relu, ${backend.name}`;
  Deno.bench(`separate passes, ${backend.name}`, { group, baseline: true }, () => {
    backend.gemm(x, w, z, { m, n, k });
    backend.addBias(z, b, m, n);
    relu(z, y);
  });
  Deno.bench(`fused epilogue, ${backend.name}`, { group }, () => {
    backend.gemm(x, w, z, { m, n, k, bias: b, relu: y });
  });
}
