import { elementwise } from "../../core/math/elementwise.ts";
import type { ActivationPlugin } from "../../core/math/types.ts";

/**
 * The rectified linear unit: h(x) = max(x, 0), h'(x) = 1 if x > 0 else 0
 * (0 at the kink x = 0, as PyTorch does). Layers using it default to He init.
 *
 * @example
 * ```ts
 * import { relu } from "./relu.ts";
 * relu.f?.(-2); // 0
 * relu.f?.(3); // 3
 * ```
 */
export const relu: ActivationPlugin = /* @__PURE__ */ elementwise({
  name: "relu",
  version: "1.0.0",
  init: "he",
  kernel: "relu",
  description: "h(x) = max(x, 0)",
  f: (x) => (x > 0 ? x : 0),
  df: (x) => (x > 0 ? 1 : 0),
  forward(z, y) {
    const zd = z.data, yd = y.data;
    for (let i = 0, n = z.rows * z.cols; i < n; i++) yd[i] = zd[i] > 0 ? zd[i] : 0;
  },
  backward({ z, dy, dz }) {
    const zd = z.data, gd = dy.data, out = dz.data;
    for (let i = 0, n = z.rows * z.cols; i < n; i++) out[i] = gd[i] * (zd[i] > 0 ? 1 : 0);
  },
});
