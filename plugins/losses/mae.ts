import type { LossPlugin } from "../../core/math/types.ts";
import { sameShape } from "./_shape.ts";

/**
 * Mean absolute error over all n = rows·cols elements: L = (1/n) Σ |y - t|,
 * dL/dy = sign(y - t)/n, taken as 0 where y = t. Takes raw values.
 *
 * @example
 * ```ts
 * import { mae } from "./mae.ts";
 * const y = { data: new Float32Array([1, -3]), rows: 1, cols: 2 };
 * const t = { data: new Float32Array([0, 0]), rows: 1, cols: 2 };
 * mae.loss({ y, t }); // 2
 * ```
 */
export const mae: LossPlugin = {
  kind: "loss",
  name: "mae",
  version: "1.0.0",
  input: "values",
  description: "L = mean(|y - t|)",
  loss({ y, t }) {
    const n = sameShape("mae", y, t), yd = y.data, td = t.data;
    let s = 0;
    for (let i = 0; i < n; i++) s += Math.abs(yd[i] - td[i]);
    return s / n;
  },
  gradient({ y, t }, dy) {
    const n = sameShape("mae", y, t), yd = y.data, td = t.data, out = dy.data;
    for (let i = 0; i < n; i++) {
      const d = yd[i] - td[i];
      out[i] = d > 0 ? 1 / n : d < 0 ? -1 / n : 0;
    }
  },
};
