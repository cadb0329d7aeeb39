import type { OptimizerPlugin } from "../../core/math/types.ts";
import { adamRule } from "./_adam.ts";

/** Options of {@linkcode adam}. */
export interface AdamOptions {
  /** Default learning rate, in [0, inf) (default 0.001). */
  lr?: number;
  /** Decay of the first moment, in [0, 1) (default 0.9). */
  beta1?: number;
  /** Decay of the second moment, in [0, 1) (default 0.999). */
  beta2?: number;
  /** Added to the root of the second moment, in (0, inf) (default 1e-8). */
  eps?: number;
  /** Clip gradients to this global L2 norm, in (0, inf); applied by the core. */
  clipNorm?: number;
}

/**
 * Adam (Kingma & Ba), with bias correction from the step count t:
 * m ← β₁m + (1 - β₁)g; v ← β₂v + (1 - β₂)g²;
 * p ← p - lr·m̂ / (√v̂ + ε), m̂ = m / (1 - β₁ᵗ), v̂ = v / (1 - β₂ᵗ).
 * Two slots: m and v.
 *
 * @example
 * ```ts
 * import { adam } from "./adam.ts";
 * const p = new Float32Array([1]), m = new Float32Array(1), v = new Float32Array(1);
 * adam().update(p, new Float32Array([5]), [m, v], { lr: 0.1, t: 1 });
 * // the first step moves each weight by about lr: p is about [0.9]
 * ```
 */
export function adam(options: AdamOptions = {}): OptimizerPlugin {
  return adamRule("adam", options, adam);
}
