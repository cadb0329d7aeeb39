import type { Mat } from "./types.ts";

/** Index of the largest value in row `row` of `m`. */
export function argmaxRow(m: Mat, row: number): number {
  const d = m.data, o = row * m.cols;
  let best = 0;
  for (let j = 1; j < m.cols; j++) if (d[o + j] > d[o + best]) best = j;
  return best;
}

/**
 * Counts rows whose prediction matches the target: the arg-max for several
 * outputs, a 0.5 threshold for a single (binary) output.
 *
 * @example
 * ```ts
 * import { countCorrect } from "./metrics.ts";
 * const y = { data: new Float32Array([0.9, 0.1, 0.2, 0.8]), rows: 2, cols: 2 };
 * const t = { data: new Float32Array([1, 0, 1, 0]), rows: 2, cols: 2 };
 * countCorrect(y, t); // 1
 * ```
 */
export function countCorrect(y: Mat, t: Mat): number {
  let correct = 0;
  if (y.cols === 1) {
    for (let i = 0; i < y.rows; i++) if ((y.data[i] > 0.5) === (t.data[i] > 0.5)) correct++;
    return correct;
  }
  for (let i = 0; i < y.rows; i++) if (argmaxRow(y, i) === argmaxRow(t, i)) correct++;
  return correct;
}
