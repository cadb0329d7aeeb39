/**
 * The network spec and plugin references, as valibot schemas: one copy that
 * run configs, checkpoints and model files all use.
 *
 * @module
 */
import * as v from "valibot";
import type { LayerSpec, NetworkSpec, PluginRef } from "./types.ts";

/**
 * A strict valibot object whose issues name unknown, missing and mistyped
 * fields, and the fields it knows.
 */
export function strict<const E extends v.ObjectEntries>(
  entries: E,
): v.StrictObjectSchema<E, v.ErrorMessage<v.StrictObjectIssue>> {
  const known = Object.keys(entries).join(", ");
  return v.strictObject(entries, (issue) => {
    if (issue.expected === "never") return `unknown field: remove it or use one of ${known}`;
    if (issue.received === "undefined") return "is required";
    return `must be an object with fields ${known}, got ${issue.received}`;
  });
}

/** Plugin parameters: a record of finite numbers. */
export const PluginParamsSchema = v.record(
  v.string(),
  v.pipe(v.number("must be a number"), v.finite("must be finite")),
);

/** A plugin name: what a model file stores, e.g. `"relu"` or `"myorg/swish"`. */
export const PluginNameSchema = v.pipe(
  v.string("must be a string"),
  v.nonEmpty("must not be empty"),
  v.maxLength(200, "must be at most 200 characters"),
);

/** A plugin reference: `"relu"` or `{ name: "leakyRelu", params: { alpha: 0.2 } }`. */
// deno-doc-ignore private-type-ref -- GenericSchema is valibot's, documented there
export const PluginRefSchema: v.GenericSchema<PluginRef> = v.union(
  [PluginNameSchema, strict({ name: PluginNameSchema, params: v.optional(PluginParamsSchema) })],
  'must be a plugin name such as "relu" or { "name": "leakyRelu", "params": { "alpha": 0.1 } }',
);

const whole = (min: string) =>
  v.pipe(v.number("must be a number"), v.integer("must be a whole number"), v.minValue(1, min));

/** One dense layer. */
// deno-doc-ignore private-type-ref -- GenericSchema is valibot's, documented there
export const LayerSpecSchema: v.GenericSchema<LayerSpec> = strict({
  units: whole("must be at least 1: a layer needs at least one neuron"),
  activation: v.optional(PluginRefSchema),
  init: v.optional(
    v.picklist(["he", "glorot", "lecun", "zeros"], "must be he, glorot, lecun or zeros"),
  ),
});

/** A feed-forward network spec; the same schema serves config files and model files. */
// deno-doc-ignore private-type-ref -- GenericSchema is valibot's, documented there
export const NetworkSpecSchema: v.GenericSchema<NetworkSpec> = strict({
  inputs: whole("must be at least 1"),
  layers: v.pipe(v.array(LayerSpecSchema), v.minLength(1, "must list at least one layer")),
});

/**
 * Turns valibot issues into one readable line per failing field:
 * `layers.0.units: must be at least 1: a layer needs at least one neuron`.
 */
// deno-doc-ignore private-type-ref -- BaseIssue is valibot's, documented there
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
