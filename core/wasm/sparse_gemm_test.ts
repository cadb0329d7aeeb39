// The wasm gemm leaves out the steps of A that are zero in a whole block (the
// blank borders of MNIST digits) and gives zero to slivers of a transposed A
// that are zero at every step (wasm/assembly/sparse.ts). Both must give the
// dense product's bits. The reference is the same kernel on the dense path:
// each zero of A replaced by the smallest float32 (2^-149), whose products
// with |b| < 0.5 round to zero, so the sums are the same, yet no column is
// all zero and nothing is skipped. Signed zeros may differ (=== holds).
import assert from "node:assert/strict";
import type { GemmDims } from "../math/backend.ts";
import { createWasmBackend, wasmSimdSupported } from "./wasm_backend.ts";

const TINY = 2 ** -149;
const backends = [createWasmBackend({ memoryMiB: 32 })];
if (wasmSimdSupported({ relaxed: true })) {
  backends.push(createWasmBackend({ memoryMiB: 32, fma: true }));
}

/** Values in (-0.5, 0.5) from a seeded generator, as in wasm_backend_test.ts. */
function values(length: number, seed: number): Float32Array {
  const x = new Float32Array(length);
  let s = seed;
  for (let i = 0; i < length; i++) {
    s = (Math.imul(s, 1103515245) + 12345) >>> 0;
    x[i] = ((s >>> 8) / 2 ** 23 - 1) * 0.499;
  }
  return x;
}

/**
 * A rows x cols with the columns `blank` picks zero in every row (one -0 among them),
 * and a few scattered zeros elsewhere.
 */
function withBlankColumns(rows: number, cols: number, blank: (j: number) => boolean, seed: number) {
  const a = values(rows * cols, seed);
  for (let i = 0; i < rows; i++) {
    for (let j = 0; j < cols; j++) {
      if (blank(j) || (i * 7 + j) % 11 === 0) a[i * cols + j] = 0;
    }
  }
  const firstBlank = Array.from({ length: cols }, (_, j) => j).find(blank);
  if (firstBlank !== undefined) a[firstBlank] = -0;
  return a;
}

function product(
  backend: (typeof backends)[number],
  a: Float32Array,
  dims: GemmDims,
  seed: number,
) {
  const { m, n, k } = dims;
  const inA = backend.alloc(a.length), b = backend.alloc(k * n), c = backend.alloc(m * n);
  inA.set(a), b.set(values(k * n, seed + 1)), c.set(values(m * n, seed + 2));
  const bias = backend.alloc(n), relu = backend.alloc(m * n);
  bias.set(values(n, seed + 3));
  backend.gemm(inA, b, c, {
    ...dims,
    ...(dims.transA ? {} : { bias, relu }),
  });
  return { c: Float32Array.from(c), relu: dims.transA ? undefined : Float32Array.from(relu) };
}

const dense = (a: Float32Array) => a.map((x) => (x === 0 ? TINY : x));

function assertSame(got: Float32Array, want: Float32Array, what: string) {
  assert.equal(got.length, want.length);
  for (let i = 0; i < got.length; i++) {
    if (!(got[i] === want[i])) assert.fail(`${what}: element ${i} is ${got[i]}, want ${want[i]}`);
  }
}

// Shapes: MNIST's first layer, k over one block of 256 (two and four blocks), m over one
// block of 96 rows, edge tiles in both directions, every column blank, none blank.
const shapes = [
  { m: 64, n: 128, k: 784 },
  { m: 100, n: 13, k: 300 },
  { m: 7, n: 9, k: 5 },
  { m: 33, n: 20, k: 64 },
];
const patterns: [string, (j: number) => boolean][] = [
  ["a border", (j) => j < 100 || j % 28 < 4 || j % 28 > 23],
  ["every other column", (j) => j % 2 === 0],
  ["all columns", () => true],
  ["no column", () => false],
];

Deno.test("a gemm whose A has columns of zeros gives the dense product's values", () => {
  for (const backend of backends) {
    for (const { m, n, k } of shapes) {
      for (const [name, blank] of patterns) {
        for (const accumulate of [false, true]) {
          const a = withBlankColumns(m, k, blank, m * k), dims = { m, n, k, accumulate };
          const got = product(backend, a, dims, 5), want = product(backend, dense(a), dims, 5);
          const what = `${backend.name} ${m}x${n}x${k}, ${name}, accumulate ${accumulate}`;
          assertSame(got.c, want.c, what);
          assertSame(got.relu!, want.relu!, `${what} (relu)`);
        }
      }
    }
  }
});

Deno.test("a gemm of a transposed A with rows of zeros (dW = X^T dZ) gives the dense product", () => {
  for (const backend of backends) {
    for (const { m, n, k } of shapes) {
      for (const [name, blank] of patterns) {
        for (const accumulate of [false, true]) {
          // Stored k x m: its blank columns are blank rows of op(A), rows of C.
          const a = withBlankColumns(k, m, blank, m * k + 1);
          const dims = { m, n, k, accumulate, transA: true };
          const got = product(backend, a, dims, 9), want = product(backend, dense(a), dims, 9);
          assertSame(
            got.c,
            want.c,
            `${backend.name} ${m}x${n}x${k}, ${name}, accumulate ${accumulate}`,
          );
        }
      }
    }
  }
});

Deno.test("zero skipping reads A's rows `lda` apart when A is a block of a wider matrix", () => {
  const blank = (j: number) => j % 3 === 0;
  for (const backend of backends) {
    for (const { m, n, k } of shapes) {
      // As is: m rows of k steps, 5 more (nonzero) floats after each row's k.
      const wide = withBlankColumns(m, k + 5, (j) => j < k && blank(j), 3 * m + k);
      const dims = { m, n, k, lda: k + 5 };
      const got = product(backend, wide, dims, 2), want = product(backend, dense(wide), dims, 2);
      assertSame(got.c, want.c, `${backend.name} ${m}x${n}x${k}, lda ${k + 5}`);
      assertSame(got.relu!, want.relu!, `${backend.name} ${m}x${n}x${k}, lda ${k + 5} (relu)`);
      // Transposed: k steps of m rows of op(A), 3 more floats after each.
      const wideT = withBlankColumns(k, m + 3, (j) => j < m && blank(j), 5 * m + k);
      const dimsT = { m, n, k, lda: m + 3, transA: true };
      const gotT = product(backend, wideT, dimsT, 4);
      const wantT = product(backend, dense(wideT), dimsT, 4);
      assertSame(gotT.c, wantT.c, `${backend.name} ${m}x${n}x${k} transposed, lda ${m + 3}`);
    }
  }
});

Deno.test("the zeros are really skipped: a NaN of B met only by zeros of A does not reach C", () => {
  const m = 64, n = 128, k = 784, blank = (j: number) => j % 28 < 4;
  for (const backend of backends) {
    // As is: B's rows at A's blank columns hold NaN; the dense product would be all NaN.
    const a = backend.alloc(m * k), b = backend.alloc(k * n), c = backend.alloc(m * n);
    a.set(withBlankColumns(m, k, blank, 11)), b.set(values(k * n, 12));
    for (let j = 0; j < k; j++) if (blank(j)) b.fill(NaN, j * n, (j + 1) * n);
    backend.gemm(a, b, c, { m, n, k });
    assert.ok(c.every(Number.isFinite), `${backend.name}: a NaN reached C`);
    // Transposed: slivers of 6 blank rows of op(A) give C rows of +0 though B holds a NaN.
    const at = backend.alloc(k * m), dz = backend.alloc(k * n), dw = backend.alloc(m * n);
    const rowsBlank = (i: number) => i < 12 || (i >= 30 && i < 36);
    at.set(withBlankColumns(k, m, rowsBlank, 13)), dz.set(values(k * n, 14));
    dz[7] = NaN;
    backend.gemm(at, dz, dw, { m, n, k, transA: true });
    for (let i = 0; i < m; i++) {
      const row = dw.subarray(i * n, (i + 1) * n);
      if (rowsBlank(i)) assert.ok(row.every((x) => Object.is(x, 0)), `${backend.name}: row ${i}`);
    }
  }
});
