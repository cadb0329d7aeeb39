import { elementwise } from "../../core/math/elementwise.ts";
import type { ActivationPlugin, PluginParams } from "../../core/math/types.ts";

/** Options of {@linkcode leakyRelu}. */
export interface LeakyReluOptions {
  /** Slope for negative inputs, in [0, inf) (default 0.01). */
  alpha?: number;
}

/**
 * The leaky ReLU: h(x) = x if x > 0 else αx, h'(x) = 1 if x > 0 else α
 * (α at the kink). Layers using it default to He init.
 *
 * @example
 * ```ts
 * import { leakyRelu } from "./leaky_relu.ts";
 * const act = leakyRelu({ alpha: 0.2 });
 * act.f?.(-1); // -0.2
 * act.configure?.({ alpha: 0.1 }).params; // { alpha: 0.1 }
 * ```
 */
export function leakyRelu({ alpha = 0.01 }: LeakyReluOptions = {}): ActivationPlugin {
  if (!(alpha >= 0 && alpha < Infinity)) {
    throw new RangeError(`Invalid leakyRelu alpha: ${alpha} is not in [0, inf)`);
  }
  const configure = (p: PluginParams): ActivationPlugin => {
    for (const k in p) if (k !== "alpha") throw new TypeError(`Unknown leakyRelu parameter: ${k}`);
    return leakyRelu({ alpha: p.alpha ?? alpha });
  };
  return elementwise({
    name: "leakyRelu",
    version: "1.0.0",
    init: "he",
    params: { alpha },
    configure,
    description: `h(x) = x if x > 0 else ${alpha}x`,
    f: (x) => (x > 0 ? x : alpha * x),
    df: (x) => (x > 0 ? 1 : alpha),
    forward(z, y) {
      const zd = z.data, yd = y.data;
      for (let i = 0, n = z.rows * z.cols; i < n; i++) yd[i] = zd[i] > 0 ? zd[i] : alpha * zd[i];
    },
    backward({ z, dy, dz }) {
      const zd = z.data, gd = dy.data, out = dz.data;
      for (let i = 0, n = z.rows * z.cols; i < n; i++) out[i] = gd[i] * (zd[i] > 0 ? 1 : alpha);
    },
  });
}
