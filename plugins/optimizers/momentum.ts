import type { OptimizerPlugin } from "../../core/math/types.ts";
import { checkParams, header, inRange, mergeParams } from "./_options.ts";

/** Options of {@linkcode momentum}. */
export interface MomentumOptions {
  /** Default learning rate, in [0, inf) (default 0.01). */
  lr?: number;
  /** Momentum factor μ, in [0, 1) (default 0.9). */
  momentum?: number;
  /** Use Nesterov's look-ahead form (default false). Stored in `params` as 0 or 1. */
  nesterov?: boolean;
  /** Clip gradients to this global L2 norm, in (0, inf); applied by the core. */
  clipNorm?: number;
}

/**
 * SGD with momentum, PyTorch convention: v ← μv + g; p ← p - lr·v, or with
 * Nesterov p ← p - lr·(g + μv). One slot: the velocity v.
 *
 * @example
 * ```ts
 * import { momentum } from "./momentum.ts";
 * const opt = momentum({ lr: 0.1, momentum: 0.9 });
 * const p = new Float32Array([1]), v = new Float32Array(1);
 * opt.update(p, new Float32Array([1]), [v], { lr: 0.1, t: 1 }); // p is [0.9]
 * opt.update(p, new Float32Array([1]), [v], { lr: 0.1, t: 2 }); // p is [0.71]
 * ```
 */
export function momentum(options: MomentumOptions = {}): OptimizerPlugin {
  const { lr = 0.01, momentum: mu = 0.9, nesterov = false, clipNorm } = options;
  inRange("momentum", "momentum", mu, "[0, 1)");
  const params = checkParams(
    "momentum",
    { lr, momentum: mu, nesterov: nesterov ? 1 : 0 },
    clipNorm,
  );
  return {
    ...header("momentum", params),
    slots: 1,
    description: nesterov ? "v = mu v + g; p -= lr (g + mu v)" : "v = mu v + g; p -= lr v",
    configure(p) {
      const next = mergeParams("momentum", params, p);
      if (next.nesterov !== 0 && next.nesterov !== 1) {
        throw new RangeError(`Invalid momentum nesterov: ${next.nesterov} is not 0 or 1`);
      }
      return momentum({ ...next, nesterov: next.nesterov === 1 });
    },
    update(param, grad, [v], { lr }) {
      for (let i = 0; i < param.length; i++) {
        const vi = mu * v[i] + grad[i];
        v[i] = vi;
        param[i] -= lr * (nesterov ? grad[i] + mu * vi : vi);
      }
    },
  };
}
