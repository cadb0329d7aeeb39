import type { OptimizerPlugin } from "../../core/math/types.ts";
import { checkParams, header, inRange, mergeParams } from "./_options.ts";

/** Options of {@linkcode rmsprop}. */
export interface RmspropOptions {
  /** Default learning rate, in [0, inf) (default 0.001). */
  lr?: number;
  /** Decay ρ of the mean square, in [0, 1) (default 0.9). */
  rho?: number;
  /** Added to the root mean square, in (0, inf) (default 1e-8). */
  eps?: number;
  /** Clip gradients to this global L2 norm, in (0, inf); applied by the core. */
  clipNorm?: number;
}

/**
 * RMSprop (Hinton): s ← ρs + (1 - ρ)g²; p ← p - lr·g / (√s + ε). One slot: s.
 *
 * @example
 * ```ts
 * import { rmsprop } from "./rmsprop.ts";
 * const p = new Float32Array([1]), s = new Float32Array(1);
 * rmsprop().update(p, new Float32Array([2]), [s], { lr: 0.01, t: 1 });
 * // s is [0.4], p is [1 - 0.02 / Math.sqrt(0.4)]
 * ```
 */
export function rmsprop(options: RmspropOptions = {}): OptimizerPlugin {
  const { lr = 0.001, rho = 0.9, eps = 1e-8, clipNorm } = options;
  inRange("rmsprop", "rho", rho, "[0, 1)");
  inRange("rmsprop", "eps", eps, "(0, inf)");
  const params = checkParams("rmsprop", { lr, rho, eps }, clipNorm);
  return {
    ...header("rmsprop", params),
    slots: 1,
    description: "s = rho s + (1 - rho) g^2; p -= lr g / (sqrt(s) + eps)",
    configure: (p) => rmsprop(mergeParams("rmsprop", params, p)),
    update(param, grad, [s], { lr }) {
      for (let i = 0; i < param.length; i++) {
        const g = grad[i], si = rho * s[i] + (1 - rho) * g * g;
        s[i] = si;
        param[i] -= lr * g / (Math.sqrt(si) + eps);
      }
    },
  };
}
