import { elementwise } from "../../core/math/elementwise.ts";
import type { ActivationPlugin } from "../../core/math/types.ts";
import { logistic } from "./_logistic.ts";

/**
 * Softplus, a smooth ReLU: h(x) = log(1 + e^x), computed as
 * max(x, 0) + log1p(e^-|x|) so it never overflows; h'(x) = σ(x).
 *
 * @example
 * ```ts
 * import { softplus } from "./softplus.ts";
 * softplus.f?.(0); // Math.LN2
 * softplus.f?.(1e4); // 1e4
 * ```
 */
export const softplus: ActivationPlugin = /* @__PURE__ */ elementwise({
  name: "softplus",
  version: "1.0.0",
  description: "h(x) = log(1 + exp(x))",
  f: (x) => Math.max(x, 0) + Math.log1p(Math.exp(-Math.abs(x))),
  df: (x) => logistic(x),
});
