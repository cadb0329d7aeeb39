import type {
  ActivationPlugin,
  LossPlugin,
  OptimizerPlugin,
  Plugin,
  PluginKind,
  PluginRef,
} from "./types.ts";

/** The plugin type for each kind. */
export interface PluginsByKind {
  activation: ActivationPlugin;
  loss: LossPlugin;
  optimizer: OptimizerPlugin;
}

/** A lookup table of plugins: a value built from a list, never global. */
export interface Registry {
  /**
   * The plugin of `kind` named by `ref`; with params it is configured with them.
   * Throws a TypeError listing the known names when there is none.
   */
  get<K extends PluginKind>(kind: K, ref: PluginRef): PluginsByKind[K];
  /** True when a plugin of `kind` has that name. */
  has(kind: PluginKind, name: string): boolean;
  /** All plugins of one kind (or all), in registration order. */
  list<K extends PluginKind>(kind: K): PluginsByKind[K][];
  list(): Plugin[];
  /** A new registry holding these plugins and `more` (same duplicate rules). */
  with(more: readonly Plugin[]): Registry;
}

const KINDS: readonly PluginKind[] = ["activation", "loss", "optimizer"];

/**
 * Builds a registry from a list of plugins. A second plugin with a name already
 * taken in its kind is an error, unless it is the very same object.
 *
 * @example
 * ```ts
 * import { createRegistry } from "./registry.ts";
 * import { elementwise } from "./elementwise.ts";
 * const square = elementwise({ name: "square", f: (x) => x * x, df: (x) => 2 * x });
 * const registry = createRegistry([square]);
 * registry.get("activation", "square") === square; // true
 * ```
 */
export function createRegistry(plugins: readonly Plugin[]): Registry {
  const byKind = new Map<PluginKind, Map<string, Plugin>>(KINDS.map((k) => [k, new Map()]));
  for (const plugin of plugins) add(byKind, plugin);
  const registry: Registry = {
    get(kind, ref) {
      const name = typeof ref === "string" ? ref : ref.name;
      const found = byKind.get(kind)?.get(name);
      if (!found) {
        const known = [...(byKind.get(kind)?.keys() ?? [])].join(", ") || "none";
        throw new TypeError(
          `Unknown ${kind} "${name}": known ${kind}s are ${known}; register a plugin named "${name}" to use it`,
        );
      }
      const params = typeof ref === "string" ? undefined : ref.params;
      if (!params || Object.keys(params).length === 0) return found as never;
      if (!found.configure) {
        throw new TypeError(
          `Invalid params for ${kind} "${name}": it takes no parameters, remove params`,
        );
      }
      return found.configure(params) as never;
    },
    has: (kind, name) => byKind.get(kind)?.has(name) ?? false,
    list:
      ((kind?: PluginKind) =>
        kind
          ? [...byKind.get(kind)!.values()]
          : KINDS.flatMap((k) => [...byKind.get(k)!.values()])) as Registry["list"],
    with: (more) => createRegistry([...registry.list(), ...more]),
  };
  return registry;
}

function add(byKind: Map<PluginKind, Map<string, Plugin>>, plugin: Plugin): void {
  const table = byKind.get(plugin?.kind);
  if (!table) {
    throw new TypeError(
      `Invalid plugin kind: ${JSON.stringify(plugin?.kind)} must be one of ${KINDS.join(", ")}`,
    );
  }
  const existing = table.get(plugin.name);
  if (existing && existing !== plugin) {
    throw new TypeError(
      `Duplicate ${plugin.kind} "${plugin.name}": a different plugin already has this name; rename one (e.g. "myorg/${plugin.name}")`,
    );
  }
  table.set(plugin.name, plugin);
}
