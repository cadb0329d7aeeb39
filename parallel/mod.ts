/**
 * Data-parallel training over Workers sharing memory: pass
 * `createStep: parallel({ workers })` to `train()`.
 *
 * @example
 * ```ts ignore
 * import { parallel } from "./mod.ts";
 * train({ network, loss, optimizer, data, epochs: 5, batchSize: 64, createStep: parallel({ workers: 2 }) });
 * ```
 *
 * @module
 */
export { parallel, type ParallelOptions } from "./parallel_step.ts";
// The core types that `parallel()` and the pool name (the step it builds, the run it warms up
// for), so that this folder's API documents itself; mod.ts exports the same ones.
export type {
  CreateStep,
  LayerStats,
  RunOptions,
  TrainStep,
  TrainStepOptions,
} from "../core/math/train_step.ts";
export type { GradientStepOptions } from "../core/math/backward.ts";
export type { OptimizerState } from "../core/math/optimize.ts";
export type { Layer, Network } from "../core/math/network.ts";
export type { Backend, GemmDims } from "../core/math/backend.ts";
export type { AdamConstants } from "../core/math/adam_rule.ts";
export type {
  ActivationGrad,
  ActivationPlugin,
  Batch,
  Floats,
  FusedLoss,
  InitName,
  LayerSpec,
  LossArgs,
  LossInput,
  LossPlugin,
  Mat,
  NetworkSpec,
  OptimizerPlugin,
  PluginBase,
  PluginParams,
  PluginRef,
  UpdateContext,
} from "../core/math/types.ts";
export {
  type StartedWorker,
  startWorkers,
  type WarmUp,
  type WorkerPool,
  type WorkerPoolOptions,
} from "./worker_pool.ts";
