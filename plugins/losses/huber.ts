import type { LossPlugin, PluginParams } from "../../core/math/types.ts";
import { sameShape } from "./_shape.ts";

/** Options of {@linkcode huber}. */
export interface HuberOptions {
  /** Where the loss turns from quadratic to linear, in (0, inf) (default 1). */
  delta?: number;
}

/**
 * Huber loss over all n = rows·cols elements, with d = y - t:
 * L = (1/n) Σ (½d² if |d| ≤ δ else δ(|d| - ½δ)), dL/dy = clamp(d, -δ, δ)/n.
 * Quadratic near the target, linear (robust to outliers) far from it.
 *
 * @example
 * ```ts
 * import { huber } from "./huber.ts";
 * const y = { data: new Float32Array([0.5, 3]), rows: 1, cols: 2 };
 * const t = { data: new Float32Array([0, 0]), rows: 1, cols: 2 };
 * huber().loss({ y, t }); // (0.125 + 2.5) / 2
 * ```
 */
export function huber({ delta = 1 }: HuberOptions = {}): LossPlugin {
  if (!(delta > 0 && delta < Infinity)) {
    throw new RangeError(`Invalid huber delta: ${delta} is not in (0, inf)`);
  }
  const configure = (p: PluginParams): LossPlugin => {
    for (const k in p) if (k !== "delta") throw new TypeError(`Unknown huber parameter: ${k}`);
    return huber({ delta: p.delta ?? delta });
  };
  return {
    kind: "loss",
    name: "huber",
    version: "1.0.0",
    input: "values",
    params: { delta },
    configure,
    description: `L = mean(0.5d^2 if |d| <= ${delta} else ${delta}(|d| - ${delta / 2})), d = y - t`,
    loss({ y, t }) {
      const n = sameShape("huber", y, t), yd = y.data, td = t.data;
      let s = 0;
      for (let i = 0; i < n; i++) {
        const a = Math.abs(yd[i] - td[i]);
        s += a <= delta ? 0.5 * a * a : delta * (a - 0.5 * delta);
      }
      return s / n;
    },
    gradient({ y, t }, dy) {
      const n = sameShape("huber", y, t), yd = y.data, td = t.data, out = dy.data;
      for (let i = 0; i < n; i++) out[i] = Math.min(delta, Math.max(-delta, yd[i] - td[i])) / n;
    },
  };
}
