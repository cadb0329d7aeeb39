/**
 * Option checks and the common fields shared by the built-in optimizers.
 * Internal.
 *
 * @module
 */
import type { PluginParams } from "../../core/math/types.ts";

const bound = (s: string): number => (s === "inf" ? Infinity : Number(s));

/**
 * Returns `value` if it lies in `range`, written like `"[0, 1)"` or
 * `"(0, inf)"`; throws a RangeError naming the option and the range otherwise.
 *
 * @example
 * ```ts
 * import { inRange } from "./_options.ts";
 * inRange("adam", "beta1", 0.9, "[0, 1)"); // 0.9
 * // inRange("adam", "beta1", 1, "[0, 1)") throws "Invalid adam beta1: 1 is not in [0, 1)"
 * ```
 */
export function inRange(owner: string, option: string, value: number, range: string): number {
  const [lo, hi] = range.slice(1, -1).split(", ").map(bound);
  const ok = Number.isFinite(value) && (range.startsWith("[") ? value >= lo : value > lo) &&
    (range.endsWith("]") ? value <= hi : value < hi);
  if (!ok) throw new RangeError(`Invalid ${owner} ${option}: ${value} is not in ${range}`);
  return value;
}

/**
 * Checks `lr` and `clipNorm` and returns the parameter record of an optimizer:
 * its own numbers plus `clipNorm` when given.
 *
 * @example
 * ```ts
 * import { checkParams } from "./_options.ts";
 * checkParams("sgd", { lr: 0.1 }, 5); // { lr: 0.1, clipNorm: 5 }
 * ```
 */
export function checkParams(
  owner: string,
  own: { lr: number } & Record<string, number>,
  clipNorm: number | undefined,
): PluginParams {
  inRange(owner, "lr", own.lr, "[0, inf)");
  if (clipNorm === undefined) return { ...own };
  return { ...own, clipNorm: inRange(owner, "clipNorm", clipNorm, "(0, inf)") };
}

/**
 * The fields every built-in optimizer has, taken from its checked parameters.
 *
 * @example
 * ```ts
 * import { header } from "./_options.ts";
 * header("sgd", { lr: 0.1 }).kind; // "optimizer"
 * ```
 */
export function header(name: string, params: PluginParams): {
  kind: "optimizer";
  name: string;
  version: string;
  lr: number;
  clipNorm?: number;
  elementwise: true;
  params: PluginParams;
} {
  const clip = params.clipNorm === undefined ? {} : { clipNorm: params.clipNorm };
  return {
    kind: "optimizer",
    name,
    version: "1.0.0",
    lr: params.lr,
    ...clip,
    elementwise: true,
    params,
  };
}

/**
 * Merges `next` over the `current` parameters for `configure`, rejecting names
 * the optimizer does not have (`clipNorm` may always be added).
 *
 * @example
 * ```ts
 * import { mergeParams } from "./_options.ts";
 * mergeParams("sgd", { lr: 0.1 }, { lr: 0.5 }); // { lr: 0.5 }
 * // mergeParams("sgd", { lr: 0.1 }, { rate: 1 }) throws a TypeError
 * ```
 */
export function mergeParams(
  owner: string,
  current: PluginParams,
  next: PluginParams,
): Record<string, number> {
  const known = [...new Set([...Object.keys(current), "clipNorm"])];
  for (const k in next) {
    if (!known.includes(k)) {
      throw new TypeError(`Unknown ${owner} parameter: ${k} is not one of ${known.join(", ")}`);
    }
  }
  return { ...current, ...next };
}
