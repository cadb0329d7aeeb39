/**
 * Runs every check on a plugin: {@linkcode checkPlugin} reports them all (for
 * `deno task plugin:check`), {@linkcode assertPlugin} throws the first failure
 * (for the registry) and remembers results per plugin object.
 *
 * @module
 */
import { fingerprint } from "./fingerprint.ts";
import { parsePluginShape } from "./plugin_schema.ts";
import type { ActivationPlugin, Plugin } from "../math/types.ts";
import { type CheckResult, fail, pass } from "./_probes.ts";
import {
  checkActivationFinite,
  checkActivationGradients,
  checkActivationPurity,
} from "./activation_checks.ts";
import { checkActivationScalar } from "./activation_scalar_check.ts";
import { checkLossFinite, checkLossGradients, checkLossPurity } from "./loss_checks.ts";
import {
  checkOptimizerKernel,
  checkOptimizerPurity,
  checkOptimizerUpdate,
} from "./optimizer_checks.ts";

export type { CheckResult };

/** Options of {@linkcode checkPlugin} and {@linkcode assertPlugin}. */
export interface CheckPluginOptions {
  /** For a loss with a fused path: the activation it names, so the fused path is checked too. */
  activation?: ActivationPlugin;
}

/** Everything {@linkcode checkPlugin} found about one plugin. */
export interface PluginReport {
  /** The plugin's name (`"(unnamed)"` when it has none). */
  readonly name: string;
  /** Its kind, when it has a valid one. */
  readonly kind?: string;
  /** Its version, if any. */
  readonly version?: string;
  /** True when every check passed. */
  readonly ok: boolean;
  /** One result per check, in the order run; after a failed shape check no other runs. */
  readonly checks: readonly CheckResult[];
  /** The plugin's fingerprint (see core/checks/fingerprint.ts), or null when its shape is wrong. */
  readonly fingerprint: string | null;
  /** Time the checks took, in milliseconds. */
  readonly ms: number;
}

/** Runs one check, turning an exception thrown by the plugin into a failed result. */
function attempt(name: string, check: string, run: () => CheckResult): CheckResult {
  try {
    return run();
  } catch (e) {
    const ErrorType = e instanceof RangeError ? RangeError : TypeError;
    const why = e instanceof Error ? `${e.name}: ${e.message}` : String(e);
    return fail(
      check,
      new ErrorType(
        `Plugin "${name}" threw during the ${check} check: ${why}; plugins must accept every finite input`,
      ),
    );
  }
}

function runChecks(value: unknown, options: CheckPluginOptions): CheckResult[] {
  let plugin: Plugin;
  try {
    plugin = parsePluginShape(value);
  } catch (e) {
    return [fail("shape", e as TypeError)];
  }
  const shape = pass("shape", `a valid ${plugin.kind} plugin`);
  const run = (check: string, f: () => CheckResult) => attempt(plugin.name, check, f);
  switch (plugin.kind) {
    case "activation":
      return [
        shape,
        run("pure", () => checkActivationPurity(plugin)),
        run("finite", () => checkActivationFinite(plugin)),
        run("gradient", () => checkActivationGradients(plugin)),
        run("scalar", () => checkActivationScalar(plugin)),
      ];
    case "loss": {
      const act = options.activation?.name === plugin.fused?.activation
        ? options.activation
        : undefined;
      return [
        shape,
        run("pure", () => checkLossPurity(plugin)),
        run("finite", () => checkLossFinite(plugin)),
        run("gradient", () => checkLossGradients(plugin, act)),
      ];
    }
    case "optimizer":
      return [
        shape,
        run("update", () => checkOptimizerUpdate(plugin)),
        run("pure", () => checkOptimizerPurity(plugin)),
        run("kernel", () => checkOptimizerKernel(plugin)),
      ];
  }
}

/**
 * Runs every check on `plugin` and reports them all, with its fingerprint and
 * the time taken. Never throws for a bad plugin: look at `ok` and `checks`.
 *
 * @example
 * ```ts
 * import { checkPlugin } from "./check_plugin.ts";
 * import { elementwise } from "../math/elementwise.ts";
 * const swish = elementwise({
 *   name: "myorg/swish",
 *   f: (x) => x / (1 + Math.exp(-x)),
 *   df: (x) => { const s = 1 / (1 + Math.exp(-x)); return s + x * s * (1 - s); },
 * });
 * const report = checkPlugin(swish);
 * report.ok; // true
 * report.checks.map((c) => c.check); // ["shape", "pure", "finite", "gradient"]
 * ```
 */
export function checkPlugin(plugin: unknown, options: CheckPluginOptions = {}): PluginReport {
  const start = performance.now();
  const checks = runChecks(plugin, options);
  const shaped = checks[0].ok ? plugin as Plugin : undefined;
  const print = shaped
    ? attempt(shaped.name, "fingerprint", () => pass("fingerprint", fingerprint(shaped)))
    : undefined;
  const p = plugin as Partial<Plugin> | null;
  return {
    name: typeof p?.name === "string" ? p.name : "(unnamed)",
    ...(shaped ? { kind: shaped.kind } : {}),
    ...(typeof p?.version === "string" ? { version: p.version } : {}),
    ok: checks.every((c) => c.ok),
    checks,
    fingerprint: print?.ok ? print.detail : null,
    ms: performance.now() - start,
  };
}

const NONE = {};
const cache = new WeakMap<object, WeakMap<object, readonly CheckResult[]>>();

/**
 * Throws the error of the first failed check (TypeError for a wrong shape,
 * RangeError for wrong math), or returns the plugin. Results are remembered
 * per plugin object (and fused activation), so registering the same objects
 * again costs nothing.
 *
 * @example
 * ```ts
 * import { assertPlugin } from "./check_plugin.ts";
 * import { elementwise } from "../math/elementwise.ts";
 * const wrong = elementwise({ name: "myorg/square", f: (x) => x * x, df: (x) => x });
 * // assertPlugin(wrong) throws RangeError: Gradient check failed:
 * // derivative of "myorg/square" at x = -50 is -50 but finite differences give -100 (...)
 * ```
 */
export function assertPlugin<P extends Plugin>(plugin: P, options: CheckPluginOptions = {}): P {
  if (typeof plugin !== "object" || plugin === null) parsePluginShape(plugin);
  const key = plugin.kind === "loss" && plugin.fused && options.activation
    ? options.activation
    : NONE;
  let byActivation = cache.get(plugin);
  if (!byActivation) cache.set(plugin, byActivation = new WeakMap());
  let checks = byActivation.get(key);
  if (!checks) byActivation.set(key, checks = runChecks(plugin, options));
  const failed = checks.find((c) => !c.ok);
  if (failed) throw failed.error;
  return plugin;
}
