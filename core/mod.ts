/**
 * nagare core: dense networks, backpropagation, plugin interfaces and the
 * registry. Pure TypeScript on typed arrays; no I/O.
 *
 * @module
 */
export type * from "./types.ts";
export { elementwise, type ElementwiseOptions } from "./elementwise.ts";
export { createRng, type Rng, type RngState } from "./rng.ts";
export type { Backend, GemmDims } from "./backend.ts";
export { tsBackend } from "./kernels.ts";
export { createRegistry, type PluginsByKind, type Registry } from "./registry.ts";
export {
  describeIssues,
  LayerSpecSchema,
  NetworkSpecSchema,
  parseNetworkSpec,
  PluginRefSchema,
} from "./spec.ts";
export { initWeights } from "./init.ts";
export {
  createNetwork,
  type CreateNetworkOptions,
  type Layer,
  type Network,
  parameters,
} from "./network.ts";
export { forwardLayer } from "./forward.ts";
export { predict } from "./infer.ts";
export { argmaxRow, countCorrect } from "./metrics.ts";
export { checkLossPairing } from "./pairing.ts";
export {
  applyOptimizer,
  createOptimizerState,
  globalNorm,
  type OptimizerState,
  type OptimizerStep,
  updateParams,
} from "./optimize.ts";
export {
  type CreateStep,
  createTrainStep,
  type GradientOptions,
  type LayerStats,
  type RunOptions,
  type TrainStep,
  type TrainStepOptions,
} from "./train_step.ts";
export { decodeFloats, encodeFloats } from "./base64_floats.ts";
export {
  fromModelFile,
  type LoadOptions,
  MODEL_FORMAT,
  MODEL_VERSION,
  type ModelFile,
  ModelFileSchema,
  type ModelMeta,
  type PluginEntry,
  toModelFile,
} from "./model_file.ts";
export { fingerprint, type FingerprintHooks, modelFingerprintHooks } from "./fingerprint.ts";
export {
  assertPlugin,
  checkPlugin,
  type CheckResult,
  type PluginReport,
} from "./plugin_checks/mod.ts";
export { parsePluginShape } from "./plugin_schema.ts";
export {
  type CheckpointOptions,
  type EarlyStoppingOptions,
  train,
  type TrainOptions,
} from "./train.ts";
export type { BatchEvent, EndEvent, EpochEvent, StartEvent, TrainEvent } from "./train_events.ts";
export {
  type Checkpoint,
  CHECKPOINT_FORMAT,
  CheckpointSchema,
  parseCheckpoint,
} from "./checkpoint.ts";
export type { DataSource, MemorySource, Sample, StreamSource } from "./data/data_source.ts";
export { inMemory, type InMemoryOptions } from "./data/in_memory.ts";
export { fromArrays } from "./data/from_arrays.ts";
export { fromIterable, type SampleIterable } from "./data/from_iterable.ts";
export { fromStream } from "./data/from_stream.ts";
export { fromObservable } from "./data/from_observable.ts";
export { type CsvOptions, fromCsv } from "./data/from_csv.ts";
export { fromNdjson, type NdjsonOptions } from "./data/from_ndjson.ts";
export type {
  PrepareFit,
  PrepareFn,
  PrepareState,
  PrepareStep,
  Widths,
} from "./data/prepare_step.ts";
export { oneHot } from "./data/one_hot.ts";
export { standardize, type StandardizeState } from "./data/standardize.ts";
export { foldStandardize, type Standardization, standardizeState } from "./fold_standardize.ts";
export type {
  EpochMetrics,
  LrSchedule,
  ScheduleContext,
  ScheduleState,
} from "./schedules/lr_schedule.ts";
export { stepDecay, type StepDecayOptions } from "./schedules/step_decay.ts";
export { exponentialDecay, type ExponentialDecayOptions } from "./schedules/exponential_decay.ts";
export { cosineDecay, type CosineDecayOptions } from "./schedules/cosine_decay.ts";
export { reduceOnPlateau, type ReduceOnPlateauOptions } from "./schedules/reduce_on_plateau.ts";
