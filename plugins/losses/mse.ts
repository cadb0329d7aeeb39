import type { LossPlugin } from "../../core/math/types.ts";
import { sameShape } from "./_shape.ts";

/**
 * Mean squared error over all n = rows·cols elements: L = (1/n) Σ (y - t)²,
 * dL/dy = 2(y - t)/n. Takes raw values (use an identity output layer).
 *
 * @example
 * ```ts
 * import { mse } from "./mse.ts";
 * const y = { data: new Float32Array([1, 2]), rows: 1, cols: 2 };
 * const t = { data: new Float32Array([0, 0]), rows: 1, cols: 2 };
 * mse.loss({ y, t }); // 2.5
 * ```
 */
export const mse: LossPlugin = {
  kind: "loss",
  name: "mse",
  version: "1.0.0",
  input: "values",
  description: "L = mean((y - t)^2)",
  loss({ y, t }) {
    const n = sameShape("mse", y, t), yd = y.data, td = t.data;
    let s = 0;
    for (let i = 0; i < n; i++) s += (yd[i] - td[i]) ** 2;
    return s / n;
  },
  gradient({ y, t }, dy) {
    const n = sameShape("mse", y, t), yd = y.data, td = t.data, out = dy.data, k = 2 / n;
    for (let i = 0; i < n; i++) out[i] = k * (yd[i] - td[i]);
  },
};
