/**
 * The shape every plugin must have, as valibot schemas, and
 * {@linkcode parsePluginShape}, the first check the registry runs.
 *
 * @module
 */
import { PLUGIN_KINDS } from "./plugin_ref.ts";
import * as v from "valibot";
import type { Plugin, PluginKind } from "../math/types.ts";

/** Lowercase or camelCase segments joined by "/": `"relu"`, `"myorg/swish"`, `"acme-ai/bentIdentity"`. */
export const PLUGIN_NAME =
  /^[a-z][a-zA-Z0-9]*(?:-[a-zA-Z0-9]+)*(?:\/[a-z][a-zA-Z0-9]*(?:-[a-zA-Z0-9]+)*)*$/;
/** Semver-ish: `"1"`, `"1.2"`, `"1.2.3"`, optionally with `-beta.1` or `+build`. */
export const PLUGIN_VERSION = /^\d+(?:\.\d+){0,2}(?:-[0-9A-Za-z.-]+)?(?:\+[0-9A-Za-z.-]+)?$/;

const fn = v.function("must be a function");
const finite = (what = "a finite number") =>
  v.pipe(v.number(`must be ${what}`), v.finite(`must be ${what}`));

type Schema = { message?: unknown; pipe?: readonly Schema[] };
const messageOf = (s: Schema | undefined): unknown => s && (s.message ?? messageOf(s.pipe?.[0]));

/** A loose object whose missing keys are reported with their own schema's message. */
function object<T extends v.ObjectEntries>(entries: T) {
  return v.looseObject(entries, (issue) => {
    if (!issue.expected?.startsWith('"')) return "must be an object";
    const key = String(issue.path?.at(-1)?.key);
    const message = messageOf(entries[key] as Schema | undefined);
    return typeof message === "string" ? message : "is required";
  });
}

const NameSchema = v.pipe(
  v.string("must be a string"),
  v.maxLength(100, "must be at most 100 characters"),
  v.regex(
    PLUGIN_NAME,
    'must be lowercase or camelCase segments joined by "/", such as "myorg/swish"',
  ),
);

const base = {
  name: NameSchema,
  version: v.optional(
    v.pipe(
      v.string('must be a string such as "1.0.0"'),
      v.regex(PLUGIN_VERSION, 'must be a version such as "1.0.0" or "2.1.0-beta.1"'),
    ),
  ),
  params: v.optional(v.record(v.string(), finite(), "must be an object of numbers")),
  configure: v.optional(fn),
  description: v.optional(v.string("must be a string")),
};

const ActivationSchema = object({
  ...base,
  forward: fn,
  backward: fn,
  f: v.optional(fn),
  df: v.optional(fn),
  probabilities: v.optional(v.boolean("must be true or false")),
  rowwise: v.optional(v.boolean("must be true or false")),
  init: v.optional(
    v.picklist(["he", "glorot", "lecun", "zeros"], "must be he, glorot, lecun or zeros"),
  ),
  kernel: v.optional(v.picklist(["relu"], 'must be "relu" or left out')),
});

const LossSchema = object({
  ...base,
  input: v.picklist(
    ["probabilities", "logits", "values"],
    "must be probabilities, logits or values",
  ),
  loss: fn,
  gradient: fn,
  fused: v.optional(
    object({ activation: NameSchema, loss: fn, gradient: fn }),
  ),
});

const OptimizerSchema = object({
  ...base,
  lr: v.pipe(finite("a finite number of 0 or more"), v.minValue(0, "must be 0 or more")),
  slots: v.pipe(
    v.number("must be a whole number"),
    v.integer("must be a whole number"),
    v.minValue(0, "must be 0 or more"),
    v.maxValue(16, "must be at most 16"),
  ),
  clipNorm: v.optional(v.pipe(finite("a positive number"), v.gtValue(0, "must be more than 0"))),
  elementwise: v.optional(v.boolean("must be true or false")),
  kernel: v.optional(v.picklist(["adam"], 'must be "adam" or left out')),
  update: fn,
});

const SCHEMAS = { activation: ActivationSchema, loss: LossSchema, optimizer: OptimizerSchema };

/**
 * Checks that `value` is a well-formed plugin: a known `kind`, a valid name
 * and version, finite numeric params and every function its kind requires.
 * Returns the very same object; throws a TypeError naming each missing or
 * wrong field (a RangeError when only numbers are out of range).
 *
 * @example
 * ```ts
 * import { parsePluginShape } from "./plugin_schema.ts";
 * // parsePluginShape({ kind: "activation", name: "myorg/swish", backward() {} }) throws
 * // TypeError: Invalid plugin "myorg/swish": forward must be a function
 * ```
 */
export function parsePluginShape(value: unknown): Plugin {
  const p = value as { kind?: unknown; name?: unknown } | null;
  if (typeof p !== "object" || p === null || Array.isArray(p)) {
    const got = Array.isArray(p) ? "an array" : p === null ? "null" : typeof p;
    throw new TypeError(`Invalid plugin: expected a plugin object { kind, name, ... }, got ${got}`);
  }
  const label = typeof p.name === "string" ? `Invalid plugin "${p.name}"` : "Invalid plugin";
  if (!PLUGIN_KINDS.includes(p.kind as PluginKind)) {
    throw new TypeError(
      `${label}: kind must be "activation", "loss" or "optimizer", got ${JSON.stringify(p.kind)}`,
    );
  }
  const result = v.safeParse(SCHEMAS[p.kind as PluginKind], p);
  if (result.success) return value as Plugin;
  const lines = result.issues.map((i) => `${v.getDotPath(i) ?? "(root)"} ${i.message}`);
  // a number out of range (NaN included) is a RangeError; anything else is a wrong shape
  const ranged = result.issues.every((i) =>
    typeof i.input === "number" && i.type !== "regex" && i.type !== "max_length"
  );
  const ErrorType = ranged ? RangeError : TypeError;
  throw new ErrorType(`${label}: ${lines.join("; ")}`);
}
