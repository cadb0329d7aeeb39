import assert from "node:assert/strict";
import { tsBackend } from "./kernels.ts";
import { createRng } from "./rng.ts";

const rng = createRng(11);
const rand = (n: number) => Float64Array.from({ length: n }, () => rng.normal());

/** Naive reference: C[i][j] = sum_p A(i,p) B(p,j) with the layouts spelled out. */
function reference(
  a: Float64Array,
  b: Float64Array,
  m: number,
  n: number,
  k: number,
  layout: string,
) {
  const c = new Float64Array(m * n);
  for (let i = 0; i < m; i++) {
    for (let j = 0; j < n; j++) {
      let s = 0;
      for (let p = 0; p < k; p++) {
        const av = layout === "TN" ? a[p * m + i] : a[i * k + p];
        const bv = layout === "NT" ? b[j * k + p] : b[p * n + j];
        s += av * bv;
      }
      c[i * n + j] = s;
    }
  }
  return c;
}

for (const layout of ["NN", "TN", "NT"]) {
  // n = 1 and k = 1 take the one-unit paths (matrix-vector, outer product).
  for (const [m, n, k] of [[1, 1, 1], [3, 5, 7], [9, 4, 6], [17, 13, 33], [6, 1, 5], [5, 7, 1]]) {
    Deno.test(`gemm ${layout} matches the naive product for ${m}x${k} by ${k}x${n}`, () => {
      const a = rand(m * k), b = rand(k * n);
      const c = new Float64Array(m * n).fill(99);
      tsBackend.gemm(a, b, c, { m, n, k, transA: layout === "TN", transB: layout === "NT" });
      const want = reference(a, b, m, n, k, layout);
      for (let i = 0; i < c.length; i++) assert.ok(Math.abs(c[i] - want[i]) < 1e-12);
      tsBackend.gemm(a, b, c, {
        m,
        n,
        k,
        transA: layout === "TN",
        transB: layout === "NT",
        accumulate: true,
      });
      for (let i = 0; i < c.length; i++) assert.ok(Math.abs(c[i] - 2 * want[i]) < 1e-12);
    });
    Deno.test(`gemm ${layout} adds a bias row (and writes its ReLU) in the same call for ${m}x${k} by ${k}x${n}`, () => {
      const a = rand(m * k), b = rand(k * n), bias = rand(n);
      const dims = { m, n, k, transA: layout === "TN", transB: layout === "NT", bias };
      const c = new Float64Array(m * n).fill(99);
      tsBackend.gemm(a, b, c, dims);
      const want = reference(a, b, m, n, k, layout).map((v, i) => v + bias[i % n]);
      for (let i = 0; i < c.length; i++) assert.ok(Math.abs(c[i] - want[i]) < 1e-12);
      tsBackend.gemm(a, b, c, { ...dims, accumulate: true });
      for (let i = 0; i < c.length; i++) assert.ok(Math.abs(c[i] - 2 * want[i]) < 1e-12);
      const y = new Float64Array(m * n).fill(99);
      tsBackend.gemm(a, b, c, { ...dims, relu: y });
      for (let i = 0; i < c.length; i++) {
        assert.ok(Math.abs(c[i] - want[i]) < 1e-12);
        assert.equal(y[i], Math.max(c[i], 0));
      }
    });
  }
}

Deno.test("addBias adds the bias to every row and colSums sums columns", () => {
  const c = new Float32Array([1, 2, 3, 4, 5, 6]);
  tsBackend.addBias(c, new Float32Array([10, 20, 30]), 2, 3);
  assert.deepEqual([...c], [11, 22, 33, 14, 25, 36]);
  const out = new Float32Array(3).fill(7);
  tsBackend.colSums(c, out, 2, 3);
  assert.deepEqual([...out], [25, 47, 69]);
});

Deno.test("gemm refuses a layout dense layers never need", () => {
  assert.throws(
    () =>
      tsBackend.gemm(new Float32Array(1), new Float32Array(1), new Float32Array(1), {
        m: 1,
        n: 1,
        k: 1,
        transA: true,
        transB: true,
      }),
    { name: "TypeError", message: /Unsupported gemm layout/ },
  );
});

for (const layout of ["NN", "TN", "NT"]) {
  for (const [m, n, k] of [[3, 5, 7], [9, 4, 6], [6, 1, 5], [5, 7, 1]]) {
    Deno.test(`gemm ${layout} reads A from a block of a wider matrix (lda) for ${m}x${k} by ${k}x${n}`, () => {
      const transA = layout === "TN", transB = layout === "NT";
      const [rows, cols] = transA ? [k, m] : [m, k], lda = cols + 3, offset = 2;
      const wide = rand(rows * lda), dense = new Float64Array(rows * cols);
      for (let r = 0; r < rows; r++) {
        for (let j = 0; j < cols; j++) dense[r * cols + j] = wide[r * lda + offset + j];
      }
      const b = rand(k * n), want = new Float64Array(m * n), got = new Float64Array(m * n);
      tsBackend.gemm(dense, b, want, { m, n, k, transA, transB });
      tsBackend.gemm(wide.subarray(offset), b, got, { m, n, k, transA, transB, lda });
      assert.deepStrictEqual(got, want);
    });
  }
}

Deno.test("gemm refuses an lda that is not a whole number at least as long as a stored row of A", () => {
  const a = rand(12), b = rand(12), c = new Float64Array(12);
  for (const lda of [0, 2, 2.5, -3]) {
    assert.throws(() => tsBackend.gemm(a, b, c, { m: 3, n: 3, k: 3, lda }), {
      name: "RangeError",
      message: `Invalid lda: ${lda} must be a whole number of at least 3`,
    });
  }
  assert.throws(() => tsBackend.gemm(a, b, c, { m: 4, n: 3, k: 2, transA: true, lda: 3 }), {
    message: "Invalid lda: 3 must be a whole number of at least 4",
  });
});

/**
 * The float32 rounding the TypeScript kernels promise for A·B and A^T·B:
 * C starts from the bias (or 0), then each term p in order is added and
 * rounded to float32; a zero entry of A adds nothing.
 */
function roundedReference(
  a: Float32Array,
  b: Float32Array,
  bias: Float32Array | undefined,
  m: number,
  n: number,
  k: number,
  transA: boolean,
): Float32Array {
  const c = new Float32Array(m * n);
  for (let i = 0; i < m; i++) {
    for (let j = 0; j < n; j++) {
      let s = bias ? bias[j] : 0;
      for (let p = 0; p < k; p++) {
        const x = transA ? a[p * m + i] : a[i * k + p];
        if (x !== 0) s = Math.fround(s + x * b[p * n + j]);
      }
      c[i * n + j] = s;
    }
  }
  return c;
}

for (const transA of [false, true]) {
  for (const [m, n, k] of [[4, 8, 2], [2, 8, 4], [9, 5, 7], [5, 3, 1]]) {
    Deno.test(`float32 gemm ${transA ? "TN" : "NN"} ${m}x${n} (k ${k}) rounds term by term, zeros in A skipped`, () => {
      const f = (len: number) => Float32Array.from({ length: len }, () => rng.normal());
      const a = f(m * k).map((v, i) => (i % 3 === 0 ? 0 : v)), b = f(k * n), bias = f(n);
      bias[0] = -0; // stays -0 where its terms are zero
      for (const withBias of [false, true]) {
        const c = new Float32Array(m * n).fill(99);
        tsBackend.gemm(a, b, c, { m, n, k, transA, ...(withBias ? { bias } : {}) });
        assert.deepEqual(c, roundedReference(a, b, withBias ? bias : undefined, m, n, k, transA));
      }
      // A term of -0 leaves +0, as adding it to a C of 0 does (n = 2: not the one-unit path).
      const c = new Float32Array(2).fill(99);
      tsBackend.gemm(new Float32Array([1]), new Float32Array([-0, 1]), c, {
        m: 1,
        n: 2,
        k: 1,
        transA,
      });
      assert.ok(Object.is(c[0], 0));
    });
  }
}
