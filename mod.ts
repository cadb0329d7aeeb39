/**
 * nagare: feed-forward networks trained by backpropagation on typed arrays,
 * with plugins that are proven before use, a streaming RxJS trainer,
 * data-parallel Workers and model files that load on the edge. This module
 * re-exports the public API, what a Deno package would publish.
 *
 * @example
 * ```ts
 * import { createNetwork, createRegistry, predict, relu, sigmoid } from "./mod.ts";
 * const registry = createRegistry([relu, sigmoid]);
 * const network = createNetwork(
 *   { inputs: 2, layers: [{ units: 4, activation: "relu" }, { units: 1, activation: "sigmoid" }] },
 *   { registry, seed: 1 },
 * );
 * predict(network, { data: new Float32Array([0, 1]), rows: 1, cols: 2 }).data.length; // 1
 * ```
 *
 * @module
 */
export type * from "./core/math/types.ts";
export { elementwise, type ElementwiseOptions } from "./core/math/elementwise.ts";
export { createRng, type Rng, type RngState } from "./core/math/rng.ts";
export type { Backend, GemmDims } from "./core/math/backend.ts";
export type { AdamConstants } from "./core/math/adam_rule.ts";
export { tsBackend } from "./core/math/kernels.ts";
export {
  createWasmBackend,
  type WasmBackend,
  type WasmBackendOptions,
} from "./core/wasm/wasm_backend.ts";
export { createRegistry, type PluginsByKind, type Registry } from "./core/checks/registry.ts";
export {
  describeIssues,
  LayerSpecSchema,
  NetworkSpecSchema,
  parseNetworkSpec,
  PluginRefSchema,
} from "./core/math/spec.ts";
export { initWeights } from "./core/math/init.ts";
export {
  createNetwork,
  type CreateNetworkOptions,
  type Layer,
  type Network,
  parameters,
} from "./core/math/network.ts";
export { forwardLayer, type LayerIO } from "./core/math/forward.ts";
export { predict, type PredictBackend, type PredictOptions } from "./core/wasm/predict.ts";
export {
  createWasmInference,
  type WasmInference,
  type WasmInferenceOptions,
} from "./core/wasm/wasm_inference.ts";
export { argmaxRow, countCorrect } from "./core/math/metrics.ts";
export { checkLossPairing, type PairingOptions } from "./core/checks/pairing.ts";
export {
  applyOptimizer,
  createOptimizerState,
  globalNorm,
  type OptimizerState,
  type OptimizerStep,
  updateParams,
} from "./core/math/optimize.ts";
export {
  createGradientStep,
  type GradientOptions,
  type GradientStep,
  type GradientStepOptions,
  l2Gradient,
} from "./core/math/backward.ts";
export {
  type CreateStep,
  createTrainStep,
  type LayerStats,
  type RunOptions,
  type TrainStep,
  type TrainStepOptions,
} from "./core/math/train_step.ts";
export { decodeFloats, encodeFloats } from "./core/model/base64_floats.ts";
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
} from "./core/model/model_file.ts";
export type { PluginEntrySchema } from "./core/model/model_file_schema.ts";
export {
  fingerprint,
  type FingerprintHooks,
  modelFingerprintHooks,
  type StoredPlugin,
} from "./core/checks/fingerprint.ts";
export * from "./core/checks/mod.ts";
export type { GradCheck, GradPoint, GradReport } from "./core/checks/gradcheck.ts";
export { parsePluginShape } from "./core/checks/plugin_schema.ts";
export {
  type CheckpointOptions,
  type EarlyStoppingOptions,
  train,
  type TrainOptions,
} from "./core/train/train.ts";
export type {
  BatchEvent,
  EndEvent,
  EpochEvent,
  StartEvent,
  TrainEvent,
} from "./core/train/train_events.ts";
export {
  type OnlineBatch,
  type OnlineInput,
  type OnlineLearner,
  onlineLearner,
  type OnlineSample,
  trainOn,
} from "./core/train/online_learner.ts";
export type { OnlineCheckpointOptions, OnlineOptions } from "./core/train/online_options.ts";
export type { OnlineBatchEvent, OnlineEvent, WindowEvent } from "./core/train/online_events.ts";
export {
  type Checkpoint,
  CHECKPOINT_FORMAT,
  CheckpointSchema,
  parseCheckpoint,
} from "./core/model/checkpoint.ts";
export type { DataSource, MemorySource, Sample, StreamSource } from "./core/data/data_source.ts";
export { inMemory, type InMemoryOptions } from "./core/data/in_memory.ts";
export { fromArrays } from "./core/data/from_arrays.ts";
export { fromIterable, type SampleIterable } from "./core/data/from_iterable.ts";
export { fromStream } from "./core/data/from_stream.ts";
export { fromObservable } from "./core/data/from_observable.ts";
export { type CsvOptions, fromCsv } from "./core/data/from_csv.ts";
export { fromNdjson, type NdjsonOptions } from "./core/data/from_ndjson.ts";
export type {
  PrepareFit,
  PrepareFn,
  PrepareState,
  PrepareStep,
  Widths,
} from "./core/data/prepare_step.ts";
export { oneHot } from "./core/data/one_hot.ts";
export { standardize, type StandardizeState } from "./core/data/standardize.ts";
export {
  foldStandardize,
  type Standardization,
  standardizeState,
} from "./core/data/fold_standardize.ts";
export type {
  EpochMetrics,
  LrSchedule,
  ScheduleContext,
  ScheduleState,
} from "./core/train/schedules/lr_schedule.ts";
export { stepDecay, type StepDecayOptions } from "./core/train/schedules/step_decay.ts";
export {
  exponentialDecay,
  type ExponentialDecayOptions,
} from "./core/train/schedules/exponential_decay.ts";
export { cosineDecay, type CosineDecayOptions } from "./core/train/schedules/cosine_decay.ts";
export {
  reduceOnPlateau,
  type ReduceOnPlateauOptions,
} from "./core/train/schedules/reduce_on_plateau.ts";
export * from "./plugins/mod.ts";
export * from "./parallel/mod.ts";
export { loadModel, saveModel } from "./io/model_io.ts";
export {
  createCsvReader,
  type CsvReader,
  type CsvReaderOptions,
  type CsvRecord,
  parseNumber,
} from "./core/data/csv_reader.ts";
export {
  type BooleanColumn,
  booleanValue,
  type CategoryColumn,
  type CellProblem,
  type Cells,
  type ClassTarget,
  columnWidth,
  encodeRow,
  encodeTarget,
  type FeatureColumn,
  type NumberColumn,
  type NumberTarget,
  sortNames,
  type Table,
  tableInputs,
  targetWidth,
  unscaleOutputs,
} from "./core/data/table.ts";
export {
  type ColumnChoice,
  createTableFit,
  type HeaderCells,
  type TableFit,
  type TableFitOptions,
  type TableReport,
} from "./core/data/table_fit.ts";
export {
  type CsvTableFit,
  type CsvTableOptions,
  csvTableSource,
  type CsvTableSourceOptions,
  fitCsvTable,
  heldOut,
  type RowSplit,
} from "./core/data/csv_table.ts";
