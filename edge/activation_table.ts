import { refName, refParams } from "../core/checks/plugin_ref.ts";
import type { Registry } from "../core/checks/registry.ts";
import type { Plugin } from "../core/math/types.ts";

/**
 * A lookup of activations by name for the inference path, with the registry's
 * `get` and `has` and its rules (a duplicate name is an error, an unknown name
 * lists the known ones) but without its plugin checks: edge builds run those
 * checks at build time, so workers skip them at every cold start. Plugins of
 * other kinds are ignored.
 *
 * @example
 * ```ts
 * import { activationTable } from "./activation_table.ts";
 * import { relu } from "../plugins/activations/relu.ts";
 * activationTable([relu]).get("activation", "relu") === relu; // true
 * ```
 */
export function activationTable(plugins: readonly Plugin[]): Pick<Registry, "get" | "has"> {
  const table = new Map<string, Plugin>();
  for (const plugin of plugins) {
    if (plugin.kind !== "activation") continue;
    const existing = table.get(plugin.name);
    if (existing && existing !== plugin) {
      throw new TypeError(
        `Duplicate activation "${plugin.name}": a different plugin already has this name; rename one (e.g. "myorg/${plugin.name}")`,
      );
    }
    table.set(plugin.name, plugin);
  }
  return {
    has: (kind, name) => kind === "activation" && table.has(name),
    get(kind, ref) {
      const name = refName(ref);
      const found = kind === "activation" ? table.get(name) : undefined;
      if (!found) {
        const known = kind === "activation" ? [...table.keys()].join(", ") : "none";
        throw new TypeError(
          `Unknown ${kind} "${name}": known ${kind}s are ${known}; register a plugin named "${name}" to use it`,
        );
      }
      const params = refParams(ref);
      if (!params || Object.keys(params).length === 0) return found as never;
      if (!found.configure) {
        throw new TypeError(
          `Invalid params for ${kind} "${name}": it takes no parameters, remove params`,
        );
      }
      return found.configure(params) as never;
    },
  };
}
