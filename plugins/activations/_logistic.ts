/**
 * The logistic function σ(x) = 1 / (1 + e^-x), shared by sigmoid, softplus,
 * silu, gelu and the binary cross-entropy. Internal.
 *
 * @module
 */

/**
 * σ(x), written so that `exp` only ever sees a non-positive argument: it never
 * overflows, and σ(-x) = 1 - σ(x) keeps full relative precision near 0.
 *
 * @example
 * ```ts
 * import { logistic } from "./_logistic.ts";
 * logistic(0); // 0.5
 * logistic(-1e4); // 0, not NaN
 * ```
 */
export function logistic(x: number): number {
  if (x >= 0) return 1 / (1 + Math.exp(-x));
  const e = Math.exp(x);
  return e / (1 + e);
}
