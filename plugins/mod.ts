/**
 * Every built-in plugin: activations, losses and optimizers, plus
 * {@linkcode builtinPlugins} listing them all for a registry.
 *
 * @module
 */
import type { Plugin } from "../core/math/types.ts";
import { builtinActivations } from "./activations/mod.ts";
import { builtinLosses } from "./losses/mod.ts";
import { builtinOptimizers } from "./optimizers/mod.ts";

// The interfaces these plugins implement, so that this folder's API documents itself; mod.ts
// exports the same ones.
export type {
  ActivationGrad,
  ActivationPlugin,
  Floats,
  FusedLoss,
  InitName,
  LossArgs,
  LossInput,
  LossPlugin,
  Mat,
  OptimizerPlugin,
  Plugin,
  PluginBase,
  PluginParams,
  UpdateContext,
} from "../core/math/types.ts";
export * from "./activations/mod.ts";
export * from "./losses/mod.ts";
export * from "./optimizers/mod.ts";

/**
 * A fresh list of every built-in plugin (parametric ones with their default
 * parameters), ready to build a registry from.
 *
 * @example
 * ```ts
 * import { builtinPlugins } from "./mod.ts";
 * builtinPlugins().filter((p) => p.kind === "optimizer").length; // 6
 * ```
 */
export function builtinPlugins(): Plugin[] {
  return [...builtinActivations(), ...builtinLosses(), ...builtinOptimizers()];
}
