// The products without packing (wasm/assembly/few.ts `gemvRows`, which the
// inference engine runs for one to four rows) must give the bits the packed
// product gives for the same m: the same blocks of k, the same order of the sums, the same
// zeros left out (for several rows, only the steps where every row is ±0),
// the same bias and ReLU, in both builds (a relaxed one fuses the same way).
// Compared element by element with Object.is, so signed zeros and NaN count
// too.
import assert from "node:assert/strict";
import { kernelModule, type Kernels, wasmSimdSupported } from "./_kernels.ts";

const builds = wasmSimdSupported() ? [false] : [];
if (wasmSimdSupported({ relaxed: true })) builds.push(true);

/** Values in (-1, 1) from a seeded generator, with zeros (one -0) where `zero` says. */
function values(length: number, seed: number, zero = (_: number) => false): Float32Array {
  const x = new Float32Array(length);
  let s = seed;
  for (let i = 0; i < length; i++) {
    s = (Math.imul(s, 1103515245) + 12345) >>> 0;
    x[i] = zero(i) ? (i % 2 ? -0 : 0) : (s >>> 8) / 2 ** 23 - 1;
  }
  return x;
}

function instance(fma: boolean) {
  const memory = new WebAssembly.Memory({ initial: 256 }); // 16 MiB
  const kernels = new WebAssembly.Instance(kernelModule(fma, false), { env: { memory } })
    .exports as unknown as Kernels;
  let top = kernels.heapBase();
  const alloc = (floats: number): Float32Array => {
    const at = Math.ceil(top / 64) * 64;
    top = at + floats * 4;
    return new Float32Array(memory.buffer, at, floats);
  };
  const pa = alloc(kernels.packScratchFloats(0)), pb = alloc(kernels.packScratchFloats(1));
  const floor = top;
  /** Frees every array made after the packing scratch. */
  const reset = () => (top = floor);
  /**
   * One row `a` times `b` (k x n) by gemm and by gemvRows (m = 1), with the bias
   * and ReLU when `bias` is given; C starts at 9 in both.
   */
  const both = (a: Float32Array, b: Float32Array, n: number, k: number, bias?: Float32Array) => {
    const c1 = alloc(n).fill(9), y1 = alloc(n), c2 = alloc(n).fill(9), y2 = alloc(n);
    const bp = bias?.byteOffset ?? 0, y = (to: Float32Array) => (bias ? to.byteOffset : 0);
    const [pA, pB, pC1, pC2] = [a.byteOffset, b.byteOffset, c1.byteOffset, c2.byteOffset];
    kernels.gemm(pA, pB, pC1, 1, n, k, 0, pa.byteOffset, pb.byteOffset, bp, y(y1), 0);
    kernels.gemvRows(pA, pB, pC2, 1, n, k, bp, y(y2));
    return { c1, y1, c2, y2 };
  };
  /**
   * `m` rows `a` times `b` (k x n) by gemm and by gemvRows, with the bias and
   * ReLU when `bias` is given; C starts at 9 in both.
   */
  const rows = (
    a: Float32Array,
    b: Float32Array,
    m: number,
    n: number,
    k: number,
    bias?: Float32Array,
  ) => {
    const c1 = alloc(m * n).fill(9), y1 = alloc(m * n), c2 = alloc(m * n).fill(9);
    const y2 = alloc(m * n);
    const bp = bias?.byteOffset ?? 0, y = (to: Float32Array) => (bias ? to.byteOffset : 0);
    const [pA, pB, pC1, pC2] = [a.byteOffset, b.byteOffset, c1.byteOffset, c2.byteOffset];
    kernels.gemm(pA, pB, pC1, m, n, k, 0, pa.byteOffset, pb.byteOffset, bp, y(y1), 0);
    kernels.gemvRows(pA, pB, pC2, m, n, k, bp, y(y2));
    return { c1, y1, c2, y2 };
  };
  return { alloc, both, rows, reset, kernels };
}

for (const fma of builds) {
  Deno.test(`one row without packing gives the packed product's bits (${fma ? "relaxed" : "plain"} SIMD)`, () => {
    const { alloc, both } = instance(fma);
    const zeros: [string, (i: number) => boolean][] = [
      ["dense", () => false],
      ["a third zero", (i) => i % 3 === 0],
      ["a blank run", (i) => i >= 40 && i < 300],
      ["all zero", () => true],
    ];
    let cases = 0;
    for (const n of [1, 3, 4, 7, 16, 20, 21, 128]) {
      for (const k of [1, 5, 196, 257, 784, 1000]) {
        for (const [, zero] of zeros) {
          for (const epilogue of [false, true]) {
            const a = alloc(k), b = alloc(k * n), bias = alloc(n);
            a.set(values(k, n + k, zero));
            b.set(values(k * n, 7 * n + k));
            bias.set(values(n, 3 * n + k));
            if (k > 1 && a[1] === 0) b[n] = NaN; // behind a zero of a: unseen in both
            const { c1, y1, c2, y2 } = both(a, b, n, k, epilogue ? bias : undefined);
            for (let j = 0; j < n; j++) {
              assert.ok(Object.is(c2[j], c1[j]), `n ${n}, k ${k}, C[${j}]: ${c2[j]} vs ${c1[j]}`);
              if (epilogue) assert.ok(Object.is(y2[j], y1[j]), `n ${n}, k ${k}, y[${j}]`);
            }
            cases++;
          }
        }
      }
    }
    assert.equal(cases, 8 * 6 * 4 * 2);
    // Signs of zero and a NaN in a, with a -0 bias: an all-zero row leaves C at -0 after
    // one block (k = 3) and makes it +0 once a later block adds its +0 sum (k = 300: two
    // blocks); a NaN in a is no zero, and reaches every column.
    const n = 21;
    for (const [k, nanAt, want] of [[3, -1, -0], [300, -1, 0], [300, 299, NaN]]) {
      const a = alloc(k), b = alloc(k * n), bias = alloc(n).fill(-0);
      a.fill(0);
      if (nanAt >= 0) a[nanAt] = NaN;
      b.set(values(k * n, 5));
      const { c1, y1, c2, y2 } = both(a, b, n, k, bias);
      for (let j = 0; j < n; j++) {
        assert.ok(Object.is(c1[j], want), `gemm, k ${k}: C[${j}] is ${c1[j]}, expected ${want}`);
        assert.ok(
          Object.is(c2[j], want),
          `gemvRows, k ${k}: C[${j}] is ${c2[j]}, expected ${want}`,
        );
        assert.ok(Object.is(y2[j], y1[j]) && Object.is(y2[j], 0), `k ${k}: y[${j}]`);
      }
    }
    // k = 0: no steps at all, so C is the bias and y its ReLU, as gemm writes them.
    const bias = alloc(5);
    bias.set([1, -2, 0, -0, 3]);
    const { c1, c2, y2 } = both(alloc(0), alloc(0), 5, 0, bias);
    assert.deepEqual([...c2], [...c1]);
    assert.deepEqual([...y2], [1, 0, 0, 0, 3]);
  });
}

for (const fma of builds) {
  Deno.test(`a few rows without packing give the packed product's bits (${fma ? "relaxed" : "plain"} SIMD)`, () => {
    const { alloc, rows, reset, kernels } = instance(fma);
    // Zeros by row i and step p: a step zero in some rows only is kept for all of them.
    const zeros: [string, (i: number, p: number) => boolean][] = [
      ["dense", () => false],
      ["a third zero in all rows", (_, p) => p % 3 === 0],
      ["zeros in row 0 alone", (i, p) => i === 0 && p % 2 === 0],
      ["a blank run, ragged", (i, p) => p >= 40 + i && p < 300],
      ["all zero", () => true],
    ];
    let cases = 0;
    for (const m of [2, 3, 4]) {
      for (const n of [1, 3, 4, 7, 8, 12, 17, 20, 33, 128]) {
        for (const k of [1, 5, 196, 257, 784]) {
          for (const [name, zero] of zeros) {
            for (const epilogue of [false, true]) {
              reset();
              const a = alloc(m * k), b = alloc(k * n), bias = alloc(n);
              a.set(values(m * k, m + n + k, (at) => zero(Math.floor(at / k), at % k)));
              b.set(values(k * n, 7 * n + k));
              bias.set(values(n, 3 * n + k));
              // Behind a step zero in row 0 but not in row 1: the packed product adds
              // 0 · NaN to row 0 (NaN); behind a step zero in every row: unseen (an
              // infinity in every column there, which a step left in would turn to NaN).
              if (k > 2 && a[0] === 0 && a[k] !== 0) b[0] = NaN;
              const blank = Array.from({ length: k }, (_, p) => p)
                .find((p) =>
                  Array.from({ length: m }, (_, i) => a[i * k + p]).every((v) => v === 0)
                );
              if (blank !== undefined) b.fill(Infinity, blank * n, (blank + 1) * n);
              const { c1, y1, c2, y2 } = rows(a, b, m, n, k, epilogue ? bias : undefined);
              for (let j = 0; j < m * n; j++) {
                const at = `${m} rows, n ${n}, k ${k}, ${name}`;
                assert.ok(Object.is(c2[j], c1[j]), `${at}: C[${j}] ${c2[j]} vs ${c1[j]}`);
                if (epilogue) assert.ok(Object.is(y2[j], y1[j]), `${at}: y[${j}]`);
              }
              cases++;
            }
          }
        }
      }
    }
    assert.equal(cases, 3 * 10 * 5 * 5 * 2);
    // No rows write nothing, as in gemm; more than four are a caller's bug, and trap.
    reset();
    const c = alloc(4).fill(9), a4 = alloc(5 * 4), b4 = alloc(4 * 4);
    kernels.gemvRows(a4.byteOffset, b4.byteOffset, c.byteOffset, 0, 4, 4, 0, 0);
    assert.deepEqual([...c], [9, 9, 9, 9]);
    assert.throws(
      () => kernels.gemvRows(a4.byteOffset, b4.byteOffset, c.byteOffset, 5, 4, 4, 0, 0),
      WebAssembly.RuntimeError,
    );
    // k = 0: the bias in every row, and its ReLU, as gemm writes them.
    const bias = alloc(3);
    bias.set([1, -0, -2]);
    const { c1, c2, y2 } = rows(alloc(0), alloc(0), 2, 3, 0, bias);
    assert.deepEqual([...c2], [...c1]);
    assert.deepEqual([...y2], [1, 0, 0, 1, 0, 0]);
  });
}
