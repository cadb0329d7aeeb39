// The GEMM micro-kernels: a 6 x 8 tile of C kept in twelve f32x4 accumulators
// while the k loop walks a packed A sliver (6 floats per step) and a packed B
// sliver (8 floats per step), plus a 4 x 8 variant for the last rows of C.
//
// What bounds the speed (V8 on x64, measured on Zen 4): the front end, not the
// arithmetic. V8 gives wasm 15 usable xmm registers, so 12 accumulators is the
// largest tile, and every load carries an explicit bounds check (3 instructions)
// where the engine runs without a trap handler, as Deno does. Hence A is read
// as whole vectors (3 loads per 2 steps) and splatted with lane shuffles, not
// with 6 broadcast loads per step, and the k loop is unrolled twice.
//
// Built twice: with plain SIMD (mul then add, bit-identical on every engine)
// and with relaxed SIMD, where madd may fuse (FMA on x64 with FMA3: faster,
// and still bit-identical from run to run, but only on the same CPU).

/** Rows of the register tile. */
export const MR: i32 = 6;
/** Columns of the register tile. */
export const NR: i32 = 8;

/** Most steps per block of k: a packed KC x NR sliver of B stays in L1. */
export const KC: i32 = 256;

/** Steps per block of k: equal blocks, 784 = 4 x 196 rather than 3 x 256 + 16 (all overhead). */
export function kStep(k: i32): i32 {
  const kb = (k + KC - 1) / KC;
  return (k + kb - 1) / kb;
}

/** a * b + c, fused when built with relaxed SIMD. */
// @ts-ignore: decorator
@inline export function madd(a: v128, b: v128, c: v128): v128 {
  if (ASC_FEATURE_RELAXED_SIMD) return f32x4.relaxed_madd(a, b, c);
  return f32x4.add(c, f32x4.mul(a, b));
}

/** max(x, 0) lane by lane, exactly as `x > 0 ? x : 0` (so -0 and NaN give 0). */
// @ts-ignore: decorator
@inline export function relu(zero: v128, x: v128): v128 { return f32x4.pmax(zero, x); }

// @ts-ignore: decorator
@inline function lane0(x: v128): v128 { return v128.shuffle<f32>(x, x, 0, 0, 0, 0); }
// @ts-ignore: decorator
@inline function lane1(x: v128): v128 { return v128.shuffle<f32>(x, x, 1, 1, 1, 1); }
// @ts-ignore: decorator
@inline function lane2(x: v128): v128 { return v128.shuffle<f32>(x, x, 2, 2, 2, 2); }
// @ts-ignore: decorator
@inline function lane3(x: v128): v128 { return v128.shuffle<f32>(x, x, 3, 3, 3, 3); }

/**
 * C[0..6][0..8] (row stride `ldc` bytes) = (beta ? C : 0) + sum over p of
 * A[p][0..6] outer B[p][0..8], with A and B the packed slivers at `pa`, `pb`.
 * The epilogue of a dense layer rides along: a nonzero `bias` (8 floats)
 * starts every row's sums from it, and a nonzero `y` (same layout as C) also
 * receives max(C, 0), the ReLU, from the registers.
 */
export function tile(
  kc: i32, pa: usize, pb: usize, c: usize, ldc: usize, beta: i32, bias: usize, y: usize,
): void {
  let c00 = f32x4.splat(0), c01 = f32x4.splat(0);
  if (bias) { c00 = v128.load(bias); c01 = v128.load(bias, 16); }
  let c10 = c00, c11 = c01, c20 = c00, c21 = c01, c30 = c00, c31 = c01;
  let c40 = c00, c41 = c01, c50 = c00, c51 = c01;
  let a: v128, x: v128, b0: v128, b1: v128;
  let p = 0;
  // Two steps of A are 12 floats: x = [a0 a1 a2 a3], [a4 a5 a0' a1'], [a2' a3' a4' a5'].
  for (; p + 2 <= kc; p += 2) {
    b0 = v128.load(pb); b1 = v128.load(pb, 16);
    x = v128.load(pa);
    a = lane0(x); c00 = madd(a, b0, c00); c01 = madd(a, b1, c01);
    a = lane1(x); c10 = madd(a, b0, c10); c11 = madd(a, b1, c11);
    a = lane2(x); c20 = madd(a, b0, c20); c21 = madd(a, b1, c21);
    a = lane3(x); c30 = madd(a, b0, c30); c31 = madd(a, b1, c31);
    x = v128.load(pa, 16);
    a = lane0(x); c40 = madd(a, b0, c40); c41 = madd(a, b1, c41);
    a = lane1(x); c50 = madd(a, b0, c50); c51 = madd(a, b1, c51);
    b0 = v128.load(pb, 32); b1 = v128.load(pb, 48);
    a = lane2(x); c00 = madd(a, b0, c00); c01 = madd(a, b1, c01);
    a = lane3(x); c10 = madd(a, b0, c10); c11 = madd(a, b1, c11);
    x = v128.load(pa, 32);
    a = lane0(x); c20 = madd(a, b0, c20); c21 = madd(a, b1, c21);
    a = lane1(x); c30 = madd(a, b0, c30); c31 = madd(a, b1, c31);
    a = lane2(x); c40 = madd(a, b0, c40); c41 = madd(a, b1, c41);
    a = lane3(x); c50 = madd(a, b0, c50); c51 = madd(a, b1, c51);
    pa += 48;
    pb += 64;
  }
  if (p < kc) {
    b0 = v128.load(pb); b1 = v128.load(pb, 16);
    x = v128.load(pa);
    a = lane0(x); c00 = madd(a, b0, c00); c01 = madd(a, b1, c01);
    a = lane1(x); c10 = madd(a, b0, c10); c11 = madd(a, b1, c11);
    a = lane2(x); c20 = madd(a, b0, c20); c21 = madd(a, b1, c21);
    a = lane3(x); c30 = madd(a, b0, c30); c31 = madd(a, b1, c31);
    x = v128.load64_splat(pa, 16);
    a = lane0(x); c40 = madd(a, b0, c40); c41 = madd(a, b1, c41);
    a = lane1(x); c50 = madd(a, b0, c50); c51 = madd(a, b1, c51);
  }
  const c2 = c + 2 * ldc, c4 = c + 4 * ldc;
  if (beta) {
    c00 = f32x4.add(c00, v128.load(c)); c01 = f32x4.add(c01, v128.load(c, 16));
    c10 = f32x4.add(c10, v128.load(c + ldc)); c11 = f32x4.add(c11, v128.load(c + ldc, 16));
    c20 = f32x4.add(c20, v128.load(c2)); c21 = f32x4.add(c21, v128.load(c2, 16));
    c30 = f32x4.add(c30, v128.load(c2 + ldc)); c31 = f32x4.add(c31, v128.load(c2 + ldc, 16));
    c40 = f32x4.add(c40, v128.load(c4)); c41 = f32x4.add(c41, v128.load(c4, 16));
    c50 = f32x4.add(c50, v128.load(c4 + ldc)); c51 = f32x4.add(c51, v128.load(c4 + ldc, 16));
  }
  v128.store(c, c00); v128.store(c, c01, 16);
  v128.store(c + ldc, c10); v128.store(c + ldc, c11, 16);
  v128.store(c2, c20); v128.store(c2, c21, 16);
  v128.store(c2 + ldc, c30); v128.store(c2 + ldc, c31, 16);
  v128.store(c4, c40); v128.store(c4, c41, 16);
  v128.store(c4 + ldc, c50); v128.store(c4 + ldc, c51, 16);
  if (y) {
    const z = f32x4.splat(0), y2 = y + 2 * ldc, y4 = y + 4 * ldc;
    v128.store(y, relu(z, c00)); v128.store(y, relu(z, c01), 16);
    v128.store(y + ldc, relu(z, c10)); v128.store(y + ldc, relu(z, c11), 16);
    v128.store(y2, relu(z, c20)); v128.store(y2, relu(z, c21), 16);
    v128.store(y2 + ldc, relu(z, c30)); v128.store(y2 + ldc, relu(z, c31), 16);
    v128.store(y4, relu(z, c40)); v128.store(y4, relu(z, c41), 16);
    v128.store(y4 + ldc, relu(z, c50)); v128.store(y4 + ldc, relu(z, c51), 16);
  }
}

/**
 * Like {@link tile} for the first 4 rows of the (6-row) A sliver only: the
 * last rows of C when m % 6 is 1..4, so that they cost 4 rows, not 6.
 */
export function tile4(
  kc: i32, pa: usize, pb: usize, c: usize, ldc: usize, beta: i32, bias: usize, y: usize,
): void {
  let c00 = f32x4.splat(0), c01 = f32x4.splat(0);
  if (bias) { c00 = v128.load(bias); c01 = v128.load(bias, 16); }
  let c10 = c00, c11 = c01, c20 = c00, c21 = c01, c30 = c00, c31 = c01;
  let a: v128, x: v128, b0: v128, b1: v128;
  let p = 0;
  for (; p + 2 <= kc; p += 2) {
    b0 = v128.load(pb); b1 = v128.load(pb, 16);
    x = v128.load(pa);
    a = lane0(x); c00 = madd(a, b0, c00); c01 = madd(a, b1, c01);
    a = lane1(x); c10 = madd(a, b0, c10); c11 = madd(a, b1, c11);
    a = lane2(x); c20 = madd(a, b0, c20); c21 = madd(a, b1, c21);
    a = lane3(x); c30 = madd(a, b0, c30); c31 = madd(a, b1, c31);
    b0 = v128.load(pb, 32); b1 = v128.load(pb, 48);
    x = v128.load(pa, 24);
    a = lane0(x); c00 = madd(a, b0, c00); c01 = madd(a, b1, c01);
    a = lane1(x); c10 = madd(a, b0, c10); c11 = madd(a, b1, c11);
    a = lane2(x); c20 = madd(a, b0, c20); c21 = madd(a, b1, c21);
    a = lane3(x); c30 = madd(a, b0, c30); c31 = madd(a, b1, c31);
    pa += 48;
    pb += 64;
  }
  if (p < kc) {
    b0 = v128.load(pb); b1 = v128.load(pb, 16);
    x = v128.load(pa);
    a = lane0(x); c00 = madd(a, b0, c00); c01 = madd(a, b1, c01);
    a = lane1(x); c10 = madd(a, b0, c10); c11 = madd(a, b1, c11);
    a = lane2(x); c20 = madd(a, b0, c20); c21 = madd(a, b1, c21);
    a = lane3(x); c30 = madd(a, b0, c30); c31 = madd(a, b1, c31);
  }
  const c2 = c + 2 * ldc;
  if (beta) {
    c00 = f32x4.add(c00, v128.load(c)); c01 = f32x4.add(c01, v128.load(c, 16));
    c10 = f32x4.add(c10, v128.load(c + ldc)); c11 = f32x4.add(c11, v128.load(c + ldc, 16));
    c20 = f32x4.add(c20, v128.load(c2)); c21 = f32x4.add(c21, v128.load(c2, 16));
    c30 = f32x4.add(c30, v128.load(c2 + ldc)); c31 = f32x4.add(c31, v128.load(c2 + ldc, 16));
  }
  v128.store(c, c00); v128.store(c, c01, 16);
  v128.store(c + ldc, c10); v128.store(c + ldc, c11, 16);
  v128.store(c2, c20); v128.store(c2, c21, 16);
  v128.store(c2 + ldc, c30); v128.store(c2 + ldc, c31, 16);
  if (y) {
    const z = f32x4.splat(0), y2 = y + 2 * ldc;
    v128.store(y, relu(z, c00)); v128.store(y, relu(z, c01), 16);
    v128.store(y + ldc, relu(z, c10)); v128.store(y + ldc, relu(z, c11), 16);
    v128.store(y2, relu(z, c20)); v128.store(y2, relu(z, c21), 16);
    v128.store(y2 + ldc, relu(z, c30)); v128.store(y2 + ldc, relu(z, c31), 16);
  }
}

/**
 * Like {@link tile} for the first 2 rows of the A sliver only: the last rows
 * of C when m % 6 is 2 (a batch of 64 split over two threads is 32 rows each,
 * 5 slivers and 2 rows), written in place rather than through the staging
 * tile, so that they cost 2 rows, not 4 and a copy. The sums run in the same
 * order as in {@link tile}, so the bits are the same.
 */
export function tile2(
  kc: i32, pa: usize, pb: usize, c: usize, ldc: usize, beta: i32, bias: usize, y: usize,
): void {
  let c00 = f32x4.splat(0), c01 = f32x4.splat(0);
  if (bias) { c00 = v128.load(bias); c01 = v128.load(bias, 16); }
  let c10 = c00, c11 = c01;
  let a: v128, x: v128, b0: v128, b1: v128;
  for (let p = 0; p < kc; p++) {
    b0 = v128.load(pb); b1 = v128.load(pb, 16);
    x = v128.load64_splat(pa);
    a = lane0(x); c00 = madd(a, b0, c00); c01 = madd(a, b1, c01);
    a = lane1(x); c10 = madd(a, b0, c10); c11 = madd(a, b1, c11);
    pa += 24;
    pb += 32;
  }
  if (beta) {
    c00 = f32x4.add(c00, v128.load(c)); c01 = f32x4.add(c01, v128.load(c, 16));
    c10 = f32x4.add(c10, v128.load(c + ldc)); c11 = f32x4.add(c11, v128.load(c + ldc, 16));
  }
  v128.store(c, c00); v128.store(c, c01, 16);
  v128.store(c + ldc, c10); v128.store(c + ldc, c11, 16);
  if (y) {
    const z = f32x4.splat(0);
    v128.store(y, relu(z, c00)); v128.store(y, relu(z, c01), 16);
    v128.store(y + ldc, relu(z, c10)); v128.store(y + ldc, relu(z, c11), 16);
  }
}
