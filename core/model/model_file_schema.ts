import * as v from "valibot";
import { NetworkSpecSchema, PluginNameSchema, PluginParamsSchema } from "../math/spec.ts";
import { PLUGIN_KINDS } from "../checks/plugin_ref.ts";

/** The `format` field of every nagare model file. */
export const MODEL_FORMAT = "nagare-model";
/** The model file version this code writes and reads. */
export const MODEL_VERSION = 1;

// Strict base64 (no whitespace, padding only at the end): atob alone accepts
// spaces and missing padding. A plain character-class loop, not a group per
// quartet, so V8 neither backtracks deeply nor overflows its stack on large models.
const BASE64_CHARS = /^[A-Za-z0-9+/]*={0,2}$/;
const isBase64 = (text: string) => text.length % 4 === 0 && BASE64_CHARS.test(text);

/** Messages for the issues of a strict object: unknown key, missing key, not an object. */
function objectMessage(issue: v.BaseIssue<unknown>): string {
  if (issue.expected === "never") return "unknown key: remove it (not part of model files v1)";
  if (issue.expected?.startsWith('"')) return "missing: this field is required";
  return `must be an object, got ${issue.received}`;
}

const strict = <T extends v.ObjectEntries>(entries: T) => v.strictObject(entries, objectMessage);

/**
 * The valibot schema of one plugin a model file names: `kind` and `name`,
 * with optional `version`, `params` and `fingerprint`; other keys are refused.
 */
// deno-doc-ignore missing-explicit-type -- the schema defines PluginEntry; see ModelFileSchema
export const PluginEntrySchema = strict({
  kind: v.picklist(PLUGIN_KINDS, "must be activation, loss or optimizer"),
  name: PluginNameSchema,
  version: v.optional(v.pipe(v.string(), v.nonEmpty("must not be empty"))),
  params: v.optional(PluginParamsSchema),
  fingerprint: v.optional(v.string()),
});

const base64 = v.pipe(
  v.string("must be a base64 string"),
  v.check(isBase64, "must be base64 (A-Z a-z 0-9 + / with = padding): the text is corrupted"),
);

const finite = v.pipe(v.number("must be a number"), v.finite("must be finite"));
const scale = v.pipe(finite, v.gtValue(0, "must be above 0"));
const columnName = v.pipe(
  v.string("must be a string"),
  v.nonEmpty("must not be empty"),
  v.maxLength(200, "must be at most 200 characters"),
);
const scaled = <T extends string>(type: T) =>
  strict({ name: columnName, type: v.literal(type), center: finite, scale, fill: finite });

/**
 * The valibot schema of a model's table: how named columns become inputs
 * (core/data/table.ts), stored so every runtime encodes rows as training did.
 */
// deno-doc-ignore missing-explicit-type -- the schema defines the stored Table; see ModelFileSchema
export const TableSchema = strict({
  version: v.literal(1, "must be 1"),
  columns: v.array(
    v.variant("type", [
      scaled("number"),
      scaled("boolean"),
      strict({
        name: columnName,
        type: v.literal("category"),
        values: v.array(
          v.pipe(v.string("must be a string"), v.maxLength(200, "must be at most 200 characters")),
        ),
        missing: v.boolean("must be true or false"),
      }),
    ], 'must have a type of "number", "boolean" or "category"'),
  ),
  target: v.variant("type", [
    strict({
      name: columnName,
      type: v.literal("classes"),
      classes: v.pipe(
        v.array(v.pipe(v.string("must be a string"), v.maxLength(200))),
        v.minLength(2, "must list at least two classes"),
      ),
    }),
    strict({ name: columnName, type: v.literal("number"), center: finite, scale }),
  ], 'must have a type of "classes" or "number"'),
  ignored: v.array(columnName),
  missing: v.picklist(["impute", "error"], 'must be "impute" or "error"'),
});

/** Free-form training facts; the well-known keys are typed, any other JSON is kept. */
const TrainingSchema = v.objectWithRest({
  seed: v.optional(v.pipe(v.number("must be a number"), v.integer("must be a whole number"))),
  config: v.optional(v.record(v.string(), v.unknown())),
  metrics: v.optional(v.record(v.string(), v.unknown())),
}, v.unknown());

/**
 * The valibot schema of a model file (sizes and plugins are checked when
 * loading, by `fromModelFile`).
 *
 * @example
 * ```ts
 * import * as v from "valibot";
 * import { ModelFileSchema } from "./model_file_schema.ts";
 * v.safeParse(ModelFileSchema, { format: "nagare-model" }).success; // false
 * ```
 */
// deno-doc-ignore missing-explicit-type -- the schema is the one definition of ModelFile: its
// inferred type, pages of nested valibot generics, written out would be a second copy to keep in step
export const ModelFileSchema = strict({
  format: v.literal(MODEL_FORMAT, `must be "${MODEL_FORMAT}": this is not a nagare model file`),
  version: v.literal(MODEL_VERSION, `must be ${MODEL_VERSION}`),
  name: v.optional(PluginNameSchema),
  createdAt: v.optional(
    v.pipe(
      v.string(),
      v.regex(/^\d{4}-\d\d-\d\dT[\d:.]+Z$/, "must be a UTC time such as 2025-01-31T12:00:00.000Z"),
    ),
  ),
  spec: NetworkSpecSchema,
  plugins: v.array(PluginEntrySchema),
  training: v.optional(TrainingSchema),
  table: v.optional(TableSchema),
  weights: strict({
    encoding: v.literal("base64-f32le", 'must be "base64-f32le"'),
    checksum: v.optional(
      v.pipe(v.string(), v.regex(/^fnv1a32:[0-9a-f]{8}$/, 'must look like "fnv1a32:0123abcd"')),
    ),
    layers: v.array(strict({ weights: base64, bias: base64 })),
  }),
});

/** A parsed model file. */
// deno-doc-ignore private-type-ref -- InferOutput is valibot's, documented there
export type ModelFile = v.InferOutput<typeof ModelFileSchema>;
/** One plugin a model file names. */
// deno-doc-ignore private-type-ref -- InferOutput is valibot's, documented there
export type PluginEntry = v.InferOutput<typeof PluginEntrySchema>;

/**
 * FNV-1a (32 bit) over the weights' base64 texts, in file order: catches a
 * changed character that would still be valid base64.
 *
 * @example
 * ```ts
 * import { weightsChecksum } from "./model_file_schema.ts";
 * weightsChecksum([{ weights: "AACAPw==", bias: "" }]); // "fnv1a32:…" (8 hex digits)
 * ```
 */
export function weightsChecksum(layers: readonly { weights: string; bias: string }[]): string {
  let h = 0x811c9dc5;
  for (const layer of layers) {
    for (const text of [layer.weights, layer.bias, "|"]) {
      for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 0x01000193);
    }
  }
  return `fnv1a32:${(h >>> 0).toString(16).padStart(8, "0")}`;
}

/**
 * Checks the envelope first (`format`, `version`) so a wrong file gets one
 * clear sentence, then the whole schema. Throws a TypeError or RangeError
 * naming every failing field (the first five).
 *
 * @example
 * ```ts
 * import { parseModelFileShape } from "./model_file_schema.ts";
 * // parseModelFileShape({ format: "nagare-model", version: 2 }) throws
 * // TypeError: Invalid model file: version 2 is newer than this nagare reads (1); upgrade nagare
 * ```
 */
export function parseModelFileShape(raw: unknown): ModelFile {
  const envelope = raw as { format?: unknown; version?: unknown } | null;
  if (typeof raw !== "object" || raw === null || Array.isArray(raw)) {
    throw new TypeError(
      `Invalid model file: expected a JSON object with "format": "${MODEL_FORMAT}", got ${
        Array.isArray(raw) ? "an array" : raw === null ? "null" : typeof raw
      }`,
    );
  }
  if (envelope!.format !== MODEL_FORMAT) {
    throw new TypeError(
      `Invalid model file: format is ${
        JSON.stringify(envelope!.format) ?? "missing"
      } but must be "${MODEL_FORMAT}"; this is not a nagare model file`,
    );
  }
  const version = envelope!.version;
  if (version !== MODEL_VERSION) {
    const newer = typeof version === "number" && version > MODEL_VERSION;
    const what = version === undefined
      ? "version is missing"
      : `version ${JSON.stringify(version)}`;
    throw new TypeError(
      `Invalid model file: ${what}${
        newer
          ? ` is newer than this nagare reads (${MODEL_VERSION}); upgrade nagare`
          : `: this nagare reads version ${MODEL_VERSION} only; re-export the model`
      }`,
    );
  }
  const parsed = v.safeParse(ModelFileSchema, raw);
  if (parsed.success) return parsed.output;
  const lines = parsed.issues.map((i) => `${v.getDotPath(i) ?? "(root)"}: ${i.message}`);
  const more = lines.length > 5 ? `; and ${lines.length - 5} more` : "";
  const ranged = parsed.issues.every((i) =>
    i.kind === "validation" && !["check", "regex"].includes(i.type)
  );
  const ErrorType = ranged ? RangeError : TypeError;
  throw new ErrorType(`Invalid model file: ${lines.slice(0, 5).join("; ")}${more}`);
}
