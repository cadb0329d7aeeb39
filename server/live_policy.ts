/**
 * What the server accepts as a live run: the live config schema plus the
 * rules of every run (see `run_policy.ts`): plugins the Worker knows, with
 * valid parameters, a loss that fits the output layer, the size limits and
 * `--max-run-mib`, checked at `POST /api/runs` so that no error waits for
 * the Worker.
 *
 * @module
 */
import { createRegistry, type Registry } from "../core/checks/registry.ts";
import { type LiveRunConfig, parseLiveConfig } from "../jobs/live_config.ts";
import { estimateRunMemory, type MemoryEstimate } from "../jobs/memory_estimate.ts";
import { type ConfigIssue, lossFitIssue } from "../jobs/run_config.ts";
import { memoryIssue } from "../jobs/run_preflight.ts";
import { builtinPlugins } from "../plugins/mod.ts";
import {
  configPluginIssues,
  DEFAULT_LIMITS,
  layerLimitIssues,
  type RunLimits,
} from "./run_policy.ts";

/** Options of {@linkcode admitLiveConfig}. */
export interface AdmitLiveOptions {
  /** Plugins a live run may name (default: the built-ins, which the live Worker has). */
  registry?: Registry;
  /** Size limits (default `DEFAULT_LIMITS`); `maxEpochs` does not apply. */
  limits?: Partial<RunLimits>;
}

/**
 * A live run's memory, as `estimateRunMemory` counts a run's: its weights,
 * gradients, optimizer slots and batch buffers, and as its data the queue
 * of `maxQueue` waiting samples in float32.
 *
 * @example
 * ```ts ignore
 * liveRunMemory(config, registry).data; // config.maxQueue * (inputs + outputs) * 4
 * ```
 */
export function liveRunMemory(
  config: LiveRunConfig,
  registry: Pick<Registry, "get">,
): MemoryEstimate {
  const { inputs, outputs } = config.dataset.live;
  const { slots } = registry.get("optimizer", config.optimizer);
  return estimateRunMemory(config, {
    inputs,
    slots,
    dataBytes: config.maxQueue * (inputs + outputs) * 4,
  });
}

/**
 * Checks a live run config (`POST /api/runs` with `"dataset": {"live": ...}`):
 * the config with its defaults, or every issue with the dotted path of its
 * field, in the shape `admitRunConfig` gives.
 *
 * @example
 * ```ts
 * import { admitLiveConfig } from "./live_policy.ts";
 * const result = admitLiveConfig({
 *   dataset: { live: { inputs: 2, outputs: 2 } },
 *   layers: [{ units: 2, activation: "rleu" }],
 * });
 * result.ok || result.issues[0].path; // "layers.0.activation"
 * ```
 */
export function admitLiveConfig(
  body: unknown,
  options: AdmitLiveOptions = {},
): { ok: true; config: LiveRunConfig } | { ok: false; issues: ConfigIssue[] } {
  const parsed = parseLiveConfig(body);
  if (!parsed.ok) return parsed;
  const { config } = parsed;
  const registry = options.registry ?? createRegistry(builtinPlugins());
  const limits = { ...DEFAULT_LIMITS, ...options.limits };
  const issues: ConfigIssue[] = [
    ...layerLimitIssues(config.layers, limits),
    ...configPluginIssues(registry, config),
  ];
  if (issues.length === 0) {
    const misfit = lossFitIssue(config, registry);
    if (misfit) issues.push(misfit);
  }
  if (issues.length === 0) {
    const over = memoryIssue(liveRunMemory(config, registry), {
      mib: limits.maxRunMiB,
      by: "server",
    }, { hasLayers: true, live: true });
    if (over) issues.push(over);
  }
  return issues.length > 0 ? { ok: false, issues } : { ok: true, config };
}
