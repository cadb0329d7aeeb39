/**
 * The built-in optimizers, one file each, and {@linkcode builtinOptimizers}
 * listing them all.
 *
 * @module
 */
import type { OptimizerPlugin } from "../../core/math/types.ts";
import { adagrad } from "./adagrad.ts";
import { adam } from "./adam.ts";
import { adamw } from "./adamw.ts";
import { momentum } from "./momentum.ts";
import { rmsprop } from "./rmsprop.ts";
import { sgd } from "./sgd.ts";

export { adagrad, adam, adamw, momentum, rmsprop, sgd };
export type { AdagradOptions } from "./adagrad.ts";
export type { AdamOptions } from "./adam.ts";
export type { AdamwOptions } from "./adamw.ts";
export type { MomentumOptions } from "./momentum.ts";
export type { RmspropOptions } from "./rmsprop.ts";
export type { SgdOptions } from "./sgd.ts";

/**
 * A fresh list of every built-in optimizer with its default options.
 *
 * @example
 * ```ts
 * import { builtinOptimizers } from "./mod.ts";
 * builtinOptimizers().map((o) => o.name);
 * // ["sgd", "momentum", "rmsprop", "adagrad", "adam", "adamw"]
 * ```
 */
export function builtinOptimizers(): OptimizerPlugin[] {
  return [sgd(), momentum(), rmsprop(), adagrad(), adam(), adamw()];
}
