/**
 * The config of a live run: a run whose data is a stream of samples posted
 * while it trains (`POST /api/runs/:id/samples`), learned online by
 * `onlineLearner` with prequential windows.
 *
 * @module
 */
import * as v from "valibot";
import { LayerSpecSchema, PluginRefSchema, strict } from "../core/math/spec.ts";
import type { LayerSpec, PluginRef } from "../core/math/types.ts";
import { count, positive } from "./_schema_helpers.ts";
import { lossFor, MAX_BATCH_SIZE } from "./run_config.ts";

/**
 * The most samples a live run may let wait (`maxQueue`): the queue is held
 * in memory, and counted in the run's memory estimate.
 *
 * @example
 * ```ts
 * import { MAX_LIVE_QUEUE } from "./live_config.ts";
 * MAX_LIVE_QUEUE; // 1000000
 * ```
 */
export const MAX_LIVE_QUEUE = 1_000_000;

/** The valibot schema of a live run config. */
const LiveRunConfigSchema = strict({
  dataset: strict({
    live: strict({ inputs: count, outputs: count }),
  }),
  layers: v.pipe(
    v.array(LayerSpecSchema, "must be a list of layers"),
    v.minLength(1, "must list at least one layer"),
  ),
  loss: v.optional(PluginRefSchema),
  optimizer: v.optional(PluginRefSchema),
  lr: v.optional(positive),
  batchSize: v.optional(
    v.pipe(count, v.maxValue(MAX_BATCH_SIZE, "must be at most 65536; use e.g. 32")),
  ),
  window: v.optional(count),
  seed: v.optional(v.pipe(v.number("must be a number"), v.integer("must be a whole number"))),
  maxQueue: v.optional(
    v.pipe(count, v.maxValue(MAX_LIVE_QUEUE, "must be at most 1000000; use e.g. 10000")),
  ),
});

/** A live run config with every default filled in. */
export interface LiveRunConfig {
  /** Widths of the posted samples: `x` has `inputs` numbers, `y` has `outputs`. */
  readonly dataset: { readonly live: { readonly inputs: number; readonly outputs: number } };
  /** Dense layers; the last has `outputs` units. */
  readonly layers: LayerSpec[];
  /** Default: crossEntropy after softmax, binaryCrossEntropy after sigmoid, else mse. */
  readonly loss: PluginRef;
  /** Default adam. */
  readonly optimizer: PluginRef;
  /** Default 0.01. */
  readonly lr: number;
  /** Samples per step (default 32, at most 65,536). */
  readonly batchSize: number;
  /** Samples per prequential window event (default 1,000). */
  readonly window: number;
  /** Seed of the weights (default 42). */
  readonly seed: number;
  /** Samples that may wait while the Worker is busy or starting (default 10,000, at most 1,000,000). */
  readonly maxQueue: number;
}

/** True when a request body asks for a live run (`"dataset": {"live": ...}`). */
export function isLiveConfig(body: unknown): boolean {
  const dataset = (body as { dataset?: unknown } | null)?.dataset;
  return typeof dataset === "object" && dataset !== null && "live" in dataset;
}

/**
 * Checks a live run config: the config, or issues naming each bad field
 * (`{ path, message }`) with its fix.
 *
 * @example
 * ```ts
 * import { parseLiveConfig } from "./live_config.ts";
 * const result = parseLiveConfig({
 *   dataset: { live: { inputs: 2, outputs: 2 } },
 *   layers: [{ units: 16, activation: "tanh" }, { units: 2, activation: "softmax" }],
 *   window: 2000,
 * });
 * result.ok && result.config.loss; // "crossEntropy"
 * ```
 */
export function parseLiveConfig(
  input: unknown,
): { ok: true; config: LiveRunConfig } | {
  ok: false;
  issues: { path: string; message: string }[];
} {
  const parsed = v.safeParse(LiveRunConfigSchema, input);
  if (!parsed.success) {
    return {
      ok: false,
      issues: parsed.issues.map((i) => ({ path: v.getDotPath(i) ?? "", message: i.message })),
    };
  }
  const c = parsed.output;
  const last = c.layers[c.layers.length - 1];
  if (last.units !== c.dataset.live.outputs) {
    const message =
      `has ${last.units} units but samples have ${c.dataset.live.outputs} targets; make the last layer ${c.dataset.live.outputs} units wide`;
    return { ok: false, issues: [{ path: `layers.${c.layers.length - 1}.units`, message }] };
  }
  return {
    ok: true,
    config: {
      dataset: { live: { ...c.dataset.live } },
      layers: c.layers,
      loss: c.loss ?? lossFor(c.layers),
      optimizer: c.optimizer ?? "adam",
      lr: c.lr ?? 0.01,
      batchSize: c.batchSize ?? 32,
      window: c.window ?? 1000,
      seed: c.seed ?? 42,
      maxQueue: c.maxQueue ?? 10_000,
    },
  };
}
