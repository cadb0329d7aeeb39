/**
 * What can be known about a run before its data is loaded: a csv file's
 * header (the target and declared columns are in it), an ndjson file's first
 * sample (its widths fit the last layer), and the run's memory within a
 * limit. The server answers these at `POST /api/runs`; the CLI exits 2 with
 * them before it loads the data.
 *
 * @module
 */
import { readCsvHeader, tableHeaderProblem } from "../core/data/csv_header.ts";
import type { Registry } from "../core/checks/registry.ts";
import type { LayerSpec } from "../core/math/types.ts";
import { pickWorkers } from "./_backend.ts";
import { BUILTIN_INPUTS } from "./datasets/mod.ts";
import { loadFileData, type OpenFile } from "./file_data.ts";
import {
  dataBytes,
  estimateRunMemory,
  formatMemory,
  type MemoryEstimate,
  parameterCount,
} from "./memory_estimate.ts";
import type { ConfigIssue, RunConfig } from "./run_config.ts";

/** Options of {@linkcode preflightRun}. */
export interface PreflightOptions {
  /** Plugins the run may name: the optimizer's `slots` size its state. */
  readonly registry: Pick<Registry, "get">;
  /** Opens csv and ndjson files (only their first bytes are read). */
  readonly open?: OpenFile;
  /** A file's size in bytes, when it can be known (bounds a csv table's cache). */
  readonly fileSize?: (path: string) => number | undefined;
  /**
   * The most MiB a run may need, and who sets it: `"server"` (this server's
   * `--max-run-mib`) or `"cli"` (the command's own flag). None: no limit.
   */
  readonly limit?: { readonly mib: number; readonly by: "server" | "cli" };
}

/** The widths a run's data gives its network, read before the data is loaded. */
interface DataShape {
  readonly inputs: number;
  readonly issues: ConfigIssue[];
}

/** A csv/ndjson error while reading the first bytes, as an issue; others are rethrown. */
function readIssue(error: unknown, path: string): ConfigIssue[] {
  if (!(error instanceof TypeError || error instanceof RangeError)) throw error;
  return [{ path, message: error.message }];
}

async function csvShape(
  config: RunConfig & { dataset: { csv: string; target: string; delimiter?: string } },
  open: OpenFile,
): Promise<DataShape> {
  const { csv, target, delimiter } = config.dataset;
  let header: string[];
  try {
    header = await readCsvHeader(open(csv), delimiter === undefined ? {} : { delimiter });
  } catch (error) {
    return { inputs: 0, issues: readIssue(error, "dataset.csv") };
  }
  const columns = config.columns ?? {};
  const problem = tableHeaderProblem(header, { target, columns });
  if (problem) {
    const path = problem.on === "header"
      ? "dataset.csv"
      : problem.on === "target"
      ? "dataset.target"
      : "columns";
    return { inputs: 0, issues: [{ path, message: problem.message }] };
  }
  // At least these: a category column widens to one input per value once the data is read.
  const inputs =
    header.filter((name) => name.trim() !== target && columns[name.trim()] !== "ignore").length;
  return { inputs, issues: [] };
}

/**
 * The inputs a csv run's header shows (a category column counts once, before
 * its values widen it), or undefined for other data sets and a header that
 * cannot be read (loading the data reports why).
 *
 * @example
 * ```ts ignore
 * await headerInputs(config, open); // 784 for Fashion-MNIST as CSV with its label column
 * ```
 */
export async function headerInputs(
  config: RunConfig,
  open: OpenFile,
): Promise<number | undefined> {
  const dataset = config.dataset;
  if (typeof dataset !== "object" || !("csv" in dataset)) return undefined;
  try {
    const shape = await csvShape({ ...config, dataset }, open);
    return shape.issues.length === 0 ? shape.inputs : undefined;
  } catch {
    return undefined;
  }
}

async function ndjsonShape(
  config: RunConfig & { dataset: { ndjson: string; target?: string } },
  open: OpenFile,
): Promise<DataShape> {
  let widths: { inputs: number; outputs: number };
  try {
    widths = await loadFileData(config.dataset, { open, split: { fraction: 0, seed: 0 } });
  } catch (error) {
    return { inputs: 0, issues: readIssue(error, "dataset.ndjson") };
  }
  const layers = config.layers ?? [];
  const last = layers.length - 1, units = layers[last]?.units;
  // One target with several outputs is a class label, one-hot encoded; else the widths must match.
  if (units !== undefined && !(widths.outputs === 1 || widths.outputs === units)) {
    const message =
      `must be ${widths.outputs}: the first sample of ${config.dataset.ndjson} has ${widths.outputs} targets`;
    return { inputs: widths.inputs, issues: [{ path: `layers.${last}.units`, message }] };
  }
  return { inputs: widths.inputs, issues: [] };
}

/** The model a csv run gets when its config names none: at most 64 hidden units, and the classes unknown. */
const CHOSEN_AT_MOST: readonly LayerSpec[] = [{ units: 64 }, { units: 1 }];

/**
 * Checks what can be checked of a run before its data is loaded, reading
 * only a file's first record: a csv header against the target and declared
 * columns, an ndjson file's first sample against the last layer, and the
 * run's memory (see `estimateRunMemory`) against `limit`. Returns every
 * issue, each with the dotted path of its field; the memory is checked only
 * once the data's issues are none.
 *
 * @example
 * ```ts ignore
 * const issues = await preflightRun(config, { registry, open, limit: { mib: 2048, by: "server" } });
 * // [{ path: "layers", message: "needs about 8,912 MiB (...) but this server allows 2,048 MiB per run ..." }]
 * ```
 */
export async function preflightRun(
  config: RunConfig,
  options: PreflightOptions,
): Promise<ConfigIssue[]> {
  const dataset = config.dataset;
  let shape: DataShape = { inputs: 0, issues: [] };
  let fileBytes: number | undefined;
  if (typeof dataset === "string") shape = { inputs: BUILTIN_INPUTS[dataset], issues: [] };
  else {
    if (!options.open) throw new TypeError("Invalid options: a file data set needs options.open");
    const file = "csv" in dataset ? dataset.csv : dataset.ndjson;
    fileBytes = options.fileSize?.(file);
    shape = "csv" in dataset
      ? await csvShape({ ...config, dataset }, options.open)
      : await ndjsonShape({ ...config, dataset }, options.open);
  }
  if (shape.issues.length > 0 || !options.limit) return shape.issues;
  const estimate = runMemory(config, shape.inputs, options.registry, fileBytes);
  const issue = memoryIssue(estimate, options.limit, { hasLayers: config.layers !== undefined });
  return issue ? [issue] : [];
}

/** {@linkcode estimateRunMemory} for a resolved config whose inputs are known. */
function runMemory(
  config: RunConfig,
  inputs: number,
  registry: Pick<Registry, "get">,
  fileBytes: number | undefined,
): MemoryEstimate {
  const layers = config.layers ?? CHOSEN_AT_MOST;
  const { slots } = registry.get("optimizer", config.optimizer);
  const builtin = typeof config.dataset === "string";
  const threads = pickWorkers({
    ...(config.workers === undefined ? {} : { asked: config.workers }),
    cores: navigator.hardwareConcurrency ?? 1,
    batchSize: config.batchSize,
    params: parameterCount(inputs, layers),
    portable: true,
  });
  return estimateRunMemory({ layers, batchSize: config.batchSize }, {
    inputs,
    slots,
    dataBytes: dataBytes(config.dataset, fileBytes),
    threads,
    validation: config.validationSplit > 0,
    test: builtin,
  });
}

/**
 * The issue of a run over the limit: on `batchSize` when the batch buffers
 * are most of it (or the run names no layers), on `maxQueue` when a live
 * run's queue (its `data`) is, else on `layers`; the message names the
 * estimate, the limit and the fix.
 *
 * @example
 * ```ts
 * import { estimateRunMemory } from "./memory_estimate.ts";
 * import { memoryIssue } from "./run_preflight.ts";
 * const estimate = estimateRunMemory({ layers: [{ units: 4096 }, { units: 2 }], batchSize: 32 }, {
 *   inputs: 100_000,
 *   slots: 2,
 * });
 * memoryIssue(estimate, { mib: 64, by: "server" }, { hasLayers: true })?.path; // "layers"
 * ```
 */
export function memoryIssue(
  estimate: MemoryEstimate,
  limit: { readonly mib: number; readonly by: "server" | "cli" },
  options: { readonly hasLayers: boolean; readonly live?: boolean },
): ConfigIssue | undefined {
  if (estimate.total <= limit.mib * 2 ** 20) return undefined;
  const { hasLayers, live = false } = options;
  const max = limit.mib.toLocaleString("en-US");
  const allows = limit.by === "server"
    ? `this server allows ${max} MiB per run (--max-run-mib)`
    : `--max-run-mib allows ${max} MiB`;
  const fix = limit.by === "server"
    ? "use fewer or smaller layers or a smaller batch"
    : "use fewer or smaller layers or a smaller batch, or raise --max-run-mib";
  const path = live && estimate.data * 2 > estimate.total
    ? "maxQueue"
    : estimate.batch * 2 > estimate.total || !hasLayers
    ? "batchSize"
    : "layers";
  const queue = live ? ", or a smaller maxQueue" : "";
  return { path, message: `needs ${formatMemory(estimate)} but ${allows}: ${fix}${queue}` };
}
