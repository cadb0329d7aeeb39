/**
 * Tables: the preprocessing a model keeps with it, so that a row of named
 * columns (from a CSV file, an NDJSON line or a `/predict` request) becomes
 * the same input floats in the trainer, the server and on the edge. Numbers
 * are standardized, missing cells imputed, categories one-hot encoded (with
 * a slot for values never seen in training), booleans read as 0/1; a class
 * target is one-hot over its sorted class names, a number target is scaled.
 * Plain data and plain functions: no I/O, safe on every edge runtime.
 *
 * @module
 */

/** A numeric feature: `(value - center) / scale`; a missing cell becomes `fill` first. */
export interface NumberColumn {
  /** The column's name in the header (or the key in a JSON row). */
  readonly name: string;
  /** Read as a number. */
  readonly type: "number";
  /** Subtracted (the training mean, or 0 without standardization). */
  readonly center: number;
  /** Divided by (the training standard deviation, or 1 without standardization). */
  readonly scale: number;
  /** What a missing cell counts as: the training mean. */
  readonly fill: number;
}

/** A yes/no feature (true/false, yes/no, any case): 1 or 0, then scaled like a number. */
export interface BooleanColumn {
  /** The column's name in the header (or the key in a JSON row). */
  readonly name: string;
  /** Read as true/false or yes/no. */
  readonly type: "boolean";
  /** Subtracted from the 0/1 value (the share of true, or 0 without standardization). */
  readonly center: number;
  /** Divided by (the 0/1 values' standard deviation, or 1). */
  readonly scale: number;
  /** What a missing cell counts as: the training mean (the share of "true"). */
  readonly fill: number;
}

/**
 * A categorical feature, one-hot: one input per value seen in training
 * (sorted), one for a missing cell when training had missing cells, and a last
 * one for any value training never saw.
 */
export interface CategoryColumn {
  /** The column's name in the header (or the key in a JSON row). */
  readonly name: string;
  /** Read as one of a set of texts. */
  readonly type: "category";
  /** The texts seen in training, sorted: one input each, in this order. */
  readonly values: readonly string[];
  /** True when training had missing cells: they get their own input. */
  readonly missing: boolean;
}

/** One feature column. */
export type FeatureColumn = NumberColumn | BooleanColumn | CategoryColumn;

/** A class target: the output is one-hot over `classes` (or one 0/1 output for two classes). */
export interface ClassTarget {
  /** The target column's name. */
  readonly name: string;
  /** Classification. */
  readonly type: "classes";
  /** Class names, sorted (numerically when every name is a number). */
  readonly classes: readonly string[];
}

/** A number target (regression): trained on `(value - center) / scale`, reported in its own units. */
export interface NumberTarget {
  /** The target column's name. */
  readonly name: string;
  /** Regression. */
  readonly type: "number";
  /** Subtracted before training (the training mean, or 0 without standardization). */
  readonly center: number;
  /** Divided by before training (the standard deviation, or 1). */
  readonly scale: number;
}

/** The preprocessing of a table, as a model file stores it. */
export interface Table {
  /** Version of this format; 1. */
  readonly version: 1;
  /** Feature columns, in input order. */
  readonly columns: readonly FeatureColumn[];
  /** The column the model predicts, and how. */
  readonly target: ClassTarget | NumberTarget;
  /** Columns the file had that the model does not read (rows may still carry them). */
  readonly ignored: readonly string[];
  /** "impute": missing cells take their column's fill; "error": a missing cell is refused. */
  readonly missing: "impute" | "error";
}

/** How encoding reads one row's cells, by feature index (`table.columns[i]`). */
export interface Cells {
  /** True when the cell is missing (absent, empty, NA, null, ...). */
  missing(column: number): boolean;
  /** The cell as a number (NaN when it is not one). */
  number(column: number): number;
  /** The cell as text. */
  text(column: number): string;
  /**
   * For a category column: the value's index in its `values`, or -1 when
   * training never saw it (cells kept as codes answer without text).
   */
  category?(column: number): number;
}

/** A column's type as a user declares it, or "ignore" to leave it out. */
export type ColumnChoice = "number" | "category" | "boolean" | "ignore";

/** What one record of the file offers, by position in the header. */
export interface HeaderCells {
  /** True when the cell is missing (empty, NA, null, ...). */
  missing(field: number): boolean;
  /** The cell as a strict number, NaN when it is not one. */
  number(field: number): number;
  /** The cell's text. */
  text(field: number): string;
  /** `number` of each of `fields` into `out`, in one call, where the reader offers it. */
  numbers?(fields: Int32Array, out: Float64Array): void;
  /**
   * Every cell's number by header position, when every cell is a plain whole
   * number (none missing, each text the number as `String` writes it); else undefined.
   */
  values?(): Float64Array | undefined;
}

/** What the fit saw and chose, for people: printed by the CLI. */
export interface TableReport {
  /** Training rows read. */
  readonly rows: number;
  /** Each column's type and why it was chosen. */
  readonly columns: readonly { name: string; type: ColumnChoice | "target"; why: string }[];
  /** Missing cells per column (columns with none left out). */
  readonly missing: Readonly<Record<string, number>>;
}

/** Inputs a column takes. */
export const columnWidth = (column: FeatureColumn): number =>
  column.type === "category" ? column.values.length + (column.missing ? 2 : 1) : 1;

/** Network inputs the table gives: the sum of its columns' widths. */
export const tableInputs = (table: Table): number =>
  table.columns.reduce((sum, column) => sum + columnWidth(column), 0);

/**
 * Network outputs the target takes: one per class (or 1 for two classes with
 * a single sigmoid output: pass `outputs` 1), one for a number.
 */
export function targetWidth(table: Table, outputs?: number): number {
  const target = table.target;
  if (target.type === "number") return 1;
  return outputs === 1 && target.classes.length === 2 ? 1 : target.classes.length;
}

/** Sorts class names numerically when they are all numbers, else as strings. */
export function sortNames(names: Iterable<string>): string[] {
  const list = [...names];
  const numbers = list.map(Number);
  if (list.every((name, i) => name.trim() !== "" && Number.isFinite(numbers[i]))) {
    return list.sort((a, b) => Number(a) - Number(b));
  }
  return list.sort();
}

/** Reads "true"/"false", "yes"/"no" (any case) as 1/0; NaN otherwise. */
export function booleanValue(text: string): number {
  const t = text.trim().toLowerCase();
  return t === "true" || t === "yes" ? 1 : t === "false" || t === "no" ? 0 : NaN;
}

const lookups = new WeakMap<object, Map<string, number>>();
/** The index of each value, built once per column object. */
function indexOf(values: readonly string[]): Map<string, number> {
  let map = lookups.get(values);
  if (!map) lookups.set(values, map = new Map(values.map((v, i) => [v, i])));
  return map;
}

/** Why a row could not be encoded: which feature and what was wrong. */
export interface CellProblem {
  /** Index in `table.columns`. */
  readonly column: number;
  /** What was wrong with the cell. */
  readonly problem: "missing" | "not a number" | "not a boolean";
}

/**
 * Writes one row's inputs at `out[at..]`. Gives undefined, or the first cell
 * it could not encode (callers name the line or row in their message).
 *
 * @example
 * ```ts
 * import { encodeRow, type Table } from "./table.ts";
 * const table: Table = {
 *   version: 1, missing: "impute", ignored: [],
 *   columns: [
 *     { name: "size", type: "number", center: 10, scale: 2, fill: 10 },
 *     { name: "color", type: "category", values: ["blue", "red"], missing: false },
 *   ],
 *   target: { name: "y", type: "number", center: 0, scale: 1 },
 * };
 * const row: Record<string, string> = { size: "14", color: "green" };
 * const cells = {
 *   missing: (i: number) => row[table.columns[i].name] === undefined,
 *   number: (i: number) => Number(row[table.columns[i].name]),
 *   text: (i: number) => row[table.columns[i].name],
 * };
 * const out = new Float32Array(4);
 * encodeRow(table, cells, out, 0); // undefined; out is [2, 0, 0, 1]: green is the unknown slot
 * ```
 */
export function encodeRow(
  table: Table,
  cells: Cells,
  out: Float32Array,
  at: number,
): CellProblem | undefined {
  const columns = table.columns, impute = table.missing === "impute";
  for (let c = 0; c < columns.length; c++) {
    const column = columns[c];
    if (column.type === "category") {
      const width = column.values.length + (column.missing ? 2 : 1);
      out.fill(0, at, at + width);
      if (cells.missing(c)) {
        if (!impute) return { column: c, problem: "missing" };
        out[at + (column.missing ? column.values.length : width - 1)] = 1;
      } else {
        const k = cells.category
          ? cells.category(c)
          : indexOf(column.values).get(cells.text(c)) ?? -1;
        out[at + (k >= 0 ? k : width - 1)] = 1;
      }
      at += width;
      continue;
    }
    let value: number;
    if (cells.missing(c)) {
      if (!impute) return { column: c, problem: "missing" };
      value = column.fill;
    } else {
      value = column.type === "number" ? cells.number(c) : booleanValue(cells.text(c));
      if (Number.isNaN(value)) {
        return { column: c, problem: column.type === "number" ? "not a number" : "not a boolean" };
      }
    }
    out[at++] = (value - column.center) / column.scale;
  }
  return undefined;
}

/**
 * Writes a target cell's training values at `out[at..]` (`width` from
 * {@linkcode targetWidth}): one-hot for classes (a single 0/1 for two classes
 * on one output), scaled for a number. False when the cell is not a known
 * class or not a number.
 */
export function encodeTarget(
  table: Table,
  cell: { text: string; number: number },
  out: Float32Array,
  at: number,
  width: number,
): boolean {
  const target = table.target;
  if (target.type === "number") {
    if (Number.isNaN(cell.number)) return false;
    out[at] = (cell.number - target.center) / target.scale;
    return true;
  }
  const k = indexOf(target.classes).get(cell.text);
  if (k === undefined) return false;
  if (width === 1) out[at] = k;
  else out.fill(0, at, at + width)[at + k] = 1;
  return true;
}

/**
 * A number target's outputs in its own units: the inverse of the training
 * scaling, in place. Class targets are left alone.
 */
export function unscaleOutputs(table: Table, outputs: Float32Array | Float64Array): void {
  const target = table.target;
  if (target.type !== "number") return;
  for (let i = 0; i < outputs.length; i++) outputs[i] = outputs[i] * target.scale + target.center;
}

const STRICT_NUMBER = /^\s*[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?\s*$/;
const MISSING_TEXT = /^\s*(|na|n\/a|nan|null|\?)\s*$/i;

/**
 * Cells of a JSON row (`{ "column": value }`): numbers, numeric strings,
 * true/false, strings for categories; null, a missing key, or a missing
 * marker (empty, NA, N/A, NaN, null, ?) for a missing cell.
 *
 * @example
 * ```ts
 * import { objectCells, type Table } from "./table.ts";
 * const table = { columns: [{ name: "size", type: "number" }] } as unknown as Table;
 * objectCells(table, { size: "12.5" }).number(0); // 12.5
 * objectCells(table, { size: null }).missing(0); // true
 * ```
 */
export function objectCells(table: Table, row: Readonly<Record<string, unknown>>): Cells {
  const cell = (c: number): unknown => {
    const name = table.columns[c].name;
    return Object.hasOwn(row, name) ? row[name] : undefined;
  };
  return {
    missing(c) {
      const v = cell(c);
      return v === undefined || v === null || (typeof v === "string" && MISSING_TEXT.test(v));
    },
    number(c) {
      const v = cell(c);
      if (typeof v === "number") return Number.isFinite(v) ? v : NaN;
      const x = typeof v === "string" && v.length < 400 && STRICT_NUMBER.test(v) ? Number(v) : NaN;
      return Number.isFinite(x) ? x : NaN;
    },
    text(c) {
      const v = cell(c);
      return typeof v === "string"
        ? v.trim()
        : typeof v === "number" || typeof v === "boolean"
        ? String(v)
        : "";
    },
  };
}
