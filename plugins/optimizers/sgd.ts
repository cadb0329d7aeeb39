import type { OptimizerPlugin } from "../../core/math/types.ts";
import { checkParams, header, mergeParams } from "./_options.ts";

/** Options of {@linkcode sgd}. */
export interface SgdOptions {
  /** Default learning rate, in [0, inf) (default 0.01). */
  lr?: number;
  /** Clip gradients to this global L2 norm, in (0, inf); applied by the core. */
  clipNorm?: number;
}

/**
 * Plain gradient descent: p ← p - lr·g. Keeps no state (0 slots).
 *
 * @example
 * ```ts
 * import { sgd } from "./sgd.ts";
 * const p = new Float32Array([1]);
 * sgd().update(p, new Float32Array([2]), [], { lr: 0.1, t: 1 });
 * // p is [0.8]
 * ```
 */
export function sgd(options: SgdOptions = {}): OptimizerPlugin {
  const { lr = 0.01, clipNorm } = options;
  const params = checkParams("sgd", { lr }, clipNorm);
  return {
    ...header("sgd", params),
    slots: 0,
    description: "p -= lr g",
    configure: (p) => sgd(mergeParams("sgd", params, p)),
    update(param, grad, _slots, { lr }) {
      for (let i = 0; i < param.length; i++) param[i] -= lr * grad[i];
    },
  };
}
