// The one-row product (wasm/assembly/gemm.ts `gemv`, which the inference
// engine runs for a single row) must give the bits the packed product gives
// for m = 1: the same blocks of k, the same order of the sums, the same zeros
// left out, the same bias and ReLU, in both builds (a relaxed one fuses the
// same way). Compared element by element with Object.is, so signed zeros and
// NaN count too.
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
  return { kernels, alloc, pa, pb };
}

for (const fma of builds) {
  Deno.test(`one row without packing gives the packed product's bits (${fma ? "relaxed" : "plain"} SIMD)`, () => {
    const { kernels, alloc, pa, pb } = instance(fma);
    const zeros: [string, (i: number) => boolean][] = [
      ["dense", () => false],
      ["a third zero", (i) => i % 3 === 0],
      ["a blank run", (i) => i >= 40 && i < 300],
      ["all zero", () => true],
    ];
    let cases = 0;
    for (const n of [1, 3, 4, 7, 16, 21, 128]) {
      for (const k of [1, 5, 196, 257, 784, 1000]) {
        for (const [, zero] of zeros) {
          for (const epilogue of [false, true]) {
            const a = alloc(k), b = alloc(k * n), bias = alloc(n);
            a.set(values(k, n + k, zero));
            b.set(values(k * n, 7 * n + k));
            bias.set(values(n, 3 * n + k));
            if (n * k > 8) b[5] = NaN; // a NaN behind a zero of a stays unseen in both, or shows in both
            const c1 = alloc(n), y1 = alloc(n), c2 = alloc(n), y2 = alloc(n);
            c1.fill(9), c2.fill(9);
            const bp = epilogue ? bias.byteOffset : 0;
            kernels.gemm(
              a.byteOffset,
              b.byteOffset,
              c1.byteOffset,
              1,
              n,
              k,
              0,
              pa.byteOffset,
              pb.byteOffset,
              bp,
              epilogue ? y1.byteOffset : 0,
              0,
            );
            kernels.gemv(
              a.byteOffset,
              b.byteOffset,
              c2.byteOffset,
              n,
              k,
              bp,
              epilogue ? y2.byteOffset : 0,
            );
            for (let j = 0; j < n; j++) {
              assert.ok(Object.is(c2[j], c1[j]), `n ${n}, k ${k}, C[${j}]: ${c2[j]} vs ${c1[j]}`);
              if (epilogue) assert.ok(Object.is(y2[j], y1[j]), `n ${n}, k ${k}, y[${j}]`);
            }
            cases++;
          }
        }
      }
    }
    assert.equal(cases, 7 * 6 * 4 * 2);
  });
}
