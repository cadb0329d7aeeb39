/**
 * How much memory a run needs, from its config alone (nothing allocated):
 * the arrays a training step keeps, the batch buffers, the data held in
 * memory and the copies parallel workers make. The server and the CLI refuse
 * a run whose estimate passes `--max-run-mib` before it loads any data.
 *
 * @module
 */
import { BUILTIN_INPUTS, BUILTIN_ROWS, type BuiltinDataset } from "./datasets/mod.ts";
import { PRESETS } from "./presets.ts";
import { TABLE_CACHE_BYTES } from "./table_data.ts";

/**
 * The default most MiB one run may need (`--max-run-mib`): two runs at the
 * server's default `--max-runs 2` stay within 4 GiB, and every built-in
 * preset needs under 64 MiB (the default MNIST job about 40).
 *
 * @example
 * ```ts
 * import { DEFAULT_MAX_RUN_MIB } from "./memory_estimate.ts";
 * DEFAULT_MAX_RUN_MIB; // 2048
 * ```
 */
export const DEFAULT_MAX_RUN_MIB = 2048;

/** Rows a test-set evaluation runs at once (see `evaluate`). */
const EVALUATION_ROWS = 500;

/** A run's memory in bytes, by what holds it; `total` is their sum. */
export interface MemoryEstimate {
  /** The network's weights and biases, and the copy per-epoch layer statistics compare updates with. */
  readonly weights: number;
  /** One gradient per parameter (two with a test set: its evaluation builds a step of its own). */
  readonly gradients: number;
  /** The optimizer's slots: its `slots` arrays per parameter (adam 2, momentum 1, sgd 0). */
  readonly optimizer: number;
  /** Per layer four batch-sized buffers (forward and backward), the batches read, the test evaluation's. */
  readonly batch: number;
  /** The data kept in memory: a built-in data set, or a CSV table's cached rows. */
  readonly data: number;
  /** With several threads: each one's weights, gradient and its step's own gradient buffers. */
  readonly workers: number;
  /** The model file made at the end: base64 text of the weights, its JSON and the bytes written. */
  readonly model: number;
  readonly total: number;
}

/** What the estimate needs to know beside the layers and the batch size. */
export interface MemoryShape {
  /** Features per sample (the network's inputs). */
  readonly inputs: number;
  /** The optimizer plugin's `slots`: arrays it keeps per parameter. */
  readonly slots: number;
  /** Bytes of data held in memory (see {@linkcode dataBytes}); default 0. */
  readonly dataBytes?: number;
  /** Threads per step (default 1). */
  readonly threads?: number;
  /** Samples are held out for validation: a second batch buffer is read (default false). */
  readonly validation?: boolean;
  /** A test set is evaluated at the end (the built-in data sets have one; default false). */
  readonly test?: boolean;
}

/**
 * Parameters (weights and biases) of dense layers on `inputs` features.
 *
 * @example
 * ```ts
 * import { parameterCount } from "./memory_estimate.ts";
 * parameterCount(2, [{ units: 3 }, { units: 1 }]); // 2*3 + 3 + 3*1 + 1 = 13
 * ```
 */
export function parameterCount(inputs: number, layers: readonly { units: number }[]): number {
  let params = 0, width = inputs;
  for (const layer of layers) params += (width + 1) * layer.units, width = layer.units;
  return params;
}

/**
 * Estimates a run's memory in bytes, float32 throughout. With P parameters,
 * U units over all layers, I inputs, O outputs, B the batch size, S slots
 * and T threads: weights 2P, gradients P (2P with a test set), optimizer SP,
 * batch B(4U + I + O) (one more B(I + O) with validation, and 500·4U for a
 * test set), and with T > 1 threads 3PT for the workers, times 4 bytes; the
 * data as given; and the model file, 16 bytes per parameter (three texts of
 * 16/3: the base64 weights, the file's JSON and the bytes written). The
 * JavaScript runtime itself (about 80 MiB per process) and garbage not yet
 * collected are not counted.
 *
 * @example
 * ```ts
 * import { estimateRunMemory } from "./memory_estimate.ts";
 * const m = estimateRunMemory({ layers: [{ units: 3 }, { units: 1 }], batchSize: 4 }, {
 *   inputs: 2,
 *   slots: 2,
 * });
 * // P = 13, U = 4: weights 104, gradients 52, optimizer 104, batch 4*4*(16+3) = 304, model 208
 * m.total; // 772
 * ```
 */
export function estimateRunMemory(
  run: { readonly layers: readonly { units: number }[]; readonly batchSize: number },
  shape: MemoryShape,
): MemoryEstimate {
  const params = parameterCount(shape.inputs, run.layers);
  const units = run.layers.reduce((sum, layer) => sum + layer.units, 0);
  const outputs = run.layers[run.layers.length - 1].units;
  const threads = shape.threads ?? 1;
  const read = (shape.inputs + outputs) * (shape.validation ? 2 : 1);
  const floats = {
    weights: 2 * params,
    gradients: params * (shape.test ? 2 : 1),
    optimizer: shape.slots * params,
    batch: run.batchSize * (4 * units + read) + (shape.test ? EVALUATION_ROWS * 4 * units : 0),
    workers: threads > 1 ? 3 * params * threads : 0,
  };
  const bytes = {
    weights: 4 * floats.weights,
    gradients: 4 * floats.gradients,
    optimizer: 4 * floats.optimizer,
    batch: 4 * floats.batch,
    data: shape.dataBytes ?? 0,
    workers: 4 * floats.workers,
    model: 16 * params,
  };
  const total = Object.values(bytes).reduce((a, b) => a + b, 0);
  return { ...bytes, total };
}

/**
 * Bytes of data a run holds in memory: a built-in data set's rows of
 * float32 inputs and outputs (training and test); a CSV file's rows cached
 * in compact columns, at most 4 bytes per byte of the file (a one-digit
 * number takes 2 bytes of text and at most 8 cached) and at most the cache's
 * 64 MiB; an NDJSON file 0 (streamed every epoch).
 *
 * @example
 * ```ts
 * import { dataBytes } from "./memory_estimate.ts";
 * dataBytes("iris"); // 150 rows x (4 + 3) x 4 = 4200
 * dataBytes({ csv: "points.csv" }, 1000); // 4000
 * ```
 */
export function dataBytes(
  dataset: BuiltinDataset | { readonly csv: string } | { readonly ndjson: string },
  fileBytes?: number,
): number {
  if (typeof dataset === "string") {
    const outputs = PRESETS[dataset].layers.at(-1)!.units;
    return BUILTIN_ROWS[dataset] * (BUILTIN_INPUTS[dataset] + outputs) * 4;
  }
  if ("ndjson" in dataset) return 0;
  return Math.min(TABLE_CACHE_BYTES, 4 * (fileBytes ?? TABLE_CACHE_BYTES));
}

const mib = (bytes: number) => Math.ceil(bytes / 2 ** 20).toLocaleString("en-US");

/**
 * The estimate in MiB for people: `about 8,912 MiB (weights 2,046, ...)`,
 * each part rounded up, parts of 0 bytes left out.
 *
 * @example
 * ```ts
 * import { formatMemory } from "./memory_estimate.ts";
 * const MiB = 2 ** 20;
 * formatMemory({
 *   ...{ weights: 2 * MiB, gradients: MiB, optimizer: 0, batch: 1, data: 0, workers: 0, model: 0 },
 *   total: 3 * MiB + 1,
 * });
 * // "about 4 MiB (weights 2, gradients 1, batch 1)"
 * ```
 */
export function formatMemory(estimate: MemoryEstimate): string {
  const parts = (
    ["weights", "gradients", "optimizer", "batch", "data", "workers", "model"] as const
  )
    .filter((k) => estimate[k] > 0)
    .map((k) => `${k} ${mib(estimate[k])}`);
  return `about ${mib(estimate.total)} MiB (${parts.join(", ")})`;
}
