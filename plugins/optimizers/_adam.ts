/**
 * The Adam rule shared by `adam` and `adamw`. Internal.
 *
 * @module
 */
import { adamConstants, adamUpdate } from "../../core/math/adam_rule.ts";
import type { OptimizerPlugin, PluginParams } from "../../core/math/types.ts";
import { checkParams, header, inRange, mergeParams } from "./_options.ts";

/** Options of the Adam rule; `weightDecay` only for `"adamw"`. */
export interface AdamRuleOptions {
  lr?: number;
  beta1?: number;
  beta2?: number;
  eps?: number;
  weightDecay?: number;
  clipNorm?: number;
}

/**
 * Builds Adam, or AdamW when `name` is `"adamw"`. `remake` is the public
 * factory, called by `configure`.
 *
 * @example
 * ```ts
 * import { adamRule } from "./_adam.ts";
 * const make = (o: object) => adamRule("adam", o, make);
 * make({ lr: 0.01 }).slots; // 2
 * ```
 */
export function adamRule(
  name: "adam" | "adamw",
  options: AdamRuleOptions,
  remake: (options: PluginParams) => OptimizerPlugin,
): OptimizerPlugin {
  const { lr = 0.001, beta1 = 0.9, beta2 = 0.999, eps = 1e-8, clipNorm } = options;
  inRange(name, "beta1", beta1, "[0, 1)");
  inRange(name, "beta2", beta2, "[0, 1)");
  inRange(name, "eps", eps, "(0, inf)");
  const wd = name === "adamw"
    ? inRange(name, "weightDecay", options.weightDecay ?? 0.01, "[0, inf)")
    : 0;
  const own = { lr, beta1, beta2, eps, ...(name === "adamw" ? { weightDecay: wd } : {}) };
  const params = checkParams(name, own, clipNorm);
  const settings = { beta1, beta2, eps, weightDecay: wd };
  return {
    ...header(name, params),
    slots: 2,
    description: (wd ? "p -= lr wd p; " : "") +
      "m = b1 m + (1 - b1) g; v = b2 v + (1 - b2) g^2; p -= lr (m / (1 - b1^t)) / (sqrt(v / (1 - b2^t)) + eps)",
    configure: (p) => remake(mergeParams(name, params, p)),
    kernel: "adam",
    update(param, grad, [m, v], { lr, t }) {
      if (!(t >= 1)) throw new RangeError(`Invalid ${name} step: t = ${t} is not in [1, inf)`);
      adamUpdate(param, grad, m, v, adamConstants(settings, lr, t));
    },
  };
}
