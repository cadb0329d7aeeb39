/**
 * The sweep file: a hyperparameter search in Weights & Biases' keys
 * (`method`, `metric`, `parameters`, `early_terminate`, `run_cap`), plus
 * `run`, the base run config every trial starts from, and `seed`, from
 * which every trial's seed and every random draw derive.
 *
 * @module
 */
import * as v from "valibot";
import { type ConfigIssue, resolveRunConfig, RunConfigSchema } from "./run_config.ts";
import { count, fallbackMessage, isObject, strict } from "./_schema_helpers.ts";

/** The epoch-event metrics a sweep can rank trials by. */
export type SweepMetricName = "loss" | "valLoss" | "accuracy" | "valAccuracy";

/** W&B's snake_case names and ours, each mapped to the key of the epoch event. */
const METRIC_NAMES: Readonly<Record<string, SweepMetricName>> = {
  loss: "loss",
  val_loss: "valLoss",
  valLoss: "valLoss",
  accuracy: "accuracy",
  val_accuracy: "valAccuracy",
  valAccuracy: "valAccuracy",
};
const METRIC_HELP = `must be one of ${Object.keys(METRIC_NAMES).join(", ")}`;

/** The largest number of trials one sweep may have. */
export const MAX_TRIALS = 1000;

const finite = v.pipe(v.number("must be a number"), v.finite("must be a finite number"));

const ValuesSchema = strict({
  values: v.pipe(
    v.array(v.unknown(), "must be a list of values"),
    v.minLength(1, "must list at least one value"),
  ),
});
const ValueSchema = strict({ value: v.unknown() });
const DistributionSchema = v.pipe(
  strict({
    distribution: v.picklist(
      ["uniform", "int_uniform", "log_uniform_values"],
      'must be "uniform", "int_uniform" or "log_uniform_values"',
    ),
    min: finite,
    max: finite,
  }),
  v.check((d) => d.min < d.max, "min must be below max"),
  v.check(
    (d) => d.distribution !== "int_uniform" || (Number.isInteger(d.min) && Number.isInteger(d.max)),
    "int_uniform needs whole numbers for min and max",
  ),
  v.check(
    (d) => d.distribution !== "log_uniform_values" || d.min > 0,
    "log_uniform_values needs min above 0: its values are drawn evenly in log space",
  ),
);

/** One swept parameter: a list of `values`, one fixed `value`, or a `distribution` with `min`/`max`. */
export const ParameterSchema = v.lazy((input) => {
  if (isObject(input) && "distribution" in input) return DistributionSchema;
  if (isObject(input) && "value" in input) return ValueSchema;
  if (isObject(input) && "values" in input) return ValuesSchema;
  return v.custom<never>(
    () => false,
    'must be { "values": [...] }, { "value": x } or { "distribution": "uniform", "min": a, "max": b }',
  );
});

/** The valibot schema of a sweep file, before the run-config checks of {@linkcode resolveSweepConfig}. */
export const SweepConfigSchema = strict({
  name: v.optional(v.string("must be a string")),
  description: v.optional(v.string("must be a string")),
  method: v.picklist(["grid", "random"], 'must be "grid" or "random"'),
  metric: strict({
    name: v.pipe(
      v.string(METRIC_HELP),
      v.check((name) => name in METRIC_NAMES, METRIC_HELP),
      v.transform((name) => METRIC_NAMES[name]),
    ),
    goal: v.optional(
      v.picklist(["minimize", "maximize"], 'must be "minimize" or "maximize"'),
      "minimize",
    ),
  }),
  parameters: v.pipe(
    v.record(v.string(), ParameterSchema, "must be an object of run-config fields"),
    v.check((p) => Object.keys(p).length > 0, 'must name at least one field, e.g. { "lr": ... }'),
  ),
  early_terminate: v.optional(strict({
    type: v.literal("hyperband", 'must be "hyperband"'),
    min_iter: count,
    eta: v.optional(
      v.pipe(count, v.minValue(2, "must be at least 2: each rung keeps the top 1/eta")),
      3,
    ),
  })),
  run_cap: v.optional(v.pipe(count, v.maxValue(MAX_TRIALS, `must be at most ${MAX_TRIALS}`))),
  seed: v.optional(
    v.pipe(v.number("must be a number"), v.integer("must be a whole number")),
    42,
  ),
  run: v.optional(v.record(v.string(), v.unknown(), "must be a run config object"), {}),
});

/** A parameter of a sweep, as checked. */
export type SweepParameter = v.InferOutput<typeof ParameterSchema>;

/** A checked sweep file: snake_case metric names mapped to ours, defaults filled in. */
export interface SweepConfig {
  readonly name?: string;
  readonly description?: string;
  readonly method: "grid" | "random";
  readonly metric: { readonly name: SweepMetricName; readonly goal: "minimize" | "maximize" };
  /** Run-config field paths (`lr`, `layers.0.activation`) and how to choose them. */
  readonly parameters: Readonly<Record<string, SweepParameter>>;
  readonly early_terminate?: {
    readonly type: "hyperband";
    readonly min_iter: number;
    readonly eta: number;
  };
  /** Most trials: random draws this many; grid stops after this many. */
  readonly run_cap?: number;
  /** Derives each trial's seed and every random draw (default 42). */
  readonly seed: number;
  /** The base run config that the parameters override. */
  readonly run: Readonly<Record<string, unknown>>;
}

/**
 * Sets the field at a dotted `path` of a run config input, copying what the
 * path goes through (so `input` is unchanged). A path into a field the
 * input leaves out starts from the `resolved` config's value, so that
 * `layers.0.activation` works on a data set's preset layers. Throws a
 * TypeError naming the path when it does not fit the config.
 *
 * @example
 * ```ts
 * import { withField } from "./sweep_config.ts";
 * import { parseRunConfig } from "./run_config.ts";
 * const resolved = parseRunConfig({ dataset: "iris" });
 * withField({ dataset: "iris" }, resolved, "layers.0.activation", "sigmoid").layers;
 * // [{ units: 16, activation: "sigmoid" }, { units: 3, activation: "softmax" }]
 * ```
 */
export function withField(
  input: Readonly<Record<string, unknown>>,
  resolved: Readonly<object>,
  path: string,
  value: unknown,
): Record<string, unknown> {
  const keys = path.split(".");
  const top = keys[0];
  if (!(top in RunConfigSchema.entries)) {
    const known = Object.keys(RunConfigSchema.entries).join(", ");
    throw new TypeError(`unknown run-config field ${JSON.stringify(top)}: use one of ${known}`);
  }
  const out: Record<string, unknown> = { ...input };
  if (keys.length === 1) return out[top] = structuredClone(value), out;
  const start = isObject(input[top]) || Array.isArray(input[top])
    ? input[top]
    : (resolved as Record<string, unknown>)[top];
  let node: Record<string, unknown> = out[top] = structuredClone(start ?? {}) as never;
  for (let i = 1; i < keys.length; i++) {
    const key = keys[i], at = keys.slice(0, i).join(".");
    if (!isObject(node) && !Array.isArray(node)) {
      throw new TypeError(`${at} is not an object: ${path} cannot be set in it`);
    }
    if (Array.isArray(node) && !(/^\d+$/.test(key) && Number(key) < node.length)) {
      throw new TypeError(
        `${at} has ${node.length} item${node.length === 1 ? "" : "s"}: ${path} names none of them`,
      );
    }
    if (i === keys.length - 1) node[key] = structuredClone(value);
    else {
      if (node[key] === undefined) node[key] = {};
      else if (typeof node[key] === "string" && !Array.isArray(node)) {
        node[key] = { name: node[key] };
      }
      node = node[key] as Record<string, unknown>;
    }
  }
  return out;
}

/** Every value a parameter names up front: its list, its value, or its distribution's bounds. */
function valuesToCheck(parameter: SweepParameter): { value: unknown; at: string }[] {
  if ("values" in parameter) {
    return parameter.values.map((value, i) => ({ value, at: `values.${i}` }));
  }
  if ("value" in parameter) return [{ value: parameter.value, at: "value" }];
  return [{ value: parameter.min, at: "min" }, { value: parameter.max, at: "max" }];
}

/** Checks one override of the base run config: undefined, or the issues naming the parameter. */
function overrideIssues(
  sweep: SweepConfig,
  resolved: object,
  path: string,
  check: { value: unknown; at: string },
): ConfigIssue[] {
  const where = `parameters.${path}.${check.at}`;
  let input;
  try {
    input = withField(sweep.run, resolved, path, check.value);
  } catch (error) {
    if (!(error instanceof TypeError)) throw error;
    return [{ path: `parameters.${path}`, message: error.message }];
  }
  const result = resolveRunConfig(input);
  if (result.ok) return [];
  return result.issues.map((i) => ({ path: where, message: `${i.path}: ${i.message}` }));
}

/**
 * Checks a sweep file: its own keys, then the base run config (`run`), then
 * each parameter's values (and a distribution's bounds) as overrides of the
 * base, so that a bad value is an error before any trial runs. A `val_*`
 * metric needs `validationSplit` above 0; `grid` takes lists only; `random`
 * needs `run_cap`. Issues name the dotted path and the fix.
 *
 * @example
 * ```ts
 * import { resolveSweepConfig } from "./sweep_config.ts";
 * const r = resolveSweepConfig({
 *   method: "random",
 *   metric: { name: "val_accuracy", goal: "maximize" },
 *   parameters: { lr: { distribution: "log_uniform_values", min: 0.001, max: 0.1 } },
 *   run_cap: 4,
 *   run: { dataset: "iris" },
 * });
 * r.ok && r.sweep.metric.name; // "valAccuracy"
 * ```
 */
export function resolveSweepConfig(
  input: unknown,
): { ok: true; sweep: SweepConfig } | { ok: false; issues: ConfigIssue[] } {
  if (!isObject(input)) {
    return { ok: false, issues: [{ path: "", message: "must be a JSON object: the sweep file" }] };
  }
  const parsed = v.safeParse(SweepConfigSchema, input, { message: fallbackMessage });
  if (!parsed.success) {
    const issues = parsed.issues.map((i) => ({ path: v.getDotPath(i) ?? "", message: i.message }));
    return { ok: false, issues };
  }
  const sweep: SweepConfig = parsed.output as SweepConfig;
  const base = resolveRunConfig(sweep.run);
  if (!base.ok) {
    const issues = base.issues.map((i) => ({ ...i, path: i.path ? `run.${i.path}` : "run" }));
    return { ok: false, issues };
  }
  const issues: ConfigIssue[] = [];
  if ((sweep.run as Record<string, unknown>).out !== undefined || "out" in sweep.parameters) {
    issues.push({
      path: (sweep.run as Record<string, unknown>).out !== undefined ? "run.out" : "parameters.out",
      message:
        "a sweep writes no file per trial: remove it, and take the best trial's model with --out (deno task sweep) or from GET /api/runs/:id/model",
    });
  }
  if (sweep.method === "random" && sweep.run_cap === undefined) {
    issues.push({ path: "run_cap", message: "is required with method random: e.g. 20 trials" });
  }
  for (const [path, parameter] of Object.entries(sweep.parameters)) {
    if (sweep.method === "grid" && "distribution" in parameter) {
      issues.push({
        path: `parameters.${path}`,
        message: "a grid takes values or value: list the values, or use method random",
      });
    }
    for (const check of valuesToCheck(parameter)) {
      issues.push(...overrideIssues(sweep, base.config, path, check));
    }
  }
  const split = sweep.parameters.validationSplit ? undefined : base.config.validationSplit;
  if (sweep.metric.name.startsWith("val") && split === 0) {
    issues.push({
      path: "metric.name",
      message:
        `${sweep.metric.name} needs validation data: set run.validationSplit above 0, e.g. 0.2`,
    });
  }
  const epochs = sweep.parameters.epochs ? undefined : base.config.epochs;
  const early = sweep.early_terminate;
  if (early && epochs !== undefined && early.min_iter >= epochs) {
    issues.push({
      path: "early_terminate.min_iter",
      message: `must be below the run's ${epochs} epochs: the first rung is at min_iter epochs`,
    });
  }
  // A bad path or value is found once per listed value: say it once.
  const unique = issues.filter((issue, k) =>
    issues.findIndex((other) => other.path === issue.path && other.message === issue.message) === k
  );
  return unique.length > 0 ? { ok: false, issues: unique } : { ok: true, sweep };
}

/**
 * Like {@linkcode resolveSweepConfig} but throws a TypeError naming every
 * failing field: `Invalid sweep file: metric.goal: must be "minimize" or "maximize"`.
 *
 * @example
 * ```ts
 * import { parseSweepConfig } from "./sweep_config.ts";
 * parseSweepConfig({
 *   method: "grid",
 *   metric: { name: "loss", goal: "minimize" },
 *   parameters: { lr: { values: [0.01, 0.1] } },
 *   run: { dataset: "xor" },
 * }).seed; // 42
 * ```
 */
export function parseSweepConfig(input: unknown): SweepConfig {
  const r = resolveSweepConfig(input);
  if (r.ok) return r.sweep;
  const lines = r.issues.map((i) => (i.path ? `${i.path}: ${i.message}` : i.message));
  throw new TypeError(`Invalid sweep file: ${lines.join("; ")}`);
}
