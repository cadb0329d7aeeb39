import * as v from "valibot";
import { ModelFileSchema } from "./model_file.ts";
import { describeIssues, PluginParamsSchema } from "../math/spec.ts";

/** The `format` field of every nagare checkpoint. */
export const CHECKPOINT_FORMAT = "nagare-checkpoint";

const Json = v.unknown();
const Count = v.pipe(v.number(), v.integer(), v.minValue(0));
const NumberOrNull = v.nullable(v.number());

/** The valibot schema of a checkpoint. */
// deno-doc-ignore missing-explicit-type -- the schema is the one definition of Checkpoint: its
// inferred type, pages of nested valibot generics, written out would be a second copy to keep in step
export const CheckpointSchema = v.object({
  format: v.literal(CHECKPOINT_FORMAT, `must be "${CHECKPOINT_FORMAT}": this is not a checkpoint`),
  version: v.literal(1, "must be 1: this nagare reads checkpoints of version 1 only"),
  /** Epochs completed. */
  epoch: Count,
  /** Optimizer steps taken. */
  step: Count,
  /** The weights, as a model file. */
  model: ModelFileSchema,
  /** Optimizer state: its step count and its slot arrays per parameter tensor (base64 float32). */
  optimizer: v.object({ name: v.string(), t: Count, slots: v.array(v.array(v.string())) }),
  /** State of the random stream that shuffles, to continue the same order. */
  rng: v.tuple([Count, Count, Count, Count]),
  /** Learning-rate schedule state. */
  schedule: v.optional(v.record(v.string(), NumberOrNull)),
  /** Early-stopping state, with the best weights so far (base64 float32 per parameter tensor). */
  earlyStopping: v.optional(v.object({
    best: NumberOrNull,
    bestEpoch: Count,
    wait: Count,
    weights: v.optional(v.array(v.string())),
  })),
  /** What each prepare step learned (null for steps that learn nothing). */
  prepare: v.optional(v.array(v.nullable(v.record(v.string(), Json)))),
  /** Training samples per epoch, once known. */
  samplesPerEpoch: v.optional(Count),
  /** The run's settings, for the record. */
  config: v.object({
    epochs: Count,
    batchSize: Count,
    /** The run's learning rate before schedules (absent in checkpoints of older versions). */
    lr: v.optional(v.number()),
    seed: v.number(),
    l2: v.optional(v.number()),
    validationSplit: v.optional(v.number()),
    loss: v.object({ name: v.string(), params: v.optional(PluginParamsSchema) }),
    optimizer: v.object({ name: v.string(), params: v.optional(PluginParamsSchema) }),
    schedule: v.optional(v.string()),
    warmupSteps: v.optional(Count),
  }),
});

/**
 * Everything needed to continue a training run exactly: plain JSON, written
 * by the `save` function given to the trainer's `checkpoint` option and given
 * back as its `resume` option.
 */
// deno-doc-ignore private-type-ref -- InferOutput is valibot's, documented there
export type Checkpoint = v.InferOutput<typeof CheckpointSchema>;

/**
 * Parses and checks a checkpoint (object or JSON text); throws a TypeError
 * naming every bad field.
 *
 * @example
 * ```ts ignore
 * const resume = parseCheckpoint(await Deno.readTextFile("run.ckpt.json"));
 * train({ ...options, resume }).subscribe(console.log);
 * ```
 */
export function parseCheckpoint(input: unknown): Checkpoint {
  let raw = input;
  if (typeof input === "string") {
    try {
      raw = JSON.parse(input);
    } catch (e) {
      throw new TypeError(
        `Invalid checkpoint: not JSON (${(e as Error).message}); is the file truncated?`,
      );
    }
  }
  const parsed = v.safeParse(CheckpointSchema, raw);
  if (!parsed.success) {
    throw new TypeError(`Invalid checkpoint: ${describeIssues(parsed.issues).join("; ")}`);
  }
  return parsed.output;
}
