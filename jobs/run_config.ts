/**
 * The run config: one JSON object describing a training job. The CLI's
 * `--config file.json` (merged with its flags) and the server's
 * `POST /api/runs` body are both checked with {@linkcode RunConfigSchema}.
 *
 * @module
 */
import * as v from "valibot";
import type { Registry } from "../core/checks/registry.ts";
import { lossPairingProblem } from "../core/checks/pairing.ts";
import { LayerSpecSchema } from "../core/math/spec.ts";
import type { LayerSpec, PluginParams, PluginRef } from "../core/math/types.ts";
import { wasmSimdSupported } from "../core/wasm/wasm_backend.ts";
import type { BuiltinDataset } from "./datasets/mod.ts";
import {
  ColumnsSchema,
  DatasetSchema,
  EarlyStoppingSchema,
  PluginChoiceSchema,
  ScheduleSchema,
} from "./config_schemas.ts";
import { PRESETS } from "./presets.ts";
import {
  count,
  fallbackMessage,
  isObject,
  nonNegative,
  positive,
  strict,
  text,
} from "./_schema_helpers.ts";

export { ColumnsSchema, DatasetSchema, EarlyStoppingSchema, PluginChoiceSchema, ScheduleSchema };

/**
 * The largest batch a run config takes (2^16). A batch past it trains no
 * better (each step averages away more of what it learns) and is larger
 * than any built-in data set (MNIST has 8,004 training rows); its buffers
 * alone would take gigabytes: 65,536 rows of a 4,096-unit layer take 4 GiB.
 *
 * @example
 * ```ts
 * import { MAX_BATCH_SIZE } from "./run_config.ts";
 * MAX_BATCH_SIZE; // 65536
 * ```
 */
export const MAX_BATCH_SIZE = 65_536;

/** The valibot schema of a run config; every field is optional (see {@linkcode resolveRunConfig}). */
export const RunConfigSchema = strict({
  dataset: v.optional(DatasetSchema),
  layers: v.optional(
    v.pipe(
      v.array(LayerSpecSchema, "must be a list of layers"),
      v.minLength(1, "must list at least one layer"),
    ),
  ),
  loss: v.optional(PluginChoiceSchema),
  optimizer: v.optional(PluginChoiceSchema),
  lr: v.optional(positive),
  epochs: v.optional(count),
  batchSize: v.optional(
    v.pipe(
      count,
      v.maxValue(
        MAX_BATCH_SIZE,
        "must be at most 65536: a larger batch trains no better; use e.g. 32 to 1024",
      ),
    ),
  ),
  validationSplit: v.optional(
    v.pipe(nonNegative, v.ltValue(1, "must be below 1: it is the fraction of samples held out")),
  ),
  seed: v.optional(v.pipe(v.number("must be a number"), v.integer("must be a whole number"))),
  l2: v.optional(nonNegative),
  earlyStopping: v.optional(EarlyStoppingSchema),
  schedule: v.optional(ScheduleSchema),
  warmupSteps: v.optional(
    v.pipe(nonNegative, v.integer("must be a whole number of steps, e.g. 100")),
  ),
  backend: v.optional(
    v.pipe(
      v.picklist(["auto", "ts", "wasm"], 'must be "auto", "ts" or "wasm"'),
      v.check(
        (b) => b !== "wasm" || wasmSimdSupported(),
        'is "wasm" but this runtime has no WebAssembly SIMD; use "ts" or "auto"',
      ),
    ),
  ),
  workers: v.optional(v.pipe(count, v.maxValue(256, "must be at most 256"))),
  out: v.optional(text),
  columns: v.optional(ColumnsSchema),
  missing: v.optional(v.picklist(["impute", "error"], 'must be "impute" or "error"')),
  standardize: v.optional(v.boolean("must be true or false")),
});

/** A run config as written (any field may be missing). */
export type RunConfigInput = v.InferInput<typeof RunConfigSchema>;
/** Where the data comes from. */
export type DatasetConfig = BuiltinDataset | { csv: string; target: string; delimiter?: string } | {
  ndjson: string;
  target?: string;
};

/** A run config with every default filled in. */
export interface RunConfig {
  /** A built-in data set (default "mnist"), or a csv/ndjson file. */
  dataset: DatasetConfig;
  /**
   * Dense layers, first to last; the inputs come from the data. Left out for
   * a csv data set, they are chosen from its target (see `chooseModel`).
   */
  layers?: LayerSpec[];
  /** Loss plugin by name, or `{ name, params }`; chosen from the target when left out for a csv data set. */
  loss?: PluginRef;
  /** Optimizer plugin (default adam); its rate is `lr`. */
  optimizer: { name: string; params?: PluginParams };
  /** Learning rate, overriding the optimizer's own. */
  lr: number;
  /** Passes over the training data. */
  epochs: number;
  /** Samples per gradient step. */
  batchSize: number;
  /** Fraction of the training samples held out for validation, in [0, 1). */
  validationSplit: number;
  /** Seed of the weights, the split and every shuffle (default 42). */
  seed: number;
  /** L2 weight decay (default 0). */
  l2: number;
  /** Stop when the monitored loss stops improving. */
  earlyStopping?: v.InferOutput<typeof EarlyStoppingSchema>;
  /** Learning-rate schedule. */
  schedule?: v.InferOutput<typeof ScheduleSchema>;
  /** Steps of linear learning-rate warm-up at the start of the run (default 0: none). */
  warmupSteps?: number;
  /**
   * Matrix kernels: "wasm" (WebAssembly SIMD), "ts" (pure TypeScript), or
   * "auto" (the default: wasm where the runtime has SIMD). Both give the same
   * results within float32 rounding.
   */
  backend?: "auto" | "ts" | "wasm";
  /**
   * Threads computing each step (data parallelism over Workers). Default: one
   * per core (`navigator.hardwareConcurrency`) when the network and batch are
   * big enough to gain from it, else 1. Capped at the core count.
   */
  workers?: number;
  /** Where the CLI writes the model (default "model.json"). */
  out: string;
  /** CSV column types, declared: the rest are inferred from the data. */
  columns?: Record<string, "number" | "category" | "boolean" | "ignore">;
  /** CSV missing cells: "impute" (default: the mean, or a category of their own) or "error". */
  missing?: "impute" | "error";
  /** CSV: standardize numbers and scale a number target (default true). */
  standardize?: boolean;
}

/** A run config whose model is known: `layers` and `loss` given or chosen from the data. */
export type ResolvedRunConfig = RunConfig & { layers: LayerSpec[]; loss: PluginRef };

/**
 * A csv data set's defaults, sized so that small tables train to convergence:
 * Adam at 0.01, batch 32, a fifth of the rows held out, and up to 500 epochs
 * that early stopping ends once validation loss stalls for 20 epochs (unless
 * `epochs` is given).
 */
const TABLE_PRESET = {
  loss: "mse",
  lr: 0.01,
  epochs: 500,
  batchSize: 32,
  validationSplit: 0.2,
} as const;
/**
 * The loss an output layer suggests: softmax -> crossEntropy, sigmoid -> binaryCrossEntropy, else mse.
 *
 * @example
 * ```ts
 * import { lossFor } from "./run_config.ts";
 * lossFor([{ units: 3, activation: "softmax" }]); // "crossEntropy"
 * ```
 */
export function lossFor(layers: readonly LayerSpec[]): string {
  const output = layers[layers.length - 1].activation;
  const name = typeof output === "object" ? output.name : output;
  return name === "softmax" ? "crossEntropy" : name === "sigmoid" ? "binaryCrossEntropy" : "mse";
}

const TABLE_EARLY_STOPPING = { patience: 20, restoreBest: true } as const;

/** One problem with a run config: the dotted path of the field and what to do. */
export interface ConfigIssue {
  readonly path: string;
  readonly message: string;
}

/**
 * Checks that the loss fits the output layer (its activation and units), with
 * the plugins `registry` gives for their names: undefined, or an issue on
 * `loss` naming the loss, the output activation, its units and the fix (the
 * rule of `checkLossPairing`, which every training step applies). Both
 * plugins must be known to `registry`. The CLI (through `runJob`) and the
 * server refuse a config with this issue before any data is read.
 *
 * @example
 * ```ts
 * import { createRegistry } from "../core/checks/registry.ts";
 * import { builtinPlugins } from "../plugins/mod.ts";
 * import { lossFitIssue } from "./run_config.ts";
 * const registry = createRegistry(builtinPlugins());
 * lossFitIssue({ layers: [{ units: 3, activation: "softmax" }], loss: "crossEntropy" }, registry);
 * // undefined
 * lossFitIssue({ layers: [{ units: 1, activation: "sigmoid" }], loss: "crossEntropy" }, registry);
 * // { path: "loss", message: '"crossEntropy" reads each row of outputs as one distribution ...' }
 * ```
 */
export function lossFitIssue(
  config: { readonly layers: readonly LayerSpec[]; readonly loss: PluginRef },
  registry: Pick<Registry, "get">,
): ConfigIssue | undefined {
  const output = config.layers[config.layers.length - 1];
  const message = lossPairingProblem(
    registry.get("activation", output.activation ?? "identity"),
    registry.get("loss", config.loss),
    { units: output.units },
  );
  return message === undefined ? undefined : { path: "loss", message };
}

/**
 * Checks a run config and fills in the defaults: the data set's preset for
 * layers, loss, lr, epochs, batch size and validation split (MNIST's preset
 * is the default job), then Adam, seed 42, no L2, `model.json`.
 *
 * @example
 * ```ts
 * import { resolveRunConfig } from "./run_config.ts";
 * const r = resolveRunConfig({ epochs: 2 });
 * r.ok && r.config.optimizer.name; // "adam"
 * resolveRunConfig({ optimizer: { name: "adam", lr: 1 } });
 * // { ok: false, issues: [{ path: "optimizer.lr", message: "unknown field: remove it or use one of name, params" }] }
 * ```
 */
export function resolveRunConfig(
  input: unknown,
): { ok: true; config: RunConfig } | { ok: false; issues: ConfigIssue[] } {
  if (!isObject(input)) {
    return { ok: false, issues: [{ path: "", message: "must be a JSON object of run settings" }] };
  }
  const parsed = v.safeParse(RunConfigSchema, input, { message: fallbackMessage });
  if (!parsed.success) {
    const issues = parsed.issues.map((i) => ({ path: v.getDotPath(i) ?? "", message: i.message }));
    return { ok: false, issues };
  }
  const c = parsed.output;
  const dataset: DatasetConfig = c.dataset ?? "mnist";
  const preset = typeof dataset === "string" ? PRESETS[dataset] : undefined;
  const csv = typeof dataset === "object" && "csv" in dataset;
  if (!c.layers && !preset && !csv) {
    const message = "is required with an ndjson dataset: list the layers, e.g. 16:relu,3:softmax";
    return { ok: false, issues: [{ path: "layers", message }] };
  }
  if (!csv && (c.columns || c.missing || c.standardize !== undefined)) {
    const path = c.columns ? "columns" : c.missing ? "missing" : "standardize";
    return { ok: false, issues: [{ path, message: "is for a csv dataset only" }] };
  }
  if (typeof c.optimizer === "object" && c.optimizer.params?.lr !== undefined) {
    const message = "is the run's learning rate: set it with the run config's lr (--lr)";
    return { ok: false, issues: [{ path: "optimizer.params.lr", message }] };
  }
  if (csv && c.loss && !c.layers) {
    const message =
      "is given without layers: list the layers too, or leave both out to have them chosen from the target";
    return { ok: false, issues: [{ path: "loss", message }] };
  }
  const fallback = preset ?? (csv ? TABLE_PRESET : PRESETS.mnist);
  const optimizer = typeof c.optimizer === "string" || !c.optimizer
    ? { name: c.optimizer ?? "adam" }
    : c.optimizer;
  const config: RunConfig = {
    dataset,
    ...(c.layers || preset ? { layers: (c.layers ?? preset!.layers).map((l) => ({ ...l })) } : {}),
    ...(c.loss || !csv ? { loss: c.loss ?? fallback.loss } : {}),
    ...(csv && !c.loss && c.layers ? { loss: lossFor(c.layers) } : {}),
    optimizer,
    lr: c.lr ?? fallback.lr,
    epochs: c.epochs ?? fallback.epochs,
    batchSize: c.batchSize ?? fallback.batchSize,
    validationSplit: c.validationSplit ?? fallback.validationSplit,
    seed: c.seed ?? 42,
    l2: c.l2 ?? 0,
    ...(c.earlyStopping ?? (csv && c.epochs === undefined ? TABLE_EARLY_STOPPING : undefined)
      ? { earlyStopping: c.earlyStopping ?? TABLE_EARLY_STOPPING }
      : {}),
    ...(c.schedule ? { schedule: c.schedule } : {}),
    ...(c.warmupSteps ? { warmupSteps: c.warmupSteps } : {}),
    ...(c.backend ? { backend: c.backend } : {}),
    ...(c.workers ? { workers: c.workers } : {}),
    out: c.out ?? "model.json",
    ...(c.columns ? { columns: c.columns } : {}),
    ...(c.missing ? { missing: c.missing } : {}),
    ...(c.standardize === undefined ? {} : { standardize: c.standardize }),
  };
  return { ok: true, config };
}

/**
 * Like {@linkcode resolveRunConfig} but throws a TypeError naming every
 * failing field: `Invalid run config: epochs: must be at least 1`.
 *
 * @example
 * ```ts
 * import { parseRunConfig } from "./run_config.ts";
 * parseRunConfig({ dataset: "xor" }).layers?.length; // 2
 * ```
 */
export function parseRunConfig(input: unknown): RunConfig {
  const r = resolveRunConfig(input);
  if (r.ok) return r.config;
  const lines = r.issues.map((i) => (i.path ? `${i.path}: ${i.message}` : i.message));
  throw new TypeError(`Invalid run config: ${lines.join("; ")}`);
}

/**
 * The default job, fully resolved: MNIST, 784-128-64-10 (ReLU, ReLU,
 * softmax), cross-entropy, Adam at 1e-3, batch 64, 10 epochs, seed 42.
 *
 * @example
 * ```ts
 * import { defaultRunConfig } from "./run_config.ts";
 * defaultRunConfig().batchSize; // 64
 * ```
 */
export function defaultRunConfig(): RunConfig {
  return parseRunConfig({});
}
