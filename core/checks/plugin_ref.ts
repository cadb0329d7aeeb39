/**
 * Plugin references: the kinds, the name a reference points to, and how a
 * plugin is named so that a registry rebuilds it. One copy for the registry,
 * checkpoints, model files, workers and the server.
 *
 * @module
 */
import type { PluginKind, PluginParams, PluginRef } from "../math/types.ts";

/** The kinds of plugin, in the order registries list them. */
export const PLUGIN_KINDS: readonly PluginKind[] = ["activation", "loss", "optimizer"];

/**
 * The name a plugin reference points to.
 *
 * @example
 * ```ts
 * import { refName } from "./plugin_ref.ts";
 * refName({ name: "leakyRelu", params: { alpha: 0.2 } }); // "leakyRelu"
 * ```
 */
export const refName = (ref: PluginRef): string => typeof ref === "string" ? ref : ref.name;

/**
 * The params a plugin reference gives, if any.
 *
 * @example
 * ```ts
 * import { refParams } from "./plugin_ref.ts";
 * refParams({ name: "leakyRelu", params: { alpha: 0.2 } }); // { alpha: 0.2 }
 * refParams("relu"); // undefined
 * ```
 */
export const refParams = (ref: PluginRef): PluginParams | undefined =>
  typeof ref === "string" ? undefined : ref.params;

/**
 * How to name a plugin so that a registry rebuilds it (and how checkpoints
 * and model files record it): its name, with a copy of its params when it
 * has any.
 *
 * @example
 * ```ts
 * import { pluginRef } from "./plugin_ref.ts";
 * pluginRef({ name: "adam", params: { lr: 0.01 } }); // { name: "adam", params: { lr: 0.01 } }
 * pluginRef({ name: "relu" }); // { name: "relu" }
 * ```
 */
export function pluginRef(
  plugin: { readonly name: string; readonly params?: PluginParams },
): { name: string; params?: Record<string, number> } {
  return plugin.params
    ? { name: plugin.name, params: { ...plugin.params } }
    : { name: plugin.name };
}
