// Entry point of the nagare WebAssembly SIMD backend (see core/wasm_backend.ts).
// All pointers are byte offsets into the imported memory; the caller owns every
// buffer, including the packing scratch (packScratchFloats() floats each for A
// and B), so this module allocates nothing and never grows memory.
//
// Goto/BLIS blocking: a KC x NC panel of B is packed once and stays in L2/L3,
// an MC x KC block of A is packed and stays in L2, and each KC x NR sliver of
// B stays in L1 while the micro-kernel sweeps the A block. Packing absorbs
// the layout (A or B stored transposed), so no transpose is ever materialized.
// Block sizes are constants and k is cut by k alone, so the summation order
// (and with plain SIMD every bit of the result) does not depend on the machine
// or on where the arrays live. Measured on Zen 4, the sizes barely matter
// (within 3%): the micro-kernel, not the memory, is the limit.

import { MR, NR, tile, tile4 } from "./kernel";
import { packA, packB } from "./pack";

export { addBias, colSums } from "./rows";

const KC: i32 = 256;
const MC: i32 = 96;
const NC: i32 = 1024;

/** Staging tile for edge tiles of C, which the micro-kernel cannot write in place. */
const edge: usize = memory.data(MR * NR * 4, 64);

/** First byte the caller may use: everything below belongs to this module. */
export function heapBase(): usize {
  return __heap_base;
}

/** Floats the caller must provide at `packA` and at `packB`. */
export function packScratchFloats(which: i32): i32 {
  return which == 0 ? MC * KC : KC * NC;
}

/**
 * C (m x n) = op(A) * op(B) (+ C if flags & 4). flags & 1: A is stored k x m;
 * flags & 2: B is stored n x k. All matrices are dense and row-major.
 */
export function gemm(
  a: usize, b: usize, c: usize, m: i32, n: i32, k: i32, flags: i32, pa: usize, pb: usize,
): void {
  const accumulate = (flags & 4) != 0;
  const rsA = flags & 1 ? 1 : k, csA = flags & 1 ? m : 1;
  const rsB = flags & 2 ? 1 : n, csB = flags & 2 ? k : 1;
  if (k == 0) {
    if (!accumulate) memory.fill(c, 0, <usize>(m * n) * 4);
    return;
  }
  const ldc = <usize>n * 4;
  // Equal k blocks: 784 = 4 x 196 rather than 3 x 256 + 16, a block that is all overhead.
  const kb = (k + KC - 1) / KC;
  const kstep = (k + kb - 1) / kb;
  for (let jc = 0; jc < n; jc += NC) {
    const nc = min(NC, n - jc);
    for (let pc = 0; pc < k; pc += kstep) {
      const kc = min(kstep, k - pc);
      const beta = accumulate || pc > 0 ? 1 : 0;
      packB(b + <usize>(pc * rsB + jc * csB) * 4, rsB, csB, kc, nc, pb);
      for (let ic = 0; ic < m; ic += MC) {
        const mc = min(MC, m - ic);
        packA(a + <usize>(ic * rsA + pc * csA) * 4, rsA, csA, mc, kc, pa);
        for (let jr = 0; jr < nc; jr += NR) {
          const nr = min(NR, nc - jr);
          const sb = pb + <usize>(jr * kc) * 4;
          for (let ir = 0; ir < mc; ir += MR) {
            const mr = min(MR, mc - ir);
            const sa = pa + <usize>(ir * kc) * 4;
            const cp = c + <usize>(ic + ir) * ldc + <usize>(jc + jr) * 4;
            if (nr == NR && mr == MR) tile(kc, sa, sb, cp, ldc, beta);
            else if (nr == NR && mr == 4) tile4(kc, sa, sb, cp, ldc, beta);
            else {
              if (mr <= 4) tile4(kc, sa, sb, edge, NR * 4, 0);
              else tile(kc, sa, sb, edge, NR * 4, 0);
              storeEdge(cp, ldc, mr, nr, beta);
            }
          }
        }
      }
    }
  }
}

/** Writes the valid mr x nr corner of the staging tile into C. */
function storeEdge(c: usize, ldc: usize, mr: i32, nr: i32, beta: i32): void {
  for (let i = 0; i < mr; i++) {
    const src = edge + <usize>(i * NR) * 4, dst = c + <usize>i * ldc;
    for (let j = 0; j < nr; j++) {
      const o = <usize>j * 4;
      const v = f32.load(src + o);
      f32.store(dst + o, beta ? f32.load(dst + o) + v : v);
    }
  }
}
