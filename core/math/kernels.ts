import { type Backend, type GemmDims, rowStride } from "./backend.ts";
import type { Floats } from "./types.ts";

/**
 * C (m x n) += the terms p0..k-1 of op(A) * op(B), A's stored rows `lda`
 * apart: the three layouts below.
 */
type Product = (
  a: Floats,
  b: Floats,
  c: Floats,
  m: number,
  n: number,
  k: number,
  lda: number,
  p0: number,
) => void;

/**
 * C (m x n) = A (m x k, rows `lda` apart) * B (k x n). Loop order i-p-j keeps
 * the inner loop on contiguous rows of B and C; four rows of A at a time
 * reuse each row of B.
 */
const gemmNN: Product = (a, b, c, m, n, k, lda, p0) => {
  let i = 0;
  for (; i + 4 <= m; i += 4) {
    const c0 = i * n, c1 = c0 + n, c2 = c1 + n, c3 = c2 + n;
    const a0 = i * lda, a1 = a0 + lda, a2 = a1 + lda, a3 = a2 + lda;
    for (let p = p0; p < k; p++) {
      const x0 = a[a0 + p], x1 = a[a1 + p], x2 = a[a2 + p], x3 = a[a3 + p];
      if (x0 === 0 && x1 === 0 && x2 === 0 && x3 === 0) continue; // ReLU outputs and pixels are often 0
      const bp = p * n;
      for (let j = 0; j < n; j++) {
        const bv = b[bp + j];
        c[c0 + j] += x0 * bv;
        c[c1 + j] += x1 * bv;
        c[c2 + j] += x2 * bv;
        c[c3 + j] += x3 * bv;
      }
    }
  }
  for (; i < m; i++) {
    const ci = i * n, ai = i * lda;
    for (let p = p0; p < k; p++) {
      const x = a[ai + p];
      if (x === 0) continue;
      const bp = p * n;
      for (let j = 0; j < n; j++) c[ci + j] += x * b[bp + j];
    }
  }
};

/**
 * C (m x 1) = A * b, or A^T * b with A stored k x m (rows `lda` apart): a
 * layer of one unit (binary classifiers, regression), forward and weight
 * gradient. A dot product per entry; the general loops would run their inner
 * loop once.
 */
function matVec(
  a: Floats,
  b: Floats,
  c: Floats,
  m: number,
  k: number,
  lda: number,
  transA: boolean,
  accumulate: boolean,
  bias: number,
): void {
  // Strides of A along a row of the product and along the sum.
  const row = transA ? 1 : lda, step = transA ? lda : 1;
  for (let i = 0; i < m; i++) {
    let s = (accumulate ? c[i] : 0) + bias;
    for (let p = 0, at = i * row; p < k; p++, at += step) s += a[at] * b[p];
    c[i] = s;
  }
}

/**
 * C (m x n) = a (m x 1, entries `lda` apart) * b^T (1 x n): the input gradient
 * of a one-unit layer, an outer product.
 */
function outer(
  a: Floats,
  b: Floats,
  c: Floats,
  m: number,
  n: number,
  lda: number,
  accumulate: boolean,
): void {
  for (let i = 0; i < m; i++) {
    const x = a[i * lda], ci = i * n;
    if (accumulate) { for (let j = 0; j < n; j++) c[ci + j] += x * b[j]; }
    else for (let j = 0; j < n; j++) c[ci + j] = x * b[j];
  }
}

/**
 * C (m x n) = A^T * B with A stored k x m (rows `lda` apart): dW = X^T dZ.
 * Streams rows of A and B together.
 */
const gemmTN: Product = (a, b, c, m, n, k, lda, p0) => {
  for (let p = p0; p < k; p++) {
    const ap = p * lda, bp = p * n;
    for (let i = 0; i < m; i++) {
      const x = a[ap + i];
      if (x === 0) continue;
      const ci = i * n;
      for (let j = 0; j < n; j++) c[ci + j] += x * b[bp + j];
    }
  }
};

/**
 * C (m x n) = A (rows `lda` apart) * B^T with B stored n x k: dX = dZ W^T.
 * Each entry is a dot product of two contiguous rows.
 */
const gemmNT: Product = (a, b, c, m, n, k, lda, p0) => {
  if (p0 !== 0) throw new RangeError("gemmNT sums whole rows: p0 must be 0");
  for (let i = 0; i < m; i++) {
    const ai = i * lda, ci = i * n;
    for (let j = 0; j < n; j++) {
      const bj = j * k;
      let s0 = 0, s1 = 0, s2 = 0, s3 = 0, p = 0;
      for (; p + 4 <= k; p += 4) {
        s0 += a[ai + p] * b[bj + p];
        s1 += a[ai + p + 1] * b[bj + p + 1];
        s2 += a[ai + p + 2] * b[bj + p + 2];
        s3 += a[ai + p + 3] * b[bj + p + 3];
      }
      for (; p < k; p++) s0 += a[ai + p] * b[bj + p];
      c[ci + j] += s0 + s1 + s2 + s3;
    }
  }
};

function gemm(a: Floats, b: Floats, c: Floats, dims: GemmDims): void {
  product(a, b, c, dims);
  const y = dims.relu;
  if (y) { for (let i = 0, size = dims.m * dims.n; i < size; i++) y[i] = c[i] > 0 ? c[i] : 0; }
}

function product(a: Floats, b: Floats, c: Floats, dims: GemmDims): void {
  const { m, n, k } = dims;
  if (dims.transA && dims.transB) {
    throw new TypeError(
      "Unsupported gemm layout: transA and transB together are not needed by dense layers",
    );
  }
  const accumulate = dims.accumulate === true, bias = dims.bias, transA = dims.transA === true;
  const lda = rowStride(m, k, transA, dims.lda);
  if (n === 1 && !dims.transB) {
    return matVec(a, b, c, m, k, lda, transA, accumulate, bias ? bias[0] : 0);
  }
  if (!accumulate && !dims.transB && k > 0) {
    // C = bias (or 0) + the first term, written without reading C: no pass of its own to start C.
    firstTerm(a, b, c, m, n, transA ? 1 : lda, bias);
    return transA ? gemmTN(a, b, c, m, n, k, lda, 1) : gemmNN(a, b, c, m, n, k, lda, 1);
  }
  // With a bias, C starts from the bias rows (or C + bias): the bias needs no pass of its own.
  if (bias) startFromBias(c, bias, m, n, accumulate);
  const add = accumulate || bias !== undefined; // C already holds what the product adds to
  if (k === 1 && dims.transB) return outer(a, b, c, m, n, lda, add);
  if (!add) zero(c, m * n);
  if (transA) gemmTN(a, b, c, m, n, k, lda, 0);
  else if (dims.transB) gemmNT(a, b, c, m, n, k, lda, 0);
  else gemmNN(a, b, c, m, n, k, lda, 0);
}

/**
 * C (m x n) = start + the first term of the product: column 0 of op(A)
 * (entries `stride` apart) times row 0 of B, with start the bias in every
 * row, or 0. Rounds as adding the term to a C holding the start would,
 * except that a zero entry of A adds nothing (a -0 start stays -0). The later
 * terms skip zeros of A only where four rows at once are zero, so there a
 * -0 sum or an infinite B can come out differently by how rows are grouped.
 */
function firstTerm(
  a: Floats,
  b: Floats,
  c: Floats,
  m: number,
  n: number,
  stride: number,
  bias: Floats | undefined,
): void {
  for (let i = 0; i < m; i++) {
    const x = a[i * stride], ci = i * n;
    if (bias) {
      if (x === 0) { for (let j = 0; j < n; j++) c[ci + j] = bias[j]; }
      else for (let j = 0; j < n; j++) c[ci + j] = bias[j] + x * b[j];
    } else if (x === 0) { for (let j = 0; j < n; j++) c[ci + j] = 0; }
    else for (let j = 0; j < n; j++) c[ci + j] = 0 + x * b[j]; // 0 + x: a -0 term gives +0, as from 0
  }
}

/** Sets c[0..size) to 0: a loop for the small sizes of tiny networks, where `fill`'s call costs more. */
function zero(c: Floats, size: number): void {
  if (size > 64) c.fill(0, 0, size);
  else for (let i = 0; i < size; i++) c[i] = 0;
}

/** C = the bias in every row, or C += bias when accumulating. */
function startFromBias(c: Floats, bias: Floats, rows: number, cols: number, accumulate: boolean) {
  if (accumulate) return addBias(c, bias, rows, cols);
  for (let i = 0; i < rows; i++) {
    const o = i * cols;
    for (let j = 0; j < cols; j++) c[o + j] = bias[j];
  }
}

function addBias(c: Floats, bias: Floats, rows: number, cols: number): void {
  for (let i = 0; i < rows; i++) {
    const o = i * cols;
    for (let j = 0; j < cols; j++) c[o + j] += bias[j];
  }
}

function colSums(a: Floats, out: Floats, rows: number, cols: number): void {
  if (rows === 0) {
    out.fill(0, 0, cols);
    return;
  }
  for (let j = 0; j < cols; j++) out[j] = 0 + a[j]; // 0 + x: a column of -0 sums to +0, as from 0
  for (let i = 1; i < rows; i++) {
    const o = i * cols;
    for (let j = 0; j < cols; j++) out[j] += a[o + j];
  }
}

/**
 * The pure TypeScript backend: always available, cache-friendly loops, no
 * allocation. The edge inference path uses only this one.
 *
 * @example
 * ```ts
 * import { tsBackend } from "./kernels.ts";
 * const c = new Float32Array(1);
 * tsBackend.gemm(new Float32Array([1, 2]), new Float32Array([3, 4]), c, { m: 1, n: 1, k: 2 });
 * // c[0] === 11
 * ```
 */
export const tsBackend: Backend = {
  name: "ts",
  epilogue: true,
  alloc: (length) => new Float32Array(length),
  gemm,
  addBias,
  colSums,
};
