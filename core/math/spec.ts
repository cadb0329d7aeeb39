import * as v from "valibot";
import type { NetworkSpec } from "./types.ts";

/** Plugin parameters: a record of finite numbers. */
export const PluginParamsSchema = v.record(v.string(), v.pipe(v.number(), v.finite()));

/** A plugin reference: `"relu"` or `{ name: "leakyRelu", params: { alpha: 0.2 } }`. */
export const PluginRefSchema = v.union([
  v.pipe(v.string(), v.nonEmpty("must not be empty")),
  v.strictObject({
    name: v.pipe(v.string(), v.nonEmpty("must not be empty")),
    params: v.optional(PluginParamsSchema),
  }),
]);

/** One dense layer. */
export const LayerSpecSchema = v.strictObject({
  units: v.pipe(
    v.number(),
    v.integer("must be a whole number"),
    v.minValue(1, "must be at least 1: a layer needs at least one neuron"),
  ),
  activation: v.optional(PluginRefSchema),
  init: v.optional(v.picklist(["he", "glorot", "lecun", "zeros"])),
});

/** A feed-forward network spec; the same schema serves config files and model files. */
export const NetworkSpecSchema = v.strictObject({
  inputs: v.pipe(
    v.number(),
    v.integer("must be a whole number"),
    v.minValue(1, "must be at least 1"),
  ),
  layers: v.pipe(v.array(LayerSpecSchema), v.minLength(1, "must list at least one layer")),
});

/**
 * Turns valibot issues into one readable line per failing field:
 * `layers.0.units: must be at least 1: a layer needs at least one neuron`.
 */
export function describeIssues(issues: readonly v.BaseIssue<unknown>[]): string[] {
  return issues.map((issue) => `${v.getDotPath(issue) ?? "(root)"}: ${issue.message}`);
}

/**
 * Checks a network spec, throwing a RangeError (bad numbers) or TypeError (bad
 * shape) that names every failing field.
 *
 * @example
 * ```ts
 * import { parseNetworkSpec } from "./spec.ts";
 * parseNetworkSpec({ inputs: 2, layers: [{ units: 1, activation: "sigmoid" }] });
 * // parseNetworkSpec({ inputs: 2, layers: [{ units: 0 }] }) throws
 * // RangeError: Invalid network spec: layers.0.units: must be at least 1: ...
 * ```
 */
export function parseNetworkSpec(input: unknown): NetworkSpec {
  const result = v.safeParse(NetworkSpecSchema, input);
  if (result.success) return result.output;
  const ranged = result.issues.every((i) => i.kind === "validation");
  const ErrorType = ranged ? RangeError : TypeError;
  throw new ErrorType(`Invalid network spec: ${describeIssues(result.issues).join("; ")}`);
}
