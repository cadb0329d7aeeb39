import type { OptimizerPlugin } from "../../core/math/types.ts";
import { checkParams, header, inRange, mergeParams } from "./_options.ts";

/** Options of {@linkcode adagrad}. */
export interface AdagradOptions {
  /** Default learning rate, in [0, inf) (default 0.01). */
  lr?: number;
  /** Added to the root of the sum of squares, in (0, inf) (default 1e-8). */
  eps?: number;
  /** Clip gradients to this global L2 norm, in (0, inf); applied by the core. */
  clipNorm?: number;
}

/**
 * Adagrad (Duchi et al.): s ← s + g²; p ← p - lr·g / (√s + ε), with the
 * accumulator s starting at 0. One slot: s.
 *
 * @example
 * ```ts
 * import { adagrad } from "./adagrad.ts";
 * const p = new Float32Array([1]), s = new Float32Array(1);
 * adagrad().update(p, new Float32Array([3]), [s], { lr: 0.1, t: 1 });
 * // s is [9], p is about [0.9]
 * ```
 */
export function adagrad(options: AdagradOptions = {}): OptimizerPlugin {
  const { lr = 0.01, eps = 1e-8, clipNorm } = options;
  inRange("adagrad", "eps", eps, "(0, inf)");
  const params = checkParams("adagrad", { lr, eps }, clipNorm);
  return {
    ...header("adagrad", params),
    slots: 1,
    description: "s += g^2; p -= lr g / (sqrt(s) + eps)",
    configure: (p) => adagrad(mergeParams("adagrad", params, p)),
    update(param, grad, [s], { lr }) {
      for (let i = 0; i < param.length; i++) {
        const g = grad[i], si = s[i] + g * g;
        s[i] = si;
        param[i] -= lr * g / (Math.sqrt(si) + eps);
      }
    },
  };
}
