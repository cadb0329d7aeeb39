// Skipping zeros of A that the whole block shares, bit for bit. A product term
// a·b with a = ±0 adds ±0 to a sum, which leaves every nonzero sum as it is,
// so dropping such terms from a block's sums changes no bit of the result but
// the sign of a sum that is exactly zero (and a NaN or infinite b behind a
// zero a goes unseen). Inputs with blank parts (the borders of MNIST digits,
// about 38% of a shuffled batch's pixels; one-hot columns of categories) cost that much
// less. The blocks of k stay those of the dense product, so the grouping of
// the sums, and the bits, do not depend on which zeros a batch has.

/**
 * map[j] = 1 where column j of the rows x cols block at `a` (row stride `ld`
 * floats, columns contiguous) holds a value other than ±0, else 0; returns
 * how many columns do.
 */
export function nonzeroColumns(a: usize, ld: i32, rows: i32, cols: i32, map: usize): i32 {
  const mask = i32x4.splat(0x7fffffff), row = <usize>ld * 4;
  let count = 0, j = 0;
  for (; j + 4 <= cols; j += 4) {
    let any = i32x4.splat(0), p = a + <usize>j * 4;
    for (let i = 0; i < rows; i++, p += row) any = v128.or(any, v128.load(p));
    any = v128.and(any, mask);
    for (let l = 0; l < 4; l++) {
      const on = i32x4.extract_lane(any, 0) != 0 ? 1 : 0;
      store<u8>(map + <usize>(j + l), <u8>on);
      count += on;
      any = v128.shuffle<i32>(any, any, 1, 2, 3, 0);
    }
  }
  for (; j < cols; j++) {
    let any = 0, p = a + <usize>j * 4;
    for (let i = 0; i < rows; i++, p += row) any |= load<i32>(p);
    const on = (any & 0x7fffffff) != 0 ? 1 : 0;
    store<u8>(map + <usize>j, <u8>on);
    count += on;
  }
  return count;
}

/** Writes the indices j with map[j] != 0 (of `cols`) to `idx` as i32s. */
export function indicesOf(map: usize, cols: i32, idx: usize): void {
  for (let j = 0; j < cols; j++) {
    if (load<u8>(map + <usize>j)) {
      store<i32>(idx, j);
      idx += 4;
    }
  }
}

/** Whether map[from..from+count) is all 0. */
export function allZero(map: usize, from: i32, count: i32): bool {
  for (let j = 0; j < count; j++) if (load<u8>(map + <usize>(from + j))) return false;
  return true;
}
