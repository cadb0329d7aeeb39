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
export {
  type StartedWorker,
  startWorkers,
  type WorkerPool,
  type WorkerPoolOptions,
} from "./worker_pool.ts";
