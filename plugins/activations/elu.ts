import { elementwise } from "../../core/math/elementwise.ts";
import type { ActivationPlugin, PluginParams } from "../../core/math/types.ts";

/** Options of {@linkcode elu}. */
export interface EluOptions {
  /** Value the output tends to for very negative inputs is -alpha; in [0, inf) (default 1). */
  alpha?: number;
}

/**
 * The exponential linear unit: h(x) = x if x > 0 else α(e^x - 1), h'(x) = 1 if
 * x > 0 else αe^x. Uses `expm1` so small negative inputs keep their precision.
 * Layers using it default to He init.
 *
 * @example
 * ```ts
 * import { elu } from "./elu.ts";
 * const act = elu();
 * act.f?.(-1e4); // -1
 * elu({ alpha: 0.5 }).params; // { alpha: 0.5 }
 * ```
 */
export function elu({ alpha = 1 }: EluOptions = {}): ActivationPlugin {
  if (!(alpha >= 0 && alpha < Infinity)) {
    throw new RangeError(`Invalid elu alpha: ${alpha} is not in [0, inf)`);
  }
  const configure = (p: PluginParams): ActivationPlugin => {
    for (const k in p) if (k !== "alpha") throw new TypeError(`Unknown elu parameter: ${k}`);
    return elu({ alpha: p.alpha ?? alpha });
  };
  return elementwise({
    name: "elu",
    version: "1.0.0",
    init: "he",
    params: { alpha },
    configure,
    description: `h(x) = x if x > 0 else ${alpha}(exp(x) - 1)`,
    f: (x) => (x > 0 ? x : alpha * Math.expm1(x)),
    df: (x) => (x > 0 ? 1 : alpha * Math.exp(x)),
  });
}
