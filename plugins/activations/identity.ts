import { elementwise } from "../../core/math/elementwise.ts";
import type { ActivationPlugin } from "../../core/math/types.ts";

/**
 * The identity (linear) activation: h(x) = x, h'(x) = 1. The usual output
 * activation for regression and for losses that take logits.
 *
 * @example
 * ```ts
 * import { identity } from "./identity.ts";
 * identity.f?.(-3); // -3
 * ```
 */
export const identity: ActivationPlugin = /* @__PURE__ */ elementwise({
  name: "identity",
  version: "1.0.0",
  description: "h(x) = x (linear)",
  f: (x) => x,
  df: () => 1,
  forward(z, y) {
    const zd = z.data, yd = y.data;
    for (let i = 0, n = z.rows * z.cols; i < n; i++) yd[i] = zd[i];
  },
  backward({ z, dy, dz }) {
    const gd = dy.data, out = dz.data;
    for (let i = 0, n = z.rows * z.cols; i < n; i++) out[i] = gd[i];
  },
});
