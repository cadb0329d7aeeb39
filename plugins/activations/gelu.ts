import { elementwise } from "../../core/math/elementwise.ts";
import type { ActivationPlugin } from "../../core/math/types.ts";
import { logistic } from "./_logistic.ts";

const K = Math.sqrt(2 / Math.PI);
const C = 0.044715;

/**
 * GELU, tanh approximation (Hendrycks & Gimpel; PyTorch `approximate="tanh"`):
 * h(x) = ½x(1 + tanh(u)) with u = √(2/π)(x + 0.044715x³). It is computed as
 * the identical x·σ(2u), which never overflows, and h'(x) is the exact
 * derivative of that: σ(2u) + x·σ(2u)·σ(-2u)·2u', u' = √(2/π)(1 + 3·0.044715x²).
 * Layers using it default to He init.
 *
 * @example
 * ```ts
 * import { gelu } from "./gelu.ts";
 * gelu.f?.(0); // 0
 * gelu.df?.(0, 0); // 0.5
 * ```
 */
export const gelu: ActivationPlugin = /* @__PURE__ */ elementwise({
  name: "gelu",
  version: "1.0.0",
  init: "he",
  description: "h(x) = 0.5x(1 + tanh(sqrt(2/pi)(x + 0.044715x^3))) (tanh approximation)",
  f: (x) => x * logistic(2 * K * (x + C * x * x * x)),
  df: (x) => {
    const u = 2 * K * (x + C * x * x * x);
    const s = logistic(u);
    return s + x * s * logistic(-u) * 2 * K * (1 + 3 * C * x * x);
  },
});
