import type { OptimizerPlugin } from "../../core/math/types.ts";
import { adamRule } from "./_adam.ts";
import type { AdamOptions } from "./adam.ts";

/** Options of {@linkcode adamw}. */
export interface AdamwOptions extends AdamOptions {
  /** Decoupled weight decay λ, in [0, inf) (default 0.01). */
  weightDecay?: number;
}

/**
 * AdamW (Loshchilov & Hutter), as PyTorch applies it: the weights first decay
 * by the step's learning rate, p ← p - lr·λ·p, independently of the gradient
 * moments; then the Adam step p ← p - lr·m̂ / (√v̂ + ε). Two slots: m and v.
 *
 * @example
 * ```ts
 * import { adamw } from "./adamw.ts";
 * const p = new Float32Array([1]), m = new Float32Array(1), v = new Float32Array(1);
 * adamw({ weightDecay: 0.1 }).update(p, new Float32Array([5]), [m, v], { lr: 0.1, t: 1 });
 * // p is about [1 - 0.01 - 0.1] = [0.89]
 * ```
 */
export function adamw(options: AdamwOptions = {}): OptimizerPlugin {
  return adamRule("adamw", options, adamw);
}
