/**
 * Plugin fingerprints: a short hash of what a plugin computes on fixed probe
 * inputs, stored in model files so that loading can tell when a plugin's math
 * changed since the model was saved.
 *
 * @module
 */
import { scalarRule } from "../math/elementwise.ts";
import { like, lossProbe, PROBE_VALUES, probeMatrix, probeUpdates } from "./_probes.ts";
import type { ActivationPlugin, Plugin } from "../math/types.ts";

const cache = new WeakMap<Plugin, string>();

/** What the plugin computes on the probes: activation outputs, loss values and gradients, updated parameters. */
function outputs(plugin: Plugin): number[] {
  switch (plugin.kind) {
    case "activation": {
      // Element-wise: the scalar f in float64, which forward computes (the
      // scalar check proves it) and which leaves forward's loops to float32.
      const rule = scalarRule(plugin);
      if (rule) return PROBE_VALUES.map((x) => rule.f(x));
      const z = probeMatrix(), y = like(z);
      plugin.forward(z, y);
      return [...y.data];
    }
    case "loss": {
      const args = lossProbe(plugin, true), dy = like(args.y);
      plugin.gradient(args, dy);
      return [plugin.loss(args), ...dy.data];
    }
    case "optimizer": {
      const { param, slots } = probeUpdates(plugin);
      return [...param, ...slots.flatMap((s) => [...s])];
    }
  }
}

/** FNV-1a, 64 bit, over the UTF-16 code units of `text`, as 16 hex digits. */
function fnv1a64(text: string): string {
  let h = 0xcbf29ce484222325n;
  for (let i = 0; i < text.length; i++) {
    h = BigInt.asUintN(64, (h ^ BigInt(text.charCodeAt(i))) * 0x100000001b3n);
  }
  return h.toString(16).padStart(16, "0");
}

/**
 * A short hash of what `plugin` computes on fixed probe inputs (for an
 * activation: its outputs at 32 points from -1e4 to 1e4; for a loss: its value
 * and gradient on a small batch; for an optimizer: parameters and slots after
 * three updates), each rounded to 7 significant digits so that runtimes whose
 * `Math.exp` differ in the last bit agree. Name and version are not hashed:
 * only the math. Remembered per plugin object.
 *
 * @example
 * ```ts
 * import { fingerprint } from "./fingerprint.ts";
 * import { elementwise } from "../math/elementwise.ts";
 * const a = elementwise({ name: "a", f: (x) => x / 2, df: () => 0.5 });
 * const b = elementwise({ name: "b", f: (x) => 0.5 * x, df: () => 0.5 });
 * fingerprint(a) === fingerprint(b); // true: same math
 * fingerprint(a); // "fnv1a64:" and 16 hex digits
 * ```
 */
export function fingerprint(plugin: Plugin): string {
  let found = cache.get(plugin);
  if (found === undefined) {
    const text = plugin.kind + ":" + outputs(plugin).map((v) => v.toPrecision(7)).join(",");
    cache.set(plugin, found = `fnv1a64:${fnv1a64(text)}`);
  }
  return found;
}

/** What a model file stores of a plugin, as far as fingerprints go. */
export interface StoredPlugin {
  /** The plugin's kind, e.g. `"activation"`; error messages name it. */
  readonly kind: string;
  /** The name the model was saved with, e.g. `"relu"`. */
  readonly name: string;
  /** The plugin version the model was saved with, when the plugin had one. */
  readonly version?: string;
  /** The math's fingerprint at save time (`"fnv1a64:..."`); without it, any plugin of the name loads. */
  readonly fingerprint?: string;
}

/** The hooks of {@linkcode modelFingerprintHooks}, for `toModelFile` and `fromModelFile`. */
export interface FingerprintHooks {
  /** Pass to `toModelFile(network, { fingerprint })`: stores each activation's fingerprint. */
  fingerprint(plugin: ActivationPlugin): string;
  /** Pass to `fromModelFile(text, { registry, verify })`: refuses a plugin whose math changed. */
  verify(entry: StoredPlugin, plugin: ActivationPlugin): void;
}

/**
 * Hooks that store plugin fingerprints in model files and check them on load.
 * Loading refuses, with a TypeError, a model whose stored fingerprint differs
 * from the registered plugin of the same name; entries saved without a
 * fingerprint are accepted as before.
 *
 * @example
 * ```ts ignore
 * const hooks = modelFingerprintHooks();
 * const text = JSON.stringify(toModelFile(network, { fingerprint: hooks.fingerprint }));
 * const loaded = fromModelFile(text, { registry, verify: hooks.verify });
 * ```
 */
export function modelFingerprintHooks(): FingerprintHooks {
  return {
    fingerprint,
    verify(entry, plugin) {
      if (entry.fingerprint === undefined) return;
      const current = fingerprint(plugin);
      if (entry.fingerprint === current) return;
      const saved = `${entry.version ?? "(no version)"} (${entry.fingerprint})`;
      const now = `${plugin.version ?? "(no version)"} (${current})`;
      throw new TypeError(
        `Plugin fingerprint mismatch: the model was saved with ${entry.kind} "${entry.name}" ${saved} but the registered plugin is ${now}; the plugin's math changed since the model was saved; register the original version or retrain`,
      );
    },
  };
}
