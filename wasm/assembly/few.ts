// Products of one to four rows (an edge request of a few rows) without
// packing B, which such a product cannot pay for: packing reads and writes
// all of B (a layer's weights) for a handful of rows of work. The bits are
// those the packed product (`gemm`) gives for the same m: the same blocks of
// k; each block's sums started at 0, or at the bias for the first, and added
// to C; the same steps left out, those where every row is ±0 (a step where
// only some rows are zero still adds its ±0 terms to those rows, as the tile
// does); the same multiply-adds in the same order, fused in a relaxed build
// as its tile fuses them; the same ReLU.

import { kStep, madd, relu } from "./kernel";
import { addBias, reluRows } from "./rows";

/**
 * C (m x n) = A (m x k, rows dense) * B (k x n, row-major), 1 <= m <= 4,
 * with the dense layer's epilogue as in `gemm` (a nonzero `bias` starts the
 * sums, a nonzero `y` receives max(C, 0)). No rows write nothing, as in
 * `gemm`; more than four trap (the caller packs them for `gemm`).
 */
export function gemvRows(
  a: usize, b: usize, c: usize, m: i32, n: i32, k: i32, bias: usize, y: usize,
): void {
  if (m <= 0) return;
  if (m > 4) unreachable();
  const row = <usize>n * 4;
  if (k <= 0) { // as gemm: the bias or zeros
    memory.fill(c, 0, <usize>m * row);
    if (bias) addBias(c, bias, m, n);
    if (y) reluRows(c, y, m * n);
    return;
  }
  const kstep = kStep(k), lda = <usize>k * 4;
  for (let pc = 0; pc < k; pc += kstep) {
    const kc = min(kstep, k - pc), start = pc == 0 ? bias : 0, first = pc == 0;
    const yb = pc + kc >= k ? y : 0, ab = a + <usize>pc * 4, bb = b + <usize>pc * row;
    if (m == 1) block(1, ab, bb, c, n, kc, lda, row, start, first, yb);
    else if (m == 2) block(2, ab, bb, c, n, kc, lda, row, start, first, yb);
    else if (m == 3) block(3, ab, bb, c, n, kc, lda, row, start, first, yb);
    else block(4, ab, bb, c, n, kc, lda, row, start, first, yb);
  }
}

/** Ends the sums `s` of a row at column byte offset `o`: added to C unless first, with the ReLU into y. */
// @ts-ignore: decorator
@inline function put(c: usize, y: usize, o: usize, s: v128, first: bool): void {
  const v = first ? s : f32x4.add(v128.load(c + o), s);
  v128.store(c + o, v);
  if (y) v128.store(y + o, relu(f32x4.splat(0), v));
}

/** ±0 at step `ap` in every one of the m rows (`lda` bytes apart): a step the packed product leaves out. */
// @ts-ignore: decorator
@inline function blank(m: i32, ap: usize, lda: usize): bool {
  let any = load<i32>(ap);
  if (m > 1) any |= load<i32>(ap + lda);
  if (m > 2) any |= load<i32>(ap + 2 * lda);
  if (m > 3) any |= load<i32>(ap + 3 * lda);
  return (any & 0x7fffffff) == 0;
}

/**
 * One block of kc steps for m rows (a constant where inlined): columns
 * sixteen at a time (each step reads whole cache lines of B; for four rows
 * that is more accumulators than V8 gives wasm registers, and still faster
 * than eight columns at a time, 32 against 39 µs for 784 x 128), then four,
 * then one by one as a vector lane.
 */
// @ts-ignore: decorator
@inline function block(
  m: i32, a: usize, b: usize, c: usize, n: i32, kc: i32, lda: usize, row: usize,
  bias: usize, first: bool, y: usize,
): void {
  const zero = f32x4.splat(0), vec = n & ~3;
  const c1 = c + row, c2 = c1 + row, c3 = c2 + row;
  const y1 = y ? y + row : 0, y2 = y ? y1 + row : 0, y3 = y ? y2 + row : 0;
  let j = 0;
  for (; j < (n & ~15); j += 16) {
    const o = <usize>j * 4;
    let b0 = zero, b1 = zero, b2 = zero, b3 = zero;
    if (bias) {
      b0 = v128.load(bias + o); b1 = v128.load(bias + o, 16);
      b2 = v128.load(bias + o, 32); b3 = v128.load(bias + o, 48);
    }
    let s00 = b0, s01 = b1, s02 = b2, s03 = b3, s10 = b0, s11 = b1, s12 = b2, s13 = b3;
    let s20 = b0, s21 = b1, s22 = b2, s23 = b3, s30 = b0, s31 = b1, s32 = b2, s33 = b3;
    for (let p = 0; p < kc; p++) {
      const ap = a + <usize>p * 4;
      if (blank(m, ap, lda)) continue;
      const bp = b + <usize>p * row + o;
      const v0 = v128.load(bp), v1 = v128.load(bp, 16), v2 = v128.load(bp, 32);
      const v3 = v128.load(bp, 48);
      let x = f32x4.splat(f32.load(ap));
      s00 = madd(x, v0, s00); s01 = madd(x, v1, s01); s02 = madd(x, v2, s02); s03 = madd(x, v3, s03);
      if (m > 1) {
        x = f32x4.splat(f32.load(ap + lda));
        s10 = madd(x, v0, s10); s11 = madd(x, v1, s11); s12 = madd(x, v2, s12); s13 = madd(x, v3, s13);
      }
      if (m > 2) {
        x = f32x4.splat(f32.load(ap + 2 * lda));
        s20 = madd(x, v0, s20); s21 = madd(x, v1, s21); s22 = madd(x, v2, s22); s23 = madd(x, v3, s23);
      }
      if (m > 3) {
        x = f32x4.splat(f32.load(ap + 3 * lda));
        s30 = madd(x, v0, s30); s31 = madd(x, v1, s31); s32 = madd(x, v2, s32); s33 = madd(x, v3, s33);
      }
    }
    put(c, y, o, s00, first); put(c, y, o + 16, s01, first);
    put(c, y, o + 32, s02, first); put(c, y, o + 48, s03, first);
    if (m > 1) {
      put(c1, y1, o, s10, first); put(c1, y1, o + 16, s11, first);
      put(c1, y1, o + 32, s12, first); put(c1, y1, o + 48, s13, first);
    }
    if (m > 2) {
      put(c2, y2, o, s20, first); put(c2, y2, o + 16, s21, first);
      put(c2, y2, o + 32, s22, first); put(c2, y2, o + 48, s23, first);
    }
    if (m > 3) {
      put(c3, y3, o, s30, first); put(c3, y3, o + 16, s31, first);
      put(c3, y3, o + 32, s32, first); put(c3, y3, o + 48, s33, first);
    }
  }
  for (; j < vec; j += 4) narrow(m, 4, a, b, c, j, kc, lda, row, bias, first, y);
  for (; j < n; j++) narrow(m, 1, a, b, c, j, kc, lda, row, bias, first, y);
}

/**
 * Columns j..j+3 (lanes = 4) or column j alone (lanes = 1, as lane 0 of a
 * vector, so a relaxed build fuses it as the tile does) of m rows.
 */
// @ts-ignore: decorator
@inline function narrow(
  m: i32, lanes: i32, a: usize, b: usize, c: usize, j: i32, kc: i32, lda: usize, row: usize,
  bias: usize, first: bool, y: usize,
): void {
  const o = <usize>j * 4;
  let s0 = f32x4.splat(0);
  if (bias) s0 = lanes == 4 ? v128.load(bias + o) : v128.load32_splat(bias + o);
  let s1 = s0, s2 = s0, s3 = s0;
  for (let p = 0; p < kc; p++) {
    const ap = a + <usize>p * 4;
    if (blank(m, ap, lda)) continue;
    const q = b + <usize>p * row + o, v = lanes == 4 ? v128.load(q) : v128.load32_splat(q);
    s0 = madd(f32x4.splat(f32.load(ap)), v, s0);
    if (m > 1) s1 = madd(f32x4.splat(f32.load(ap + lda)), v, s1);
    if (m > 2) s2 = madd(f32x4.splat(f32.load(ap + 2 * lda)), v, s2);
    if (m > 3) s3 = madd(f32x4.splat(f32.load(ap + 3 * lda)), v, s3);
  }
  for (let i = 0; i < m; i++) {
    const s = i == 0 ? s0 : i == 1 ? s1 : i == 2 ? s2 : s3;
    const ci = c + <usize>i * row, yi = y ? y + <usize>i * row : 0;
    if (lanes == 4) put(ci, yi, o, s, first);
    else putLane(ci, yi, o, s, first);
  }
}

/** `put` for one column: lane 0 of `s`. */
// @ts-ignore: decorator
@inline function putLane(c: usize, y: usize, o: usize, s: v128, first: bool): void {
  const x = f32x4.extract_lane(s, 0), v = first ? x : f32.load(c + o) + x;
  f32.store(c + o, v);
  if (y) f32.store(y + o, v > 0 ? v : 0);
}
