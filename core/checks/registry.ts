import { PLUGIN_KINDS, refName, refParams } from "./plugin_ref.ts";
import { fingerprint } from "./fingerprint.ts";
import { assertPlugin } from "./check_plugin.ts";
import { parsePluginShape } from "./plugin_schema.ts";
import type {
  ActivationPlugin,
  LossPlugin,
  OptimizerPlugin,
  Plugin,
  PluginKind,
  PluginParams,
  PluginRef,
} from "../math/types.ts";

/** The plugin type for each kind. */
export interface PluginsByKind {
  /** What `registry.get("activation", ref)` returns. */
  activation: ActivationPlugin;
  /** What `registry.get("loss", ref)` returns. */
  loss: LossPlugin;
  /** What `registry.get("optimizer", ref)` returns. */
  optimizer: OptimizerPlugin;
}

/** A lookup table of plugins: a value built from a list, never global. */
export interface Registry {
  /**
   * The plugin of `kind` named by `ref`; with params it is configured with them
   * (and the configured plugin is checked like a registered one).
   * Throws a TypeError listing the known names when there is none.
   */
  get<K extends PluginKind>(kind: K, ref: PluginRef): PluginsByKind[K];
  /** True when a plugin of `kind` has that name. */
  has(kind: PluginKind, name: string): boolean;
  /** All plugins of one kind (or all), in registration order. */
  list<K extends PluginKind>(kind: K): PluginsByKind[K][];
  /** Every plugin: activations, then losses, then optimizers, each in registration order. */
  list(): Plugin[];
  /** A new registry holding these plugins and `more` (same checks and duplicate rules). */
  with(more: readonly Plugin[]): Registry;
}

const PLURAL: Record<PluginKind, string> = {
  activation: "activations",
  loss: "losses",
  optimizer: "optimizers",
};

type Tables = Map<PluginKind, Map<string, Plugin>>;

/**
 * Builds a registry from a list of plugins, proving each right before it can
 * be used (see core/plugin_checks/): its shape (a TypeError naming the missing
 * field); for activations and losses, purity, finite outputs for inputs up to
 * |x| = 1e4 and the numerical gradient check (a loss's fused path with the
 * activation it names, when registered); for optimizers, that a few updates
 * stay finite and repeat exactly (a RangeError naming the plugin, the point
 * and the values). Results are remembered per plugin object, so building
 * registries again from the same plugins costs next to nothing.
 *
 * A second plugin with a name already taken in its kind is a TypeError, unless
 * it is the very same object or has the same version and fingerprint (the
 * same math); the first one is kept.
 *
 * @example
 * ```ts
 * import { createRegistry } from "./registry.ts";
 * import { elementwise } from "../math/elementwise.ts";
 * const square = elementwise({ name: "myorg/square", f: (x) => x * x, df: (x) => 2 * x });
 * const registry = createRegistry([square]);
 * registry.get("activation", "myorg/square") === square; // true
 * // createRegistry([elementwise({ name: "bad", f: (x) => x * x, df: (x) => x })]) throws
 * // RangeError: Gradient check failed: derivative of "bad" at x = ... is ... but finite differences give ...
 * ```
 */
export function createRegistry(plugins: readonly Plugin[]): Registry {
  const byKind: Tables = new Map(PLUGIN_KINDS.map((k) => [k, new Map()]));
  for (const plugin of plugins) add(byKind, plugin);
  // after all are in, so that a loss finds the activation its fused path names
  for (const plugin of PLUGIN_KINDS.flatMap((k) => [...byKind.get(k)!.values()])) {
    check(byKind, plugin);
  }
  const configured = new Map<string, Plugin>();
  const registry: Registry = {
    get(kind, ref) {
      const name = refName(ref);
      const found = byKind.get(kind)?.get(name);
      if (!found) {
        const known = [...(byKind.get(kind)?.keys() ?? [])].join(", ") || "none";
        throw new TypeError(
          `Unknown ${kind} "${name}": known ${
            PLURAL[kind]
          } are ${known}; register a plugin named "${name}" to use it`,
        );
      }
      const params = refParams(ref);
      if (!params || Object.keys(params).length === 0) return found as never;
      const key = JSON.stringify([kind, name, Object.entries(params).sort()]);
      let plugin = configured.get(key);
      if (!plugin) configured.set(key, plugin = configure(byKind, found, params));
      return plugin as never;
    },
    has: (kind, name) => byKind.get(kind)?.has(name) ?? false,
    list:
      ((kind?: PluginKind) =>
        kind
          ? [...byKind.get(kind)!.values()]
          : PLUGIN_KINDS.flatMap((k) => [...byKind.get(k)!.values()])) as Registry["list"],
    with: (more) => createRegistry([...registry.list(), ...more]),
  };
  return registry;
}

const shaped = new WeakSet<Plugin>();

function checkShape(plugin: Plugin): Plugin {
  if (!shaped.has(plugin)) shaped.add(parsePluginShape(plugin));
  return plugin;
}

/** Same object, or same version and same fingerprint: the same math under the same name. */
function sameMath(a: Plugin, b: Plugin): boolean {
  try {
    return a === b || (a.version === b.version && fingerprint(a) === fingerprint(b));
  } catch {
    return false; // a plugin that throws on the probes is not the same as one that does not
  }
}

function add(byKind: Tables, plugin: Plugin): void {
  checkShape(plugin);
  const table = byKind.get(plugin.kind)!;
  const existing = table.get(plugin.name);
  if (existing === undefined) table.set(plugin.name, plugin);
  else if (!sameMath(existing, plugin)) {
    const v = (p: Plugin) => p.version ?? "(no version)";
    const why = existing.version === plugin.version
      ? "different math"
      : `version ${v(existing)} vs ${v(plugin)}`;
    const other = plugin.name.includes("/") ? `${plugin.name}V2` : `myorg/${plugin.name}`;
    throw new TypeError(
      `Duplicate ${plugin.kind} "${plugin.name}": a different plugin already has this name (${why}); rename one (e.g. "${other}")`,
    );
  }
}

/** The math checks; a loss's fused path is checked with the activation it names, when registered. */
function check(byKind: Tables, plugin: Plugin): void {
  const fused = plugin.kind === "loss" ? plugin.fused?.activation : undefined;
  const activation = fused ? byKind.get("activation")!.get(fused) as ActivationPlugin : undefined;
  assertPlugin(plugin, activation ? { activation } : {});
}

function configure(byKind: Tables, found: Plugin, params: PluginParams): Plugin {
  const { kind, name } = found;
  if (!found.configure) {
    throw new TypeError(
      `Invalid params for ${kind} "${name}": it takes no parameters, remove params`,
    );
  }
  const plugin = checkShape(found.configure(params) as Plugin);
  if (plugin.kind !== kind || plugin.name !== name) {
    throw new TypeError(
      `Invalid plugin "${name}": configure returned ${plugin.kind} "${plugin.name}"; it must return a ${kind} of the same name`,
    );
  }
  check(byKind, plugin);
  return plugin;
}
