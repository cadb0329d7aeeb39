import assert from "node:assert/strict";
import type { Backend, GemmDims } from "../math/backend.ts";
import { adamConstants, adamSettings, adamUpdate } from "../math/adam_rule.ts";
import { tsBackend } from "../math/kernels.ts";
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

for (const backend of VARIANTS) {
  Deno.test(`${backend.name} gemm fuses the bias and the ReLU like tsBackend`, () => {
    for (const layout of LAYOUTS) {
      for (const [m, n, k] of SIZES) {
        for (const accumulate of [false, true]) {
          for (const inside of [true, false]) {
            const home = inside ? backend : tsBackend;
            const ref = operands(tsBackend, { m, n, k }, 5), got = operands(home, { m, n, k }, 5);
            const bias = fill(tsBackend.alloc(n), 9), gotBias = fill(home.alloc(n), 9);
            const y = tsBackend.alloc(m * n).fill(99), gotY = home.alloc(m * n).fill(99);
            const dims = { m, n, k, ...layout, accumulate };
            tsBackend.gemm(ref.a, ref.b, ref.c, { ...dims, bias, relu: y });
            backend.gemm(got.a, got.b, got.c, { ...dims, bias: gotBias, relu: gotY });
            assertClose(got.c, ref.c, k + 1);
            for (let i = 0; i < m * n; i++) {
              assert.equal(gotY[i], got.c[i] > 0 ? got.c[i] : 0, `relu at ${i}, ${m}x${n}x${k}`);
            }
          }
        }
      }
    }
  });
}

Deno.test("wasm gemm's fused bias gives the same bits wherever the rows are cut", () => {
  // A data-parallel step computes a layer on row slices: 64 rows at once or 2 x 32 rows (edge tiles differ).
  const m = 64, n = 21, k = 50;
  const { a, b } = operands(wasm, { m, n, k }, 3), bias = fill(wasm.alloc(n), 4);
  const whole = wasm.alloc(m * n), parts = wasm.alloc(m * n);
  wasm.gemm(a, b, whole, { m, n, k, bias });
  for (const [start, rows] of [[0, 32], [32, 32], [0, 5], [5, 27]]) {
    wasm.gemm(
      a.subarray(start * k, (start + rows) * k),
      b,
      parts.subarray(start * n, (start + rows) * n),
      {
        m: rows,
        n,
        k,
        bias,
      },
    );
  }
  assert.deepStrictEqual(parts, whole);
});

for (const backend of VARIANTS) {
  Deno.test(`${backend.name} gemm with lda gives the bits of a dense copy of A, rows of dW cut anywhere`, () => {
    // A data-parallel step computes rows [r0, r1) of dW = X^T dZ: columns r0..r1 of X, rows lda apart.
    const batch = 64, inputs = 50, units = 21;
    const x = fill(backend.alloc(batch * inputs), 5), dz = fill(backend.alloc(batch * units), 6);
    const whole = backend.alloc(inputs * units);
    backend.gemm(x, dz, whole, { m: inputs, n: units, k: batch, transA: true });
    for (const inside of [true, false]) {
      const xs = inside ? x : x.slice(), parts = new Float32Array(inputs * units);
      for (const [r0, r1] of [[0, 6], [6, 13], [13, 44], [44, 50]]) {
        backend.gemm(xs.subarray(r0), dz, parts.subarray(r0 * units, r1 * units), {
          m: r1 - r0,
          n: units,
          k: batch,
          transA: true,
          lda: inputs,
        });
      }
      assert.deepStrictEqual(parts, new Float32Array(whole));
    }
    const dims = { m: 9, n: 13, k: 11 }, lda = 17;
    const wide = fill(backend.alloc(dims.m * lda), 7), b = fill(backend.alloc(dims.k * dims.n), 8);
    const dense = backend.alloc(dims.m * dims.k);
    for (let i = 0; i < dims.m; i++) {
      dense.set(wide.subarray(i * lda + 2, i * lda + 2 + dims.k), i * dims.k);
    }
    const want = backend.alloc(dims.m * dims.n), got = backend.alloc(dims.m * dims.n);
    backend.gemm(dense, b, want, dims);
    backend.gemm(wide.subarray(2), b, got, { ...dims, lda });
    assert.deepStrictEqual(got, want);
  });
}

Deno.test("gemm with lda and no rows of A (an empty batch, an empty block) gives zeros", () => {
  for (const backend of [tsBackend, ...VARIANTS]) {
    for (const inside of [true, false]) {
      const take = (n: number, v: number) => {
        const a = inside ? backend.alloc(n) : new Float32Array(n);
        return a.fill(v);
      };
      // k = 0 with A stored transposed: dW of a batch with no rows.
      const c = take(6, 9);
      backend.gemm(take(0, 1), take(0, 1), c, { m: 2, n: 3, k: 0, transA: true, lda: 4 });
      assert.deepStrictEqual(Array.from(c), [0, 0, 0, 0, 0, 0], `${backend.name} k = 0`);
      // m = 0: no rows of output at all.
      backend.gemm(take(0, 1), take(6, 1), take(0, 1), { m: 0, n: 3, k: 2, lda: 8 });
    }
  }
});

Deno.test("wasm gemm rejects an lda shorter than a row of A", () => {
  const x = wasm.alloc(64);
  assert.throws(() => wasm.gemm(x, x, x, { m: 2, n: 2, k: 3, lda: 2 }), {
    name: "RangeError",
    message: /Invalid lda: 2 must be a whole number of at least 3/,
  });
});

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

Deno.test("wasm weightedSum rounds exactly like the TypeScript loop, dropping zero weights", () => {
  for (const n of [1, 7, 4096]) {
    for (const inside of [true, false]) {
      const backend = inside ? wasm : tsBackend;
      const a = fill(backend.alloc(n), n), b = fill(backend.alloc(n), n + 1);
      a[0] = NaN; // a zero weight must drop the NaN with its term
      for (const [wa, wb] of [[0.5, 0.5], [31 / 64, 33 / 64], [0, 1], [1 / 3, 2 / 3]]) {
        const out = backend.alloc(n), ref = new Float32Array(n);
        for (let i = 0; i < n; i++) {
          ref[i] = wa === 0 ? wb * b[i] : wb === 0 ? wa * a[i] : wa * a[i] + wb * b[i];
        }
        wasm.weightedSum(a, b, out, wa, wb);
        assert.deepStrictEqual(out, ref);
      }
    }
  }
});

Deno.test("backends over one shared memory allocate in their own heaps and compute the same bits", () => {
  const memory = new WebAssembly.Memory({ initial: 64, maximum: 64, shared: true });
  const heaps = [{ start: 65536, end: 2 << 20 }, { start: 2 << 20, end: 4 << 20 }];
  const [one, two] = heaps.map((heap) => createWasmBackend({ memory, heap }));
  assert.equal(one.memory, memory);
  const dims = { m: 32, n: 40, k: 50 };
  const ref = operands(wasm, dims, 5);
  wasm.gemm(ref.a, ref.b, ref.c, dims);
  for (const [backend, heap] of [[one, heaps[0]], [two, heaps[1]]] as const) {
    const got = operands(backend, dims, 5);
    assert(got.a.byteOffset >= heap.start && got.c.byteOffset + got.c.byteLength <= heap.end);
    backend.gemm(got.a, got.b, got.c, dims);
    assert.deepStrictEqual(got.c, ref.c);
  }
  // A module compiled for a shared memory is reused as it is.
  const three = createWasmBackend({ memory, module: one.module, heap: heaps[1] });
  assert.equal(three.module, one.module);
});

Deno.test("createWasmBackend rejects a heap outside its memory", () => {
  const memory = new WebAssembly.Memory({ initial: 2, maximum: 2 });
  assert.throws(() => createWasmBackend({ memory, heap: { start: 0, end: 1 << 20 } }), {
    name: "RangeError",
    message: /Invalid heap/,
  });
});

Deno.test("wasm adam is bit-identical to the TypeScript rule, in or outside its memory", () => {
  for (const n of [1, 3, 4, 7, 1001]) {
    const inside = [wasm.alloc(n), wasm.alloc(n), wasm.alloc(n), wasm.alloc(n)];
    const outside = [
      new Float32Array(n),
      new Float32Array(n),
      new Float32Array(n),
      new Float32Array(n),
    ];
    const ts = [new Float32Array(n), new Float32Array(n), new Float32Array(n), new Float32Array(n)];
    for (let i = 0; i < n; i++) {
      for (const [p] of [inside, outside, ts]) p[i] = Math.sin(i) * 3;
    }
    const settings = adamSettings({ beta1: 0.85, weightDecay: 0.01 });
    for (let t = 1; t <= 5; t++) {
      for (let i = 0; i < n; i++) {
        const g = Math.cos(i * t) * 10 ** ((i % 9) - 5);
        inside[1][i] = outside[1][i] = ts[1][i] = g;
      }
      const c = adamConstants(settings, 1e-3, t);
      wasm.adam!(inside[0], inside[1], inside[2], inside[3], c);
      wasm.adam!(outside[0], outside[1], outside[2], outside[3], c);
      adamUpdate(ts[0], ts[1], ts[2], ts[3], c);
    }
    for (const k of [0, 2, 3]) {
      assert.deepEqual(inside[k], ts[k], `n = ${n}, array ${k}`);
      assert.deepEqual(outside[k], ts[k], `n = ${n}, array ${k}`);
    }
  }
});

Deno.test("wasm reluBackward gives the bits of the plugin's loop, in or outside its memory", () => {
  // Edge values on both sides: -0 where dy < 0 and z <= 0, NaN kept, the kink at 0 gated off.
  const zs = [1, -1, 0, -0, 2.5, -3, NaN, Infinity, -Infinity, 1e-40, -1e-40];
  const dys = [-2, 3, -0.5, 0.25, NaN, -Infinity, 1, -1, 7, -7, 0.5];
  const n = 11 * 7; // 77: the SIMD body and a tail of one
  const z = fill(wasm.alloc(n), 3), dy = fill(wasm.alloc(n), 4), dz = wasm.alloc(n);
  zs.forEach((v, i) => (z[i] = v, dy[i] = dys[i]));
  const want = new Float32Array(n).map((_, i) => dy[i] * (z[i] > 0 ? 1 : 0));
  wasm.reluBackward(z, dy, dz, n);
  const outside = new Float32Array(n);
  wasm.reluBackward(z.slice(), dy.slice(), outside, n);
  for (let i = 0; i < n; i++) {
    assert.ok(Object.is(dz[i], want[i]), `in memory, element ${i}: ${dz[i]} vs ${want[i]}`);
    assert.ok(Object.is(outside[i], want[i]), `outside, element ${i}: ${outside[i]} vs ${want[i]}`);
  }
  assert.throws(() => wasm.reluBackward(z, dy, dz, n + 1), /Array too short: z has 77 elements/);
});

Deno.test("the last rows of a product (m % 6 of 1 to 5) get the bits a full tile gives them", () => {
  const k = 300, n = 20, rows = 12;
  for (const backend of VARIANTS) {
    const a = backend.alloc(rows * k), b = backend.alloc(k * n), bias = backend.alloc(n);
    a.set(fill(new Float32Array(rows * k), 3)), b.set(fill(new Float32Array(k * n), 4));
    bias.set(fill(new Float32Array(n), 5));
    const full = backend.alloc(rows * n), relu = backend.alloc(rows * n);
    backend.gemm(a, b, full, { m: rows, n, k, bias, relu });
    for (const m of [7, 8, 9, 10, 11]) {
      const c = backend.alloc(m * n), y = backend.alloc(m * n);
      backend.gemm(a, b, c, { m, n, k, bias, relu: y });
      // Rows 6.. are an edge sliver of m rows, and in the middle of a full tile of 12.
      assert.deepEqual(c.subarray(6 * n), full.subarray(6 * n, m * n), `${backend.name}, m ${m}`);
      assert.deepEqual(y.subarray(6 * n), relu.subarray(6 * n, m * n), `${backend.name}, m ${m}`);
    }
  }
});
