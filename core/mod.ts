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
} from "./optimize.ts";
export {
  createTrainStep,
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
