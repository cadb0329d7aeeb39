/**
 * The pieces of the run config schema: data set, plugin choice, early
 * stopping and learning-rate schedule.
 *
 * @module
 */
import * as v from "valibot";
import { PluginParamsSchema } from "../core/math/spec.ts";
import { BUILTIN_DATASETS } from "./datasets/mod.ts";
import { count, isObject, nonNegative, positive, strict, text } from "./_schema_helpers.ts";

const DATASET_HELP = `must be one of ${
  BUILTIN_DATASETS.join(", ")
}, { "csv": path, "target": column } or { "ndjson": path }`;

const CsvSchema = strict({
  csv: text,
  target: text,
  delimiter: v.optional(
    v.pipe(text, v.regex(/^[^"\r\n]$/, 'must be one character such as "," ";" or "\\t"')),
  ),
});
const NdjsonSchema = strict({ ndjson: text, target: v.optional(text) });

/** Where the data comes from: a built-in data set, or a CSV or NDJSON file. */
export const DatasetSchema = v.lazy((input) => {
  if (isObject(input) && "csv" in input) return CsvSchema;
  if (isObject(input) && "ndjson" in input) return NdjsonSchema;
  return v.picklist(BUILTIN_DATASETS, DATASET_HELP);
});

/** Declared column types of a CSV data set: `{ "city": "category", "id": "ignore" }`. */
export const ColumnsSchema = v.record(
  v.pipe(text, v.maxLength(200, "must be at most 200 characters")),
  v.picklist(
    ["number", "category", "boolean", "ignore"],
    'must be "number", "category", "boolean" or "ignore"',
  ),
);

const named = strict({ name: text, params: v.optional(PluginParamsSchema) });
/** A plugin by name, or by name with parameters (`{ "name": "adam", "params": { "beta1": 0.8 } }`). */
export const PluginChoiceSchema = v.lazy((input) => (isObject(input) ? named : text));

const fraction = v.pipe(positive, v.maxValue(1, "must be at most 1"));
const monitor = v.optional(v.picklist(["valLoss", "loss"], 'must be "valLoss" or "loss"'));

/** Stop when the monitored loss has not improved by `minDelta` for `patience` epochs (core's earlyStopping). */
export const EarlyStoppingSchema = strict({
  patience: count,
  minDelta: v.optional(nonNegative),
  monitor,
  restoreBest: v.optional(v.boolean("must be true or false")),
});

/** A learning-rate schedule by name, with the options of core's schedule of that name. */
export const ScheduleSchema = v.variant("name", [
  strict({ name: v.literal("stepDecay"), every: count, gamma: v.optional(fraction) }),
  strict({ name: v.literal("exponentialDecay"), gamma: fraction }),
  strict({
    name: v.literal("cosineDecay"),
    epochs: v.optional(count),
    minLr: v.optional(nonNegative),
  }),
  strict({
    name: v.literal("reduceOnPlateau"),
    factor: v.optional(fraction),
    patience: v.optional(count),
    minDelta: v.optional(nonNegative),
    minLr: v.optional(nonNegative),
    monitor,
  }),
], 'must name a schedule: "stepDecay", "exponentialDecay", "cosineDecay" or "reduceOnPlateau"');
