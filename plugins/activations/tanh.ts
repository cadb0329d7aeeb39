import { elementwise } from "../../core/elementwise.ts";
import type { ActivationPlugin } from "../../core/types.ts";

/**
 * The hyperbolic tangent: h(x) = tanh(x), h'(x) = 1 - tanh(x)² = 1 - y².
 * `Math.tanh` saturates to ±1 without overflow.
 *
 * @example
 * ```ts
 * import { tanh } from "./tanh.ts";
 * tanh.f?.(0); // 0
 * tanh.df?.(0, 0); // 1
 * ```
 */
export const tanh: ActivationPlugin = elementwise({
  name: "tanh",
  version: "1.0.0",
  description: "h(x) = tanh(x)",
  f: Math.tanh,
  df: (_x, y) => 1 - y * y,
});
