/**
 * The built-in losses, one file each, and {@linkcode builtinLosses} listing
 * them all.
 *
 * @module
 */
import type { LossPlugin } from "../../core/math/types.ts";
import { binaryCrossEntropy } from "./binary_cross_entropy.ts";
import { crossEntropy } from "./cross_entropy.ts";
import { huber } from "./huber.ts";
import { mae } from "./mae.ts";
import { mse } from "./mse.ts";

export { binaryCrossEntropy, crossEntropy, huber, mae, mse };
export type { BinaryCrossEntropyOptions } from "./binary_cross_entropy.ts";
export type { CrossEntropyOptions } from "./cross_entropy.ts";
export type { HuberOptions } from "./huber.ts";

/**
 * A fresh list of every built-in loss with its default parameters (the
 * probability-taking cross-entropies; `configure({ fromLogits: 1 })` gives the
 * logits versions).
 *
 * @example
 * ```ts
 * import { builtinLosses } from "./mod.ts";
 * builtinLosses().map((l) => l.name);
 * // ["mse", "mae", "huber", "binaryCrossEntropy", "crossEntropy"]
 * ```
 */
export function builtinLosses(): LossPlugin[] {
  return [mse, mae, huber(), binaryCrossEntropy(), crossEntropy()];
}
