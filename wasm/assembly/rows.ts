// Row-broadcast kernels of a dense layer: adding the bias to every row of the
// pre-activations, and its gradient, the column sums of dZ. Both walk rows in
// order and add lane by lane, so they round exactly like the TypeScript loops.

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
