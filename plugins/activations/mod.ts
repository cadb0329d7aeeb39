/**
 * The built-in activations, one file each, and {@linkcode builtinActivations}
 * listing them all.
 *
 * @module
 */
import type { ActivationPlugin } from "../../core/math/types.ts";
import { elu } from "./elu.ts";
import { gelu } from "./gelu.ts";
import { identity } from "./identity.ts";
import { leakyRelu } from "./leaky_relu.ts";
import { relu } from "./relu.ts";
import { sigmoid } from "./sigmoid.ts";
import { silu } from "./silu.ts";
import { softmax } from "./softmax.ts";
import { softplus } from "./softplus.ts";
import { tanh } from "./tanh.ts";

export { elu, gelu, identity, leakyRelu, relu, sigmoid, silu, softmax, softplus, tanh };
export type { EluOptions } from "./elu.ts";
export type { LeakyReluOptions } from "./leaky_relu.ts";

/**
 * A fresh list of every built-in activation, parametric ones with their
 * default parameters. Registries are built from lists like this one.
 *
 * @example
 * ```ts
 * import { builtinActivations } from "./mod.ts";
 * builtinActivations().map((a) => a.name);
 * // ["identity", "sigmoid", "tanh", "relu", "leakyRelu", "elu", "softplus", "gelu", "silu", "softmax"]
 * ```
 */
export function builtinActivations(): ActivationPlugin[] {
  return [identity, sigmoid, tanh, relu, leakyRelu(), elu(), softplus, gelu, silu, softmax];
}
