import type { ActivationPlugin } from "../../core/math/types.ts";

/**
 * Row-wise softmax: y_i = e^(z_i - m) / Σ_j e^(z_j - m) with m the row maximum,
 * so `exp` never overflows. Backward is the Jacobian-vector product
 * dz_i = y_i (dy_i - Σ_j dy_j y_j). Outputs are probabilities (each row sums
 * to 1).
 *
 * @example
 * ```ts
 * import { softmax } from "./softmax.ts";
 * const y = { data: new Float32Array(2), rows: 1, cols: 2 };
 * softmax.forward({ data: new Float32Array([1e4, 1e4]), rows: 1, cols: 2 }, y);
 * // y.data is [0.5, 0.5]
 * ```
 */
export const softmax: ActivationPlugin = {
  kind: "activation",
  name: "softmax",
  version: "1.0.0",
  rowwise: true,
  probabilities: true,
  description: "h(z)_i = exp(z_i) / sum_j exp(z_j), per row",
  forward(z, y) {
    const zd = z.data, yd = y.data, cols = z.cols;
    for (let o = 0; o < z.rows * cols; o += cols) {
      let max = -Infinity;
      for (let j = o; j < o + cols; j++) if (zd[j] > max) max = zd[j];
      let sum = 0;
      for (let j = o; j < o + cols; j++) {
        const e = Math.exp(zd[j] - max);
        yd[j] = e;
        sum += e;
      }
      for (let j = o; j < o + cols; j++) yd[j] /= sum;
    }
  },
  backward({ z, y, dy, dz }) {
    const yd = y.data, gd = dy.data, out = dz.data, cols = z.cols;
    for (let o = 0; o < z.rows * cols; o += cols) {
      let dot = 0;
      for (let j = o; j < o + cols; j++) dot += gd[j] * yd[j];
      for (let j = o; j < o + cols; j++) out[j] = yd[j] * (gd[j] - dot);
    }
  },
};
