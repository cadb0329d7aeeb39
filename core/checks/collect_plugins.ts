import { PLUGIN_KINDS } from "./plugin_ref.ts";
import type { Plugin, PluginKind } from "../math/types.ts";

function isPlugin(value: unknown): value is Plugin {
  const p = value as { kind?: unknown; name?: unknown } | null;
  return typeof p === "object" && p !== null && PLUGIN_KINDS.includes(p.kind as PluginKind) &&
    typeof p.name === "string";
}

/**
 * The plugins a module exports: its default export when that is an array of
 * plugins (or one plugin), plus every named export that is a plugin object
 * (`{ kind, name, ... }`). Factories are not called: export
 * `leakyRelu({ alpha: 0.2 })`, not `leakyRelu`. Throws a TypeError when the
 * module exports no plugin or a default array holds something else.
 *
 * @example
 * ```ts
 * import { collectPlugins } from "./collect_plugins.ts";
 * import { elementwise } from "../math/elementwise.ts";
 * const swish = elementwise({ name: "myorg/swish", f: (x) => x / (1 + Math.exp(-x)), df: () => 1 });
 * collectPlugins({ swish }).map((p) => p.name); // ["myorg/swish"]
 * ```
 */
export function collectPlugins(
  module: Record<string, unknown>,
  source = "the plugin module",
): Plugin[] {
  const found: Plugin[] = [];
  const add = (value: Plugin) => {
    if (!found.includes(value)) found.push(value);
  };
  const fallback = module.default;
  if (Array.isArray(fallback)) {
    fallback.forEach((item, i) => {
      if (!isPlugin(item)) {
        throw new TypeError(
          `Invalid plugin: item ${i} of the default export of ${source} is not a plugin object { kind, name, ... }; export plugins, not factories`,
        );
      }
      add(item);
    });
  } else if (isPlugin(fallback)) add(fallback);
  for (const [key, value] of Object.entries(module)) {
    if (key !== "default" && isPlugin(value)) add(value);
  }
  if (found.length === 0) {
    throw new TypeError(
      `No plugins in ${source}: export plugin objects (export const swish = elementwise({ ... })) or a default array of them`,
    );
  }
  return found;
}
