// Packing copies a block of A or B into the order the micro-kernel reads it,
// so that every layout (A or B stored transposed) becomes the same contiguous
// stream and edge slivers are padded with zeros. Strides are in floats: the
// element (row i, column j) of a block lives at base + 4 * (i * rs + j * cs).

import { MR, NR } from "./kernel";

/**
 * Packs the mc x kc block of A at `a` into slivers of MR rows: for each
 * sliver, kc steps of MR consecutive floats.
 */
export function packA(a: usize, rs: i32, cs: i32, mc: i32, kc: i32, dst: usize): void {
  for (let i0 = 0; i0 < mc; i0 += MR) {
    const rows = min(MR, mc - i0);
    const src = a + <usize>(i0 * rs) * 4;
    if (rows == MR && rs == 1) packRows6Contiguous(src, cs, kc, dst);
    else if (rows == MR) packStrided(src, rs, cs, MR, kc, dst);
    else packEdge(src, rs, cs, rows, MR, kc, dst);
    dst += <usize>(MR * kc) * 4;
  }
}

/**
 * Packs the kc x nc block of B at `b` into slivers of NR columns: for each
 * sliver, kc steps of NR consecutive floats. B(p, j) is a line j of step p,
 * so the A packers apply with the strides swapped.
 */
export function packB(b: usize, rs: i32, cs: i32, kc: i32, nc: i32, dst: usize): void {
  for (let j0 = 0; j0 < nc; j0 += NR) {
    const cols = min(NR, nc - j0);
    const src = b + <usize>(j0 * cs) * 4;
    if (cols == NR && cs == 1) packCols8Contiguous(src, rs, kc, dst);
    else if (cols == NR) packStrided(src, cs, rs, NR, kc, dst);
    else packEdge(src, cs, rs, cols, NR, kc, dst);
    dst += <usize>(NR * kc) * 4;
  }
}

/** A full sliver of 6 rows whose 6 values per step are contiguous (A stored transposed). */
function packRows6Contiguous(src: usize, cs: i32, kc: i32, dst: usize): void {
  const step = <usize>cs * 4;
  for (let p = 0; p < kc; p++) {
    v128.store(dst, v128.load(src));
    i64.store(dst, i64.load(src, 16), 16);
    src += step;
    dst += 24;
  }
}

/** A full sliver of 8 columns whose 8 values per step are contiguous (B stored as is). */
function packCols8Contiguous(src: usize, rs: i32, kc: i32, dst: usize): void {
  const step = <usize>rs * 4;
  for (let p = 0; p < kc; p++) {
    v128.store(dst, v128.load(src));
    v128.store(dst, v128.load(src, 16), 16);
    src += step;
    dst += 32;
  }
}

/**
 * Gathers `width` full strided lines (line stride `rs`, step stride `cs`) into
 * kc steps of `width` floats. With contiguous steps, four lines by four steps
 * at a time go through a 4 x 4 transpose.
 */
// @ts-ignore: decorator
@inline function packStrided(src: usize, rs: i32, cs: i32, width: i32, kc: i32, dst: usize): void {
  const r = <usize>rs * 4, ld = <usize>width * 4;
  const quads = width & ~3;
  let p = 0;
  if (cs == 1) {
    for (; p + 4 <= kc; p += 4) {
      let i = 0;
      for (; i < quads; i += 4) transpose4(src + <usize>i * r, r, dst + <usize>i * 4, ld);
      for (; i < width; i++) {
        const s = src + <usize>i * r, d = dst + <usize>i * 4;
        f32.store(d, f32.load(s));
        f32.store(d + ld, f32.load(s, 4));
        f32.store(d + 2 * ld, f32.load(s, 8));
        f32.store(d + 3 * ld, f32.load(s, 12));
      }
      src += 16;
      dst += 4 * ld;
    }
  }
  const c = <usize>cs * 4;
  for (; p < kc; p++) {
    for (let i = 0; i < width; i++) f32.store(dst + <usize>i * 4, f32.load(src + <usize>i * r));
    src += c;
    dst += ld;
  }
}

/** Writes the transpose of the 4 x 4 block at `src` (row stride `r` bytes) with row stride `ld` bytes. */
// @ts-ignore: decorator
@inline function transpose4(src: usize, r: usize, dst: usize, ld: usize): void {
  const x0 = v128.load(src), x1 = v128.load(src + r);
  const x2 = v128.load(src + 2 * r), x3 = v128.load(src + 3 * r);
  const t0 = v128.shuffle<i32>(x0, x1, 0, 4, 1, 5), t1 = v128.shuffle<i32>(x0, x1, 2, 6, 3, 7);
  const t2 = v128.shuffle<i32>(x2, x3, 0, 4, 1, 5), t3 = v128.shuffle<i32>(x2, x3, 2, 6, 3, 7);
  v128.store(dst, v128.shuffle<i64>(t0, t2, 0, 2));
  v128.store(dst + ld, v128.shuffle<i64>(t0, t2, 1, 3));
  v128.store(dst + 2 * ld, v128.shuffle<i64>(t1, t3, 0, 2));
  v128.store(dst + 3 * ld, v128.shuffle<i64>(t1, t3, 1, 3));
}

/** An edge sliver with `rows` < `width` valid lines, padded with zeros. */
function packEdge(src: usize, rs: i32, cs: i32, rows: i32, width: i32, kc: i32, dst: usize): void {
  for (let p = 0; p < kc; p++) {
    const s = src + <usize>(p * cs) * 4;
    for (let i = 0; i < width; i++) {
      f32.store(dst + <usize>i * 4, i < rows ? f32.load(s + <usize>(i * rs) * 4) : 0);
    }
    dst += <usize>width * 4;
  }
}

/**
 * As {@link packA} over only the kk steps listed at `idx` (i32 offsets of
 * steps within the block): step p of the packed block is step idx[p] of A.
 */
export function packAGather(
  a: usize, rs: i32, cs: i32, mc: i32, kk: i32, idx: usize, dst: usize,
): void {
  packGather(a, rs, cs, mc, MR, kk, idx, dst);
}

/** As {@link packB} over only the kk steps (rows of B) listed at `idx`. */
export function packBGather(
  b: usize, rs: i32, cs: i32, kk: i32, nc: i32, idx: usize, dst: usize,
): void {
  packGather(b, cs, rs, nc, NR, kk, idx, dst);
}

/**
 * Slivers of `width` lines (rows of A, columns of B; `lines` in all, lines
 * `ls` floats apart) over the kk steps listed at `idx` (steps `ss` floats
 * apart), an edge sliver padded with zeros; 8 contiguous lines go as two vectors.
 */
function packGather(
  src: usize, ls: i32, ss: i32, lines: i32, width: i32, kk: i32, idx: usize, dst: usize,
): void {
  for (let l0 = 0; l0 < lines; l0 += width) {
    const n = min(width, lines - l0);
    const base = src + <usize>(l0 * ls) * 4;
    for (let p = 0; p < kk; p++) {
      const s = base + <usize>(load<i32>(idx + <usize>p * 4) * ss) * 4;
      if (n == 8 && ls == 1) {
        v128.store(dst, v128.load(s));
        v128.store(dst, v128.load(s, 16), 16);
      } else {
        for (let i = 0; i < width; i++) {
          f32.store(dst + <usize>i * 4, i < n ? f32.load(s + <usize>(i * ls) * 4) : 0);
        }
      }
      dst += <usize>width * 4;
    }
  }
}
