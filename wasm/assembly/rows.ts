// Row-broadcast kernels of a dense layer: adding the bias to every row of the
// pre-activations, and its gradient, the column sums of dZ. Both walk rows in
// order and add lane by lane, so they round exactly like the TypeScript loops;
// the ReLU backward pass gates the upstream gradient the same way.

/** c[i][j] += bias[j] for a rows x cols matrix c. */
export function addBias(c: usize, bias: usize, rows: i32, cols: i32): void {
  const vec = cols & ~3;
  for (let i = 0; i < rows; i++) {
    let j = 0;
    for (; j < vec; j += 4) {
      const o = <usize>j * 4;
      v128.store(c + o, f32x4.add(v128.load(c + o), v128.load(bias + o)));
    }
    for (; j < cols; j++) {
      const o = <usize>j * 4;
      f32.store(c + o, f32.load(c + o) + f32.load(bias + o));
    }
    c += <usize>cols * 4;
  }
}

/** out[j] = sum over i of a[i][j] for a rows x cols matrix a. */
export function colSums(a: usize, out: usize, rows: i32, cols: i32): void {
  memory.fill(out, 0, <usize>cols * 4);
  const vec = cols & ~3;
  for (let i = 0; i < rows; i++) {
    let j = 0;
    for (; j < vec; j += 4) {
      const o = <usize>j * 4;
      v128.store(out + o, f32x4.add(v128.load(out + o), v128.load(a + o)));
    }
    for (; j < cols; j++) {
      const o = <usize>j * 4;
      f32.store(out + o, f32.load(out + o) + f32.load(a + o));
    }
    a += <usize>cols * 4;
  }
}

/**
 * out[i] = wa * a[i] + wb * b[i], computed in double precision and rounded
 * once to float32 (as the TypeScript loop does), two lanes at a time; a zero
 * weight drops its term, so a NaN there does not leak in.
 */
export function weightedSum(a: usize, b: usize, out: usize, n: i32, wa: f64, wb: f64): void {
  const va = f64x2.splat(wa), vb = f64x2.splat(wb);
  const useA = wa != 0, useB = wb != 0;
  const vec = n & ~1;
  let i = 0;
  for (; i < vec; i += 2) {
    const o = <usize>i * 4;
    let sum = f64x2.splat(0);
    if (useA) sum = f64x2.mul(va, f64x2.promote_low_f32x4(v128.load64_zero(a + o)));
    if (useB) {
      const tb = f64x2.mul(vb, f64x2.promote_low_f32x4(v128.load64_zero(b + o)));
      sum = useA ? f64x2.add(sum, tb) : tb;
    }
    v128.store64_lane(out + o, f32x4.demote_f64x2_zero(sum), 0);
  }
  for (; i < n; i++) {
    const o = <usize>i * 4;
    let sum: f64 = 0;
    if (useA) sum = wa * <f64>f32.load(a + o);
    if (useB) sum = useA ? sum + wb * <f64>f32.load(b + o) : wb * <f64>f32.load(b + o);
    f32.store(out + o, <f32>sum);
  }
}

/**
 * The ReLU's backward pass: dz[i] = dy[i] * (z[i] > 0 ? 1 : 0) for `n`
 * floats, the multiplication the TypeScript plugin does (so a negative dy
 * where z <= 0 gives -0, and a NaN stays NaN), four lanes at a time.
 */
export function reluBackward(z: usize, dy: usize, dz: usize, n: i32): void {
  const zero = f32x4.splat(0), one = f32x4.splat(1);
  const vec = n & ~3;
  let i = 0;
  for (; i < vec; i += 4) {
    const o = <usize>i * 4;
    const gate = v128.and(f32x4.gt(v128.load(z + o), zero), one);
    v128.store(dz + o, f32x4.mul(v128.load(dy + o), gate));
  }
  for (; i < n; i++) {
    const o = <usize>i * 4;
    f32.store(dz + o, f32.load(dy + o) * (f32.load(z + o) > 0 ? <f32>1 : <f32>0));
  }
}

/** y[i] = max(c[i], 0) for `count` floats (as `c > 0 ? c : 0`). */
export function reluRows(c: usize, y: usize, count: i32): void {
  for (let i = 0; i < count; i++) {
    const v = f32.load(c + <usize>i * 4);
    f32.store(y + <usize>i * 4, v > 0 ? v : 0);
  }
}
