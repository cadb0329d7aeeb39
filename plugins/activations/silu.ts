import { elementwise } from "../../core/math/elementwise.ts";
import type { ActivationPlugin } from "../../core/math/types.ts";
import { logistic } from "./_logistic.ts";

/**
 * SiLU, also called swish: h(x) = x·σ(x), h'(x) = σ(x)(1 + x·σ(-x)).
 * Layers using it default to He init.
 *
 * @example
 * ```ts
 * import { silu } from "./silu.ts";
 * silu.f?.(0); // 0
 * silu.df?.(0, 0); // 0.5
 * ```
 */
export const silu: ActivationPlugin = /* @__PURE__ */ elementwise({
  name: "silu",
  version: "1.0.0",
  init: "he",
  description: "h(x) = x / (1 + exp(-x))",
  f: (x) => x * logistic(x),
  df: (x) => logistic(x) * (1 + x * logistic(-x)),
});
