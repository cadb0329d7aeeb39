// Entry point of the nagare WebAssembly SIMD backend (see core/wasm/wasm_backend.ts).
// All pointers are byte offsets into the imported memory; the caller owns every
// buffer, including the packing scratch (packScratchFloats() floats each for A
// and B; the A scratch ends with the staging tile of edge tiles), so this
// module allocates nothing, never grows memory and keeps no state in it:
// threads sharing one memory each pass their own scratch.
//
// Goto/BLIS blocking: a KC x NC panel of B is packed once and stays in L2/L3,
// an MC x KC block of A is packed and stays in L2, and each KC x NR sliver of
// B stays in L1 while the micro-kernel sweeps the A block. Packing absorbs
// the layout (A or B stored transposed), so no transpose is ever materialized.
// Block sizes are constants and k is cut by k alone, so the summation order
// (and with plain SIMD every bit of the result) does not depend on the machine
// or on where the arrays live. Measured on Zen 4, the sizes barely matter
// (within 3%): the micro-kernel, not the memory, is the limit.

import { KC, kStep, MR, NR, tile, tile2, tile4 } from "./kernel";
import { addBias, reluRows } from "./rows";
import { packA, packAGather, packB, packBGather } from "./pack";
import { allZero, indicesOf, nonzeroColumns } from "./sparse";

export { addBias, colSums, reluBackward, weightedSum } from "./rows";
export { adam } from "./adam";
export { gemvRows } from "./few";

const MC: i32 = 96;
const NC: i32 = 1024;
/** Columns of a transposed A (rows of op(A)) whose zeros are mapped: more are not skipped. */
const MAP_MAX: i32 = 4096;

/** First byte the caller may use: everything below belongs to this module. */
export function heapBase(): usize {
  return __heap_base;
}

/**
 * Floats the caller must provide at `packA` (packed A, then the edge tile and
 * the edge tile's bias) and at `packB`.
 */
export function packScratchFloats(which: i32): i32 {
  return which == 0 ? MC * KC + MR * NR + NR + KC + MAP_MAX / 4 : KC * NC;
}

/**
 * C (m x n) = op(A) * op(B) (+ C if flags & 4). flags & 1: A is stored k x m;
 * flags & 2: B is stored n x k. All matrices are row-major; B and C are
 * dense, and the rows of A as stored lie `lda` floats apart (0: dense). A
 * dense layer's epilogue is fused: a nonzero `bias` (n floats) is added to
 * every row, as the starting value of the sums, and a nonzero `y` (m x n)
 * receives max(C, 0) as the last block of C leaves the registers.
 */
export function gemm(
  a: usize, b: usize, c: usize, m: i32, n: i32, k: i32, flags: i32, pa: usize, pb: usize,
  bias: usize, y: usize, lda: i32,
): void {
  const accumulate = (flags & 4) != 0;
  const ldA = lda ? lda : flags & 1 ? m : k;
  const rsA = flags & 1 ? 1 : ldA, csA = flags & 1 ? ldA : 1;
  const rsB = flags & 2 ? 1 : n, csB = flags & 2 ? k : 1;
  if (k == 0) {
    if (!accumulate) memory.fill(c, 0, <usize>(m * n) * 4);
    if (bias) addBias(c, bias, m, n);
    if (y) reluRows(c, y, m * n);
    return;
  }
  const ldc = <usize>n * 4;
  // Staging tile for edge tiles of C, which the micro-kernel cannot write in
  // place, and a padded copy of their part of the bias (8 floats readable).
  const edge = pa + <usize>(MC * KC) * 4, edgeBias = edge + <usize>(MR * NR) * 4;
  // The steps of a block of k kept after zeros are skipped (sparse.ts), and the zero map.
  const idx = edgeBias + <usize>NR * 4, map = idx + <usize>KC * 4;
  const transA = (flags & 1) != 0, mapRows = transA && m <= MAP_MAX;
  const kstep = kStep(k);
  for (let jc = 0; jc < n; jc += NC) {
    const nc = min(NC, n - jc);
    for (let pc = 0; pc < k; pc += kstep) {
      const kc = min(kstep, k - pc);
      const beta = accumulate || pc > 0 ? 1 : 0;
      // The bias starts the first block's sums; the ReLU leaves with the last block.
      const withBias = bias != 0 && pc == 0, withY = y != 0 && pc + kc >= k;
      // A stored as is: the steps (columns of A) that are zero in every row are left out.
      // A stored transposed: slivers of rows of op(A) that are zero at every step give 0.
      let kk = kc, zeroRows = false;
      if (!transA) {
        kk = nonzeroColumns(a + <usize>pc * 4, ldA, m, kc, map);
        if (kk < kc) indicesOf(map, kc, idx);
      } else if (mapRows) {
        zeroRows = nonzeroColumns(a + <usize>(pc * ldA) * 4, ldA, kc, m, map) < m;
      }
      const gather = kk < kc;
      const bBlock = b + <usize>(pc * rsB + jc * csB) * 4;
      if (gather) packBGather(bBlock, rsB, csB, kk, nc, idx, pb);
      else packB(bBlock, rsB, csB, kc, nc, pb);
      for (let ic = 0; ic < m; ic += MC) {
        const mc = min(MC, m - ic);
        const aBlock = a + <usize>(ic * rsA + pc * csA) * 4;
        if (gather) packAGather(aBlock, rsA, csA, mc, kk, idx, pa);
        else packA(aBlock, rsA, csA, mc, kc, pa);
        for (let jr = 0; jr < nc; jr += NR) {
          const nr = min(NR, nc - jr);
          const sb = pb + <usize>(jr * kk) * 4;
          let bt: usize = 0;
          if (withBias) {
            bt = bias + <usize>(jc + jr) * 4;
            if (nr < NR) {
              for (let j = 0; j < NR; j++) {
                f32.store(edgeBias + <usize>j * 4, j < nr ? f32.load(bt + <usize>j * 4) : 0);
              }
              bt = edgeBias;
            }
          }
          for (let ir = 0; ir < mc; ir += MR) {
            const mr = min(MR, mc - ir);
            const sa = pa + <usize>(ir * kk) * 4;
            const at = <usize>(ic + ir) * ldc + <usize>(jc + jr) * 4;
            const cp = c + at, yp: usize = withY ? y + at : 0;
            if (zeroRows && !bt && !yp && allZero(map, ic + ir, mr)) {
              if (!beta) zeroTile(cp, ldc, mr, nr);
              continue;
            }
            if (nr == NR && mr == MR) tile(kk, sa, sb, cp, ldc, beta, bt, yp);
            else if (nr == NR && mr == 4) tile4(kk, sa, sb, cp, ldc, beta, bt, yp);
            else if (nr == NR && mr == 2) tile2(kk, sa, sb, cp, ldc, beta, bt, yp);
            else {
              if (mr <= 4) tile4(kk, sa, sb, edge, NR * 4, 0, bt, 0);
              else tile(kk, sa, sb, edge, NR * 4, 0, bt, 0);
              storeEdge(edge, cp, ldc, mr, nr, beta, yp);
            }
          }
        }
      }
    }
  }
}

/** Writes +0 to the mr x nr tile of C at `c` (what the kernel stores for sums of zeros alone). */
function zeroTile(c: usize, ldc: usize, mr: i32, nr: i32): void {
  for (let i = 0; i < mr; i++) memory.fill(c + <usize>i * ldc, 0, <usize>nr * 4);
}

/** Writes the valid mr x nr corner of the staging tile into C (and its ReLU into `y`, when nonzero). */
function storeEdge(
  edge: usize, c: usize, ldc: usize, mr: i32, nr: i32, beta: i32, y: usize,
): void {
  for (let i = 0; i < mr; i++) {
    const src = edge + <usize>(i * NR) * 4, dst = c + <usize>i * ldc;
    for (let j = 0; j < nr; j++) {
      const o = <usize>j * 4;
      const v = f32.load(src + o), out = beta ? f32.load(dst + o) + v : v;
      f32.store(dst + o, out);
      if (y) f32.store(y + <usize>i * ldc + o, out > 0 ? out : 0);
    }
  }
}
