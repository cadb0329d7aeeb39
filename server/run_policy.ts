/**
 * What the server accepts as a run: the run-config schema the CLI uses,
 * plus the server's own rules (plugins it knows, with valid parameters, and
 * a loss that fits the output layer; sizes and memory it can afford, data
 * files only from its data folder, with the columns the run names; no
 * writing files).
 *
 * @module
 */
import { refName } from "../core/checks/plugin_ref.ts";
import type { Registry } from "../core/checks/registry.ts";
import type { PluginKind, PluginRef } from "../core/math/types.ts";
import {
  type ConfigIssue,
  lossFitIssue,
  resolveRunConfig,
  type RunConfig,
} from "../jobs/run_config.ts";
import { fileStream } from "../jobs/file_data.ts";
import { DEFAULT_MAX_RUN_MIB } from "../jobs/memory_estimate.ts";
import { PRESETS } from "../jobs/presets.ts";
import { preflightRun } from "../jobs/run_preflight.ts";
import {
  admittedFileOf,
  openAdmittedFile,
  resolveDataPath,
  withAdmittedFile,
} from "./data_path.ts";

/** Sizes the server refuses to go past, so one request cannot exhaust it. */
export interface RunLimits {
  /** Most epochs in one run (default 10 000). */
  maxEpochs: number;
  /** Most neurons in one layer (default 4096). */
  maxUnits: number;
  /** Most layers (default 32). */
  maxLayers: number;
  /** Most MiB one run may need, as `estimateRunMemory` counts (default 2048, `--max-run-mib`). */
  maxRunMiB: number;
}

/**
 * The default {@linkcode RunLimits}.
 *
 * @example
 * ```ts
 * import { DEFAULT_LIMITS } from "./run_policy.ts";
 * DEFAULT_LIMITS.maxUnits; // 4096
 * ```
 */
export const DEFAULT_LIMITS: RunLimits = {
  maxEpochs: 10_000,
  maxUnits: 4096,
  maxLayers: 32,
  maxRunMiB: DEFAULT_MAX_RUN_MIB,
};

/** Options of {@linkcode admitRunConfig}. */
export interface AdmitOptions {
  /** Plugins a run may name. */
  registry: Registry;
  /** Folder that file data sets must live in; none means built-in data sets only. */
  dataDir?: string;
  /** Size limits (default {@linkcode DEFAULT_LIMITS}). */
  limits?: Partial<RunLimits>;
}

/**
 * Layers past the server's size limits: too many, or too wide.
 *
 * @example
 * ```ts
 * import { DEFAULT_LIMITS, layerLimitIssues } from "./run_policy.ts";
 * layerLimitIssues([{ units: 5000 }], DEFAULT_LIMITS)[0].path; // "layers.0.units"
 * ```
 */
export function layerLimitIssues(
  layers: readonly { units: number }[],
  limits: Pick<RunLimits, "maxLayers" | "maxUnits">,
): ConfigIssue[] {
  const issues: ConfigIssue[] = layers.length > limits.maxLayers
    ? [{ path: "layers", message: `must list at most ${limits.maxLayers} layers on this server` }]
    : [];
  layers.forEach(({ units }, i) => {
    if (units > limits.maxUnits) {
      issues.push({
        path: `layers.${i}.units`,
        message: `must be at most ${limits.maxUnits} on this server`,
      });
    }
  });
  return issues;
}

/**
 * What a config names that the registry lacks or refuses: each layer's
 * activation, the loss and the optimizer, with their parameters (checked by
 * configuring them), as issues naming the field and the known names.
 *
 * @example
 * ```ts ignore
 * configPluginIssues(registry, parseRunConfig({ dataset: "xor", optimizer: "sgdd" }));
 * // [{ path: "optimizer", message: 'unknown optimizer "sgdd": use one of adam, ...' }]
 * ```
 */
export function configPluginIssues(
  registry: Registry,
  config: {
    layers?: readonly { activation?: PluginRef }[];
    loss?: PluginRef;
    optimizer: PluginRef;
  },
): ConfigIssue[] {
  const issues: ConfigIssue[] = [];
  (config.layers ?? []).forEach((layer, i) => {
    if (layer.activation !== undefined) {
      issues.push(
        ...pluginIssue(registry, "activation", layer.activation, `layers.${i}.activation`),
      );
    }
  });
  if (config.loss) issues.push(...pluginIssue(registry, "loss", config.loss, "loss"));
  issues.push(...pluginIssue(registry, "optimizer", config.optimizer, "optimizer"));
  return issues;
}

/**
 * The issue of a plugin reference at `path`: an unknown name (listing the
 * known ones) or parameters its factory refuses; none when it configures.
 */
function pluginIssue(
  registry: Registry,
  kind: PluginKind,
  ref: PluginRef,
  path: string,
): ConfigIssue[] {
  const name = refName(ref);
  if (!registry.has(kind, name)) {
    const known = registry.list(kind).map((p) => p.name).join(", ");
    return [{ path, message: `unknown ${kind} "${name}": use one of ${known}` }];
  }
  try {
    registry.get(kind, ref); // configures it: its parameters are checked here, not in the run
    return [];
  } catch (error) {
    if (!(error instanceof TypeError || error instanceof RangeError)) throw error;
    return [{ path, message: error.message }];
  }
}

/**
 * Checks a `POST /api/runs` body. Returns the resolved config or every
 * issue, each with the dotted path of its field. A file data set keeps the
 * client's path (relative to the data folder); the file checked is carried
 * with it unseen (see `withAdmittedFile`) for the run to open.
 *
 * @example
 * ```ts ignore
 * import { admitRunConfig } from "./run_policy.ts";
 * const r = await admitRunConfig({ dataset: "xor", epochs: 0 }, { registry });
 * // { ok: false, issues: [{ path: "epochs", message: "must be at least 1" }] }
 * ```
 */
export async function admitRunConfig(
  body: unknown,
  options: AdmitOptions,
): Promise<{ ok: true; config: RunConfig } | { ok: false; issues: ConfigIssue[] }> {
  const resolved = resolveRunConfig(body);
  if (!resolved.ok) return resolved;
  const { registry } = options;
  const limits = { ...DEFAULT_LIMITS, ...options.limits };
  const config = resolved.config;
  const issues: ConfigIssue[] = [];

  if ((body as Record<string, unknown>).out !== undefined) {
    issues.push({
      path: "out",
      message:
        "the server writes no files: remove it and download the model from GET /api/runs/:id/model",
    });
  }
  if (config.epochs > limits.maxEpochs) {
    issues.push({ path: "epochs", message: `must be at most ${limits.maxEpochs} on this server` });
  }
  const layers = config.layers ?? []; // none: a csv data set's model is chosen from its target
  issues.push(...layerLimitIssues(layers, limits), ...configPluginIssues(registry, config));

  const dataset = config.dataset;
  if (typeof dataset === "string") {
    const outputs = PRESETS[dataset].layers.at(-1)!.units; // a preset's last layer fits its data
    const last = layers.length - 1;
    if (layers[last].units !== outputs) {
      issues.push({
        path: `layers.${last}.units`,
        message: `must be ${outputs}: ${dataset} has ${outputs} output${outputs === 1 ? "" : "s"}`,
      });
    }
  } else {
    const key = "csv" in dataset ? "csv" : "ndjson";
    const path = "csv" in dataset ? dataset.csv : dataset.ndjson;
    try {
      // The client's path stays what every response shows; the file it names rides along unseen.
      config.dataset = withAdmittedFile(dataset, await resolveDataPath(options.dataDir, path));
    } catch (error) {
      if (!(error instanceof TypeError)) throw error;
      issues.push({ path: `dataset.${key}`, message: error.message });
    }
  }
  const outputPath = `layers.${layers.length - 1}.activation`;
  if (
    config.loss && layers.length && !issues.some((i) => i.path === "loss" || i.path === outputPath)
  ) {
    // else the run would fail after reading the data
    const misfit = lossFitIssue({ layers, loss: config.loss }, registry);
    if (misfit) issues.push(misfit);
  }
  if (issues.length === 0) {
    // A file's header or first sample, and the run's memory: else the run would fail later.
    issues.push(
      ...await preflightRun(config, {
        registry,
        // The file admitted above: the config names it as the client did, relative to the data folder.
        open: () => fileStream(openAdmittedFile(admittedFileOf(config.dataset))),
        fileSize: () => Deno.statSync(admittedFileOf(config.dataset).realPath).size,
        limit: { mib: limits.maxRunMiB, by: "server" },
      }),
    );
  }
  return issues.length > 0 ? { ok: false, issues } : { ok: true, config };
}
