import assert from "node:assert/strict";
import type { Backend, GemmDims } from "./backend.ts";
import { tsBackend } from "./kernels.ts";
import { createWasmBackend, type WasmBackend, wasmSimdSupported } from "./wasm_backend.ts";

const wasm = createWasmBackend({ memoryMiB: 32 });
const VARIANTS = [wasm];
if (wasmSimdSupported({ relaxed: true })) {
  VARIANTS.push(createWasmBackend({ memoryMiB: 32, fma: true }));
}

function fill(x: Float32Array, seed: number): Float32Array {
  let s = seed;
  for (let i = 0; i < x.length; i++) {
    s = (Math.imul(s, 1103515245) + 12345) >>> 0;
    x[i] = (s >>> 8) / 2 ** 23 - 1;
  }
  return x;
}

/** Expects `actual` to equal `expected` within float32 rounding of a k-term sum of terms up to 1. */
function assertClose(actual: Float32Array, expected: Float32Array, k: number): void {
  assert.equal(actual.length, expected.length);
  const tol = 4e-7 * (k + 1);
  for (let i = 0; i < actual.length; i++) {
    if (Math.abs(actual[i] - expected[i]) > tol * Math.max(1, Math.abs(expected[i]))) {
      throw new Error(`Mismatch at ${i}: ${actual[i]} vs ${expected[i]} (k ${k})`);
    }
  }
}

function operands(backend: Backend, dims: GemmDims, seed: number) {
  const a = fill(backend.alloc(dims.m * dims.k), seed);
  const b = fill(backend.alloc(dims.k * dims.n), seed + 1);
  const c = fill(backend.alloc(dims.m * dims.n), seed + 2);
  return { a, b, c };
}

/** Runs one gemm on a wasm backend (operands in or outside its memory) and on tsBackend. */
function compare(backend: WasmBackend, dims: GemmDims, inside: boolean): void {
  const ref = operands(tsBackend, dims, 7);
  const got = operands(inside ? backend : tsBackend, dims, 7);
  tsBackend.gemm(ref.a, ref.b, ref.c, dims);
  backend.gemm(got.a, got.b, got.c, dims);
  assert.equal(got.c.buffer === backend.memory.buffer, inside);
  assertClose(got.c, ref.c, dims.k);
}

const SIZES: [number, number, number][] = [
  [1, 1, 1],
  [3, 5, 7],
  [6, 8, 4],
  [10, 16, 9],
  [65, 129, 33],
  [13, 1031, 300],
  [100, 17, 513],
  [7, 9, 0],
];
const LAYOUTS = [{}, { transA: true }, { transB: true }];

for (const backend of VARIANTS) {
  for (const layout of LAYOUTS) {
    const name = layout === LAYOUTS[0] ? "A B" : "transA" in layout ? "A^T B" : "A B^T";
    for (const accumulate of [false, true]) {
      const what = `${name}${accumulate ? " accumulating" : ""}`;
      Deno.test(`${backend.name} gemm ${what} matches tsBackend`, () => {
        for (const [m, n, k] of SIZES) {
          for (const inside of [true, false]) {
            compare(backend, { m, n, k, ...layout, accumulate }, inside);
          }
        }
      });
    }
  }
}

Deno.test("wasm gemm accepts Float64Array operands", () => {
  const dims = { m: 5, n: 9, k: 11, transB: true };
  const ref = operands(tsBackend, dims, 3);
  const c64 = new Float64Array(ref.c);
  wasm.gemm(new Float64Array(ref.a), new Float64Array(ref.b), c64, dims);
  tsBackend.gemm(ref.a, ref.b, ref.c, dims);
  assertClose(new Float32Array(c64), ref.c, dims.k);
});

for (const backend of VARIANTS) {
  Deno.test(`${backend.name} gemm is bit-identical from run to run, in or outside its memory`, () => {
    const dims = { m: 70, n: 300, k: 600, transB: true };
    const inside = operands(backend, dims, 11);
    const outside = operands(tsBackend, dims, 11);
    backend.gemm(inside.a, inside.b, inside.c, dims);
    const first = inside.c.slice();
    // Enough calls for the engine to tier the kernels up: its optimized code must agree.
    for (let i = 0; i < 50; i++) backend.gemm(inside.a, inside.b, inside.c, dims);
    backend.gemm(outside.a, outside.b, outside.c, dims);
    assert.deepStrictEqual(inside.c, first);
    assert.deepStrictEqual(outside.c, first);
    const other = createWasmBackend({ memoryMiB: 8, fma: backend.name !== wasm.name });
    const again = operands(other, dims, 11);
    other.gemm(again.a, again.b, again.c, dims);
    assert.deepStrictEqual(again.c, first);
  });
}

Deno.test("wasm addBias and colSums equal tsBackend exactly", () => {
  for (const [rows, cols] of [[1, 1], [3, 5], [17, 64], [9, 131]]) {
    for (const inside of [true, false]) {
      const backend = inside ? wasm : tsBackend;
      const c = fill(backend.alloc(rows * cols), rows), bias = fill(backend.alloc(cols), cols);
      const ref = c.slice();
      tsBackend.addBias(ref, bias, rows, cols);
      wasm.addBias(c, bias, rows, cols);
      assert.deepStrictEqual(c, ref);
      const out = fill(backend.alloc(cols), 5), refOut = new Float32Array(cols);
      tsBackend.colSums(c, refOut, rows, cols);
      wasm.colSums(c, out, rows, cols);
      assert.deepStrictEqual(out, refOut);
    }
  }
});

Deno.test("wasm alloc returns zeroed, 64-byte aligned views that survive later calls", () => {
  const backend = createWasmBackend({ memoryMiB: 2 });
  const x = backend.alloc(3);
  x.set([1, 2, 3]);
  backend.gemm(new Float32Array(64 * 64), new Float32Array(64 * 64), new Float32Array(64 * 64), {
    m: 64,
    n: 64,
    k: 64,
  });
  const y = backend.alloc(5);
  assert.deepStrictEqual(y, new Float32Array(5));
  assert.deepStrictEqual(x, new Float32Array([1, 2, 3]));
  assert(x.byteOffset % 64 === 0 && y.byteOffset % 64 === 0);
  assert.throws(() => backend.alloc(1 << 20), {
    name: "RangeError",
    message: /Out of wasm memory/,
  });
  assert.throws(() => backend.alloc(-1), RangeError);
});

Deno.test("wasm gemm rejects short arrays and transA with transB", () => {
  const x = wasm.alloc(4);
  assert.throws(() => wasm.gemm(x, x, x, { m: 2, n: 2, k: 3 }), {
    name: "TypeError",
    message: /Array too short/,
  });
  assert.throws(
    () => wasm.gemm(x, x, x, { m: 2, n: 2, k: 2, transA: true, transB: true }),
    { name: "TypeError", message: /Unsupported gemm layout/ },
  );
});

Deno.test("wasmSimdSupported is true in Deno, with and without relaxed SIMD", () => {
  assert(wasmSimdSupported());
  assert(wasmSimdSupported({ relaxed: true }));
  assert.equal(createWasmBackend({ memoryMiB: 2, fma: true }).name, "wasm-relaxed-simd");
});

Deno.test("createWasmBackend rejects a memory size out of range", () => {
  assert.throws(() => createWasmBackend({ memoryMiB: 1 }), RangeError);
  assert.throws(() => createWasmBackend({ memoryMiB: 4096 }), RangeError);
});
