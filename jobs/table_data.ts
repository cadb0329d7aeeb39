/**
 * A CSV file with named columns as a training job uses it: one pass learns
 * the table (column types, scaling, categories, class names), then the
 * training and validation rows stream from the file every epoch. When the
 * run config leaves the model out, it is chosen from the target.
 *
 * @module
 */
import { csvTableSource, fitCsvTable, type RowSplit } from "../core/data/csv_table.ts";
import type { DataSource } from "../core/data/data_source.ts";
import { type Table, tableInputs, targetWidth } from "../core/data/table.ts";
import type { ColumnChoice, TableReport } from "../core/data/table_fit.ts";
import type { LayerSpec } from "../core/math/types.ts";
import type { OpenFile } from "./file_data.ts";

/** How a run config asks for a table to be read. */
export interface TableSettings {
  /** Declared column types (`columns` in the run config, `--categorical`, `--ignore`). */
  readonly columns?: Readonly<Record<string, ColumnChoice>>;
  /** "impute" (default) or "error". */
  readonly missing?: "impute" | "error";
  /** Standardize numbers and scale a number target (default true). */
  readonly standardize?: boolean;
}

/** A CSV data set ready to train on. */
export interface TableData {
  readonly table: Table;
  readonly report: TableReport;
  readonly source: DataSource;
  readonly validation?: DataSource;
  readonly inputs: number;
  readonly outputs: number;
  readonly rows: { readonly train: number; readonly validation: number };
}

/**
 * Reads a CSV file's table and builds its sources. `outputs` is the last
 * layer's width when the config gives layers (a numeric target with several
 * outputs is read as class labels), else undefined.
 *
 * @example
 * ```ts ignore
 * const data = await loadTableData({ csv: "iris.csv", target: "species" }, {
 *   open: (p) => fileStream(Deno.openSync(p)), split: { fraction: 0.2, seed: 42 },
 * });
 * data.table.target; // { type: "classes", classes: ["setosa", "versicolor", "virginica"], ... }
 * ```
 */
export async function loadTableData(
  dataset: { readonly csv: string; readonly target: string; readonly delimiter?: string },
  options: TableSettings & {
    open: OpenFile;
    split: RowSplit;
    outputs?: number;
    /** The output layer gives class probabilities (softmax, sigmoid): a numeric target holds class labels. */
    classifier?: boolean;
    /** Most bytes of rows kept in memory (default 64 MiB); 0 streams the file every epoch. */
    cacheBytes?: number;
    /** The file's size, when known (the rows' cache is then sized before it is built). */
    fileBytes?: number;
  },
): Promise<TableData> {
  const open = () => options.open(dataset.csv);
  const { table, report, rows, memory } = await fitCsvTable(open, {
    target: dataset.target,
    ...(options.columns ? { columns: options.columns } : {}),
    ...(options.missing ? { missing: options.missing } : {}),
    ...(options.standardize === undefined ? {} : { standardize: options.standardize }),
    // Numbers read as class labels when the output layer is a classifier's.
    ...(options.classifier ? { numericTarget: "classes" } : {}),
    ...(dataset.delimiter === undefined ? {} : { delimiter: dataset.delimiter }),
    split: options.split,
    cacheBytes: options.cacheBytes ?? TABLE_CACHE_BYTES,
    ...(options.fileBytes ? { fileBytes: options.fileBytes } : {}),
  });
  if (tableInputs(table) === 0) {
    throw new TypeError(
      `Invalid columns: no input columns left in ${dataset.csv}: every column is the target or ignored; keep at least one`,
    );
  }
  const outputs = targetWidth(table, options.outputs);
  if (options.outputs !== undefined && options.outputs !== outputs) {
    const want = table.target.type === "classes"
      ? `${table.target.classes.length} classes (${table.target.classes.slice(0, 5).join(", ")}${
        table.target.classes.length > 5 ? ", ..." : ""
      })`
      : "a number (regression)";
    throw new TypeError(
      `Invalid layers: the last layer has ${
        units(options.outputs)
      } but the target "${table.target.name}" is ${want}; end the layers with ${units(outputs)}`,
    );
  }
  // In memory when the rows fitted the cache; else every epoch streams the file again.
  const kept = memory?.(outputs);
  const part = (name: "train" | "validation") =>
    csvTableSource(open, table, {
      part: name,
      split: options.split,
      outputs,
      rows: rows[name],
      ...(dataset.delimiter === undefined ? {} : { delimiter: dataset.delimiter }),
    });
  return {
    table,
    report,
    source: kept?.train ?? part("train"),
    ...(rows.validation > 0 ? { validation: kept?.validation ?? part("validation") } : {}),
    inputs: tableInputs(table),
    outputs,
    rows,
  };
}

/**
 * Rows kept in memory by default: 64 MiB of compact columns (60,000
 * Fashion-MNIST images take 47 MB); a larger file streams every epoch.
 *
 * @example
 * ```ts
 * import { TABLE_CACHE_BYTES } from "./table_data.ts";
 * TABLE_CACHE_BYTES / 2 ** 20; // 64
 * ```
 */
export const TABLE_CACHE_BYTES = 64 << 20;

const units = (n: number) => `${n} unit${n === 1 ? "" : "s"}`;

/** The model chosen for a table when the config names none. */
export interface ChosenModel {
  readonly layers: LayerSpec[];
  readonly loss: string;
  /** One line for people: what was chosen and why. */
  readonly summary: string;
}

/**
 * A model that learns a table from only `--data` and `--target`: one ReLU
 * hidden layer (twice the inputs, 16 to 64 units), then softmax +
 * cross-entropy for classes or identity + mean squared error for a number.
 *
 * @example
 * ```ts ignore
 * chooseModel(table).summary; // "4 inputs -> 16 relu -> 3 softmax (classes setosa, ...), crossEntropy"
 * ```
 */
export function chooseModel(table: Table): ChosenModel {
  const inputs = tableInputs(table);
  const hidden = Math.min(64, Math.max(16, 2 * inputs));
  const target = table.target;
  const classes = target.type === "classes";
  const width = classes ? target.classes.length : 1;
  const output = classes ? "softmax" : "identity", loss = classes ? "crossEntropy" : "mse";
  const what = classes
    ? `${width} classes: ${target.classes.slice(0, 5).join(", ")}${width > 5 ? ", ..." : ""}`
    : `a number: regression, outputs in ${target.name}'s units`;
  return {
    layers: [{ units: hidden, activation: "relu" }, { units: width, activation: output }],
    loss,
    summary: `${inputs} input${
      inputs === 1 ? "" : "s"
    } -> ${hidden} relu -> ${width} ${output} (${what}), ${loss}`,
  };
}
