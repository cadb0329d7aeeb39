/**
 * From a run config to a training run: registry, network, plugins, data, and
 * the trainer's Observable; then the test-set evaluation and the metadata to
 * store with the model. Shared by the CLI and the server.
 *
 * @module
 */
import type { LayerSpec } from "../core/math/types.ts";
import { modelFingerprintHooks } from "../core/checks/fingerprint.ts";
import {
  foldStandardize,
  type Standardization,
  standardizeState,
} from "../core/data/fold_standardize.ts";
import { finalize, type Observable, tap } from "rxjs";
import type { DataSource } from "../core/data/data_source.ts";
import { inMemory } from "../core/data/in_memory.ts";
import { oneHot } from "../core/data/one_hot.ts";
import type { PrepareStep } from "../core/data/prepare_step.ts";
import { standardize } from "../core/data/standardize.ts";
import { type ModelMeta, pluginEntry } from "../core/model/model_file.ts";
import { createNetwork, type Network } from "../core/math/network.ts";
import { createRegistry, type Registry } from "../core/checks/registry.ts";
import { train } from "../core/train/train.ts";
import type { EpochEvent, TrainEvent } from "../core/train/train_events.ts";
import type { LossPlugin, OptimizerPlugin, Plugin } from "../core/math/types.ts";
import { builtinPlugins } from "../plugins/mod.ts";
import { type Arrays, type Dataset, loadBuiltin } from "./datasets/mod.ts";
import { evaluate, type Evaluation } from "./evaluate.ts";
import { loadFileData, type OpenFile } from "./file_data.ts";
import { parallel } from "../parallel/parallel_step.ts";
import { startWorkers, type WorkerPool } from "../parallel/worker_pool.ts";
import {
  type BackendChoice,
  jobWorkers,
  pickBackend,
  stepFloats,
  warmUpFor,
  workersAhead,
} from "./_backend.ts";
import { scheduleOf } from "./_schedule.ts";
import { headerInputs } from "./run_preflight.ts";
import { lossFitIssue, type ResolvedRunConfig, type RunConfig } from "./run_config.ts";
import { chooseModel, loadTableData, type TableData } from "./table_data.ts";
import type { Table } from "../core/data/table.ts";
import type { Checkpoint } from "../core/model/checkpoint.ts";
import type { CheckpointOptions } from "../core/train/train_options.ts";

/** Options of {@linkcode runJob}. */
export interface JobOptions {
  /** Plugins to register beside the built-ins (e.g. from `--plugin`). */
  plugins?: readonly Plugin[];
  /** Opens csv and ndjson files; needed only for file data sets. */
  open?: OpenFile;
  /** A file's size in bytes, when it can be known (sizes the CSV rows' cache up front). */
  fileSize?: (path: string) => number | undefined;
  /**
   * Matrix kernels: `"auto"` (WebAssembly SIMD where it runs), `"ts"`,
   * `"wasm"`, or a backend; overrides the config's `backend` (default "auto").
   */
  backend?: BackendChoice;
  /** Threads per step; overrides the config's `workers` (default: chosen, see `pickWorkers`). */
  workers?: number;
  /**
   * Module URLs (`file:///...`) or absolute paths holding the `plugins`, so
   * that Workers can rebuild them. Without them a run using a custom plugin
   * trains on one thread (or fails, when `workers` above 1 is asked for).
   */
  pluginModules?: readonly string[];
  /** Emit a `batch` event per step (default true). */
  batchEvents?: boolean;
  /** Give the event loop a turn after this much work (train()'s `yieldEveryMs`, default 100 ms). */
  yieldEveryMs?: number;
  /** Saves a checkpoint every `every` epochs (the trainer's `checkpoint` option). */
  checkpoint?: CheckpointOptions;
  /** Continues from this checkpoint: the same weights as a run never interrupted. */
  resume?: Checkpoint;
}

/** A prepared run: everything built, nothing trained until `events$` is subscribed. */
export interface Job {
  /** The config with its model known: for a csv data set, layers and loss may be chosen from the target. */
  readonly config: ResolvedRunConfig;
  /** A csv data set's table (how columns become inputs), what was chosen for each column and why. */
  readonly table?: Pick<TableData, "table" | "report" | "rows">;
  /** The model chosen from a csv data set's target when the config named none, for people. */
  readonly chosen?: string;
  readonly registry: Registry;
  /** The network; training updates its weights in place. */
  readonly network: Network;
  readonly loss: LossPlugin;
  readonly optimizer: OptimizerPlugin;
  /** Name of the matrix kernels in use, e.g. `"wasm-simd"` or `"ts"`. */
  readonly backend: string;
  /** Threads computing each step: this one and `workers - 1` Workers. */
  readonly workers: number;
  /** Sample counts: trained on, held out for validation, and tested at the end. */
  readonly samples: { train?: number; validation?: number; test?: number };
  /** Cold: each subscription starts a run from the network's current weights. */
  readonly events$: Observable<TrainEvent>;
  /**
   * The network to save: the trained one, with a fitted `standardize()` step
   * folded into its first layer so the saved model takes raw inputs.
   */
  modelNetwork(): Network;
  /** The data set's test samples (standardized as the network sees them), when it has them. */
  readonly testData?: Arrays;
  /** A csv or ndjson file's validation rows (as the trainer reads them, before its prepare steps). */
  readonly validationData?: DataSource;
  /** Evaluates the data set's test samples; undefined when it has none. */
  evaluateTest(): Evaluation | undefined;
  /** What to store with the model: seed, config, final metrics, prepare state. */
  modelMeta(test?: Evaluation): ModelMeta;
}

/** The name a model file stores for the data set. */
function dataName(config: RunConfig): string {
  const d = config.dataset;
  if (typeof d === "string") return d;
  // The file's name without folder or extension: the model file names no server path.
  const path = "csv" in d ? d.csv : d.ndjson;
  return path.slice(path.lastIndexOf("/") + 1).replace(/\.[^.]*$/, "") || path;
}

/**
 * Builds a run from a resolved config: a registry of the built-in and given
 * plugins, the network (seeded), loss and optimizer (the run's rate is `config.lr`), the data
 * (built-in arrays, or a csv/ndjson file standardized and one-hot encoded for
 * several outputs), and the trainer's Observable. Errors are TypeErrors or
 * RangeErrors naming the config field and the fix; a loss that does not fit
 * the output layer (see `lossFitIssue`) is refused before any Worker starts or
 * data is read.
 *
 * @example
 * ```ts ignore
 * const job = await runJob(parseRunConfig({ dataset: "xor" }));
 * job.events$.subscribe({ complete: () => console.log(job.evaluateTest()) });
 * ```
 */
export async function runJob(config: RunConfig, options: JobOptions = {}): Promise<Job> {
  // A config that cannot train (an unknown plugin, a loss that does not fit the output layer)
  // is refused before a Worker starts or a byte of data is read.
  const registry = createRegistry([...builtinPlugins(), ...(options.plugins ?? [])]);
  const optimizer = registry.get("optimizer", config.optimizer);
  const given = config.layers && config.loss ? config as ResolvedRunConfig : undefined;
  if (given) checkFit(given, registry);
  // Workers load their modules, then warm up, while the data loads; the first run takes them.
  // A csv header's width tells a network one thread serves: no workers for it.
  const fileInputs = given && options.open ? await headerInputs(given, options.open) : undefined;
  const ahead = given ? workersAhead(given, options, fileInputs) : 0;
  const pool = ahead > 0 ? startWorkers(ahead) : undefined;
  try {
    if (given) {
      pool?.warmUp(
        warmUpFor(given, options, { loss: registry.get("loss", given.loss), optimizer }),
      );
    }
    const dataset = config.dataset;
    let table: TableData | undefined, resolved = given, chosen: string | undefined;
    if (typeof dataset === "object" && "csv" in dataset) {
      if (!options.open) throw new TypeError("Invalid options: a file data set needs options.open");
      table = await loadTableData(dataset, {
        open: options.open,
        split: { fraction: config.validationSplit, seed: config.seed },
        ...(options.fileSize?.(dataset.csv) ? { fileBytes: options.fileSize(dataset.csv) } : {}),
        ...(config.layers ? outputOf(config.layers, registry) : {}),
        ...(config.columns ? { columns: config.columns } : {}),
        ...(config.missing ? { missing: config.missing } : {}),
        ...(config.standardize === undefined ? {} : { standardize: config.standardize }),
      });
      if (!resolved) {
        const model = chooseModel(table.table);
        resolved = { ...config, layers: model.layers, loss: model.loss };
        chosen = model.summary;
        checkFit(resolved, registry);
      }
    }
    const loss = registry.get("loss", resolved!.loss);
    return await buildJob(resolved!, options, { registry, loss, optimizer }, pool, {
      ...(table ? { table } : {}),
      ...(chosen ? { chosen } : {}),
    });
  } catch (error) {
    pool?.close();
    throw error;
  }
}

/**
 * A built-in data set with named columns and classes as a table: the saved
 * model already takes raw values (the loader's scaling is folded into its
 * weights), so numbers pass through; missing ones take the training mean.
 */
function namedTable(set: Dataset): Table | undefined {
  const { columns, labels, standardization } = set;
  if (!columns || !labels) return undefined;
  return {
    version: 1,
    columns: columns.map((name, j) => ({
      name,
      type: "number",
      center: 0,
      scale: 1,
      fill: standardization?.mean[j] ?? 0,
    })),
    target: { name: "class", type: "classes", classes: [...labels] },
    ignored: [],
    missing: "impute",
  };
}

/** The output layer's width, and whether it gives class probabilities (softmax, sigmoid). */
function outputOf(layers: readonly LayerSpec[], registry: Registry) {
  const last = layers[layers.length - 1];
  const activation = registry.get("activation", last.activation ?? "identity");
  return { outputs: last.units, classifier: activation.probabilities === true || last.units > 1 };
}

function checkFit(config: ResolvedRunConfig, registry: Registry): void {
  const misfit = lossFitIssue(config, registry);
  if (misfit) throw new TypeError(`Invalid run config: ${misfit.path}: ${misfit.message}`);
}

async function buildJob(
  config: ResolvedRunConfig,
  options: JobOptions,
  { registry, loss, optimizer }: {
    registry: Registry;
    loss: LossPlugin;
    optimizer: OptimizerPlugin;
  },
  pool: WorkerPool | undefined,
  from: { table?: TableData; chosen?: string },
): Promise<Job> {
  const last = config.layers[config.layers.length - 1].units;
  let data: DataSource, test: Arrays | undefined, inputs: number;
  let validationData: DataSource | undefined, builtinTable: Table | undefined;
  const table = from.table;
  const prepare: PrepareStep[] = [];
  let loaderScaling: Standardization | undefined;
  if (typeof config.dataset === "string") {
    const set = await loadBuiltin(config.dataset, config.seed);
    if (set.train.outputs !== last) {
      throw new TypeError(
        `Invalid layers: the last layer has ${last} units but ${set.name} has ${set.train.outputs} outputs; end the layers with ${set.train.outputs} units`,
      );
    }
    data = inMemory(set.train), test = set.test, inputs = set.train.inputs;
    loaderScaling = set.standardization;
    builtinTable = namedTable(set);
  } else if (table) {
    // The table standardizes, imputes and encodes: no prepare steps, nothing to fold.
    data = table.source, inputs = table.inputs;
    if (table.validation) validationData = table.validation;
  } else {
    if (!options.open) throw new TypeError("Invalid options: a file data set needs options.open");
    const file = await loadFileData(config.dataset as { ndjson: string; target?: string }, {
      open: options.open,
      split: { fraction: config.validationSplit, seed: config.seed },
    });
    data = file.source, inputs = file.inputs;
    if (file.validation) validationData = file.validation;
    prepare.push(standardize());
    if (file.outputs === 1 && last > 1) prepare.push(oneHot(last));
    else if (file.outputs !== last) {
      throw new TypeError(
        `Invalid layers: the last layer has ${last} units but the data has ${file.outputs} targets; end the layers with ${file.outputs} units`,
      );
    }
  }
  const network = createNetwork({ inputs, layers: config.layers }, { registry, seed: config.seed });
  const total = data.kind === "memory" ? data.size : undefined;
  // Held-out counts are known in memory and for a csv table; an ndjson split streams uncounted.
  const validation = table
    ? table.rows.validation
    : total !== undefined
    ? Math.round(total * config.validationSplit)
    : validationData
    ? undefined
    : 0;
  let lastEpoch: EpochEvent | undefined, prepared: unknown;
  const backend = pickBackend(options.backend ?? config.backend ?? "auto", {
    floats: stepFloats(network, { batchSize: config.batchSize, slots: optimizer.slots }),
  });
  const workers = jobWorkers(config, options, network, [loss, optimizer]);
  if (workers === 1) pool?.close();
  const events$ = train({
    network,
    loss,
    optimizer,
    data,
    ...(validationData
      ? { validation: validationData }
      : config.validationSplit > 0 && typeof config.dataset === "string"
      ? { validationSplit: config.validationSplit }
      : {}),
    epochs: config.epochs,
    batchSize: config.batchSize,
    lr: config.lr,
    seed: config.seed,
    ...(config.l2 > 0 ? { l2: config.l2 } : {}),
    ...(prepare.length ? { prepare } : {}),
    ...(config.schedule ? { schedule: scheduleOf(config.schedule) } : {}),
    ...(config.warmupSteps ? { warmupSteps: config.warmupSteps } : {}),
    ...(config.earlyStopping ? { earlyStopping: config.earlyStopping } : {}),
    backend,
    ...(workers > 1
      ? { createStep: parallel({ workers, plugins: options.pluginModules, pool }) }
      : {}),
    batchEvents: options.batchEvents ?? true,
    ...(options.yieldEveryMs === undefined ? {} : { yieldEveryMs: options.yieldEveryMs }),
    ...(options.checkpoint ? { checkpoint: options.checkpoint } : {}),
    ...(options.resume ? { resume: options.resume } : {}),
  }).pipe(
    tap((e) => {
      if (e.type === "start") prepared = e.prepared;
      if (e.type === "epoch") lastEpoch = e;
    }),
    finalize(() => pool?.close()), // workers the run did not take
  );
  return {
    config,
    ...(table ? { table: { table: table.table, report: table.report, rows: table.rows } } : {}),
    ...(from.chosen ? { chosen: from.chosen } : {}),
    registry,
    network,
    loss,
    optimizer,
    backend: backend.name,
    workers,
    samples: {
      ...(table
        ? { train: table.rows.train }
        : total === undefined
        ? {}
        : { train: total - (validation ?? 0) }),
      ...(validation === undefined ? {} : { validation }),
      ...(test ? { test: test.rows } : {}),
    },
    events$,
    ...(test ? { testData: test } : {}),
    ...(validationData ? { validationData } : {}),
    evaluateTest: () =>
      test &&
      evaluate(network, test, { loss, accuracy: lastEpoch?.accuracy !== undefined }),
    modelNetwork() {
      // Saved models take raw inputs: a standardize step (the trainer's, or the
      // built-in data set's own) is folded into the first layer.
      const state = standardizeState(prepared) ?? loaderScaling;
      return state ? foldStandardize(network, state) : network;
    },
    modelMeta(testResult) {
      const { type: _t, layers: _l, ...metrics } = lastEpoch ?? { type: "", layers: [] };
      return {
        name: dataName(config),
        training: {
          seed: config.seed,
          config,
          metrics: { ...metrics, ...(testResult ? { test: testResult } : {}) },
          // Already folded into the saved weights: for the record, not to apply again.
          ...(prepared ? { prepared, preparedFolded: true } : {}),
          ...(loaderScaling ? { inputStandardization: { ...loaderScaling, folded: true } } : {}),
        },
        plugins: [pluginEntry(loss), pluginEntry(optimizer)],
        fingerprint: modelFingerprintHooks().fingerprint,
        ...(table ? { table: table.table } : builtinTable ? { table: builtinTable } : {}),
      };
    },
  };
}
