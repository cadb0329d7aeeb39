import { elementwise } from "../../core/math/elementwise.ts";
import type { ActivationPlugin } from "../../core/math/types.ts";
import { logistic } from "./_logistic.ts";

/**
 * The logistic sigmoid: h(x) = σ(x) = 1 / (1 + e^-x), h'(x) = σ(x)·σ(-x)
 * (= y(1 - y), but σ(-x) keeps its precision where y is close to 1). Outputs
 * lie in (0, 1) and may be read as probabilities. `exp` never overflows, so
 * inputs of any size give finite results.
 *
 * @example
 * ```ts
 * import { sigmoid } from "./sigmoid.ts";
 * const y = { data: new Float32Array(3), rows: 1, cols: 3 };
 * sigmoid.forward({ data: new Float32Array([-1e4, 0, 1e4]), rows: 1, cols: 3 }, y);
 * // y.data is [0, 0.5, 1]
 * ```
 */
export const sigmoid: ActivationPlugin = /* @__PURE__ */ elementwise({
  name: "sigmoid",
  version: "1.0.0",
  probabilities: true,
  description: "h(x) = 1 / (1 + exp(-x))",
  f: logistic,
  df: (x, y) => y * logistic(-x),
  forward(z, y) {
    const zd = z.data, yd = y.data;
    for (let i = 0, n = z.rows * z.cols; i < n; i++) yd[i] = logistic(zd[i]);
  },
  backward({ z, y, dy, dz }) {
    const zd = z.data, yd = y.data, gd = dy.data, out = dz.data;
    for (let i = 0, n = z.rows * z.cols; i < n; i++) {
      // σ(-x) = 1 - y exactly where y ≤ 1/2 (1 - y loses no digits there); e^-x only above.
      const v = yd[i], x = zd[i];
      out[i] = gd[i] * (v * (x <= 0 ? 1 - v : logistic(-x)));
    }
  },
});
