/**
 * Learns a {@linkcode Table} from the training rows of a file, in one
 * streaming pass: column types from the first rows, then means, deviations,
 * categories, class names and missing counts from every row.
 *
 * @module
 */
import {
  booleanValue,
  type ClassTarget,
  type ColumnChoice,
  type FeatureColumn,
  type HeaderCells,
  type NumberTarget,
  sortNames,
  type Table,
  type TableReport,
} from "./table.ts";
import { tableHeaderProblem } from "./csv_header.ts";
import { byteMoments, mergeByteMoments, type Moments } from "./_byte_moments.ts";
import { plainTexts } from "./_plain_texts.ts";

export type { ColumnChoice, HeaderCells, TableReport };

/** Options of {@linkcode createTableFit}. */
export interface TableFitOptions {
  /** The column to predict. */
  readonly target: string;
  /** Declared column types (the rest are inferred from the data). */
  readonly columns?: Readonly<Record<string, ColumnChoice>>;
  /** Standardize numbers and scale a number target (default true). */
  readonly standardize?: boolean;
  /** "impute" (default) or "error": refuse missing cells, naming line and column. */
  readonly missing?: "impute" | "error";
  /**
   * What a numeric target is when no type is declared: "number"
   * (regression, the default) or "classes" (its values are class labels).
   */
  readonly numericTarget?: "number" | "classes";
  /** Rows read before column types are chosen (default 1,000). */
  readonly sniffRows?: number;
  /** Most distinct values a categorical column may have (default 1,000). */
  readonly maxCategories?: number;
  /** Why each declared type was chosen, for the report (default "declared"). */
  readonly reasons?: Readonly<Record<string, string>>;
}

/** Feeds training rows to a fit; `result` builds the table. */
export interface TableFit {
  /** The last typed row by header position: numbers, 0/1, ids (`vocabulary`); NaN or -1 if missing. */
  readonly raw: Float64Array;
  /** True when every number of the last row (in `raw`) is a whole number 0..255. */
  rawBytes(): boolean;
  /** A column's texts in id order (category values, class names). */
  vocabulary(field: number): string[];
  /** Adds one training row; `line` names it in errors. */
  add(cells: HeaderCells, line: number): void;
  /** Sees a held-out row: its class name and cell types, not its statistics. */
  heldOut(cells: HeaderCells, line: number): void;
  /** The table, and what was chosen; throws when no row was added. */
  result(): { table: Table; report: TableReport };
  /**
   * Each column's type as the rows so far show it (the target's too: number
   * or category), and why; chosen now if the sniffed rows are not all in.
   */
  types(): { types: Record<string, ColumnChoice>; reasons: Record<string, string> };
}

/** Running statistics of one column (`Moments`: Welford's, over its numbers). */
interface ColumnStats extends Moments {
  readonly name: string;
  readonly field: number;
  /** Declared, or chosen once the sniffed rows are in; `why` says which and why. */
  type: ColumnChoice | undefined;
  why: string;
  declared: boolean;
  /** Cells present, numbers, true/false, missing; Welford over numbers and over booleans as 0/1. */
  nonMissing: number;
  numeric: number;
  boolean: number;
  missing: number;
  bn: number;
  bmean: number;
  bm2: number;
  /** Distinct texts and their first-seen ids (categories, class names), up to the cap. */
  texts: Map<string, number> | undefined;
  /** The first value that was not a number, for messages. */
  firstText?: { line: number; text: string };
}

const quote = (text: string) => JSON.stringify(text.length > 40 ? text.slice(0, 40) + "…" : text);
const asCategory = (name: string) =>
  `declare the column a category (--categorical ${name}, or "columns": { "${name}": "category" })`;
const MISSING_TARGET = "the target is missing; fill the cell or remove the row";
const MISSING_CELL =
  'the cell is missing, and missing cells are refused (--missing error, "missing": "error"); fill it or remove the row';

const fitError = (line: number, column: string, what: string): TypeError =>
  new TypeError(`Invalid data: line ${line}, column "${column}": ${what}`);

/**
 * Starts a fit over a file whose header is `header`. Throws a TypeError when
 * the target or a declared column is not in the header, or a name repeats.
 *
 * @example
 * ```ts
 * import { createTableFit } from "./table_fit.ts";
 * const fit = createTableFit(["size", "color", "price"], { target: "price" });
 * for (const row of [["1", "red", "100"], ["3", "", "300"]]) {
 *   fit.add({ missing: (f) => row[f] === "", number: (f) => Number(row[f]), text: (f) => row[f] }, 2);
 * }
 * const { table } = fit.result();
 * table.columns.map((c) => c.type); // ["number", "category"]
 * ```
 */
export function createTableFit(header: readonly string[], options: TableFitOptions): TableFit {
  const problem = tableHeaderProblem(header, options);
  if (problem) throw new TypeError(problem.message);
  const names = header.map((h) => h.trim()), declared = options.columns ?? {};
  const targetField = names.indexOf(options.target);
  const sniffRows = options.sniffRows ?? 1_000, maxCategories = options.maxCategories ?? 1_000;
  const refuseMissing = options.missing === "error";
  const counts = { nonMissing: 0, numeric: 0, boolean: 0, missing: 0 };
  const welford = { n: 0, mean: 0, m2: 0, bn: 0, bmean: 0, bm2: 0 };
  const stats: ColumnStats[] = names.map((name, field) => ({
    ...{
      name,
      field,
      type: declared[name],
      why: declared[name] ? options.reasons?.[name] ?? "declared" : "",
    },
    ...{ declared: declared[name] !== undefined, ...counts, ...welford, texts: new Map() },
  }));
  const target = stats[targetField];
  const allDeclared = stats.every((s) => s.declared);
  let rows = 0, plainRow: Float64Array | undefined;
  const plain = plainTexts(stats.length), textCap = maxCategories * 10;
  /** A column's texts, its plain numbers' (deferred: most such columns need none) included. */
  const textsOf = (s: ColumnStats) => plain.flush(s.field, s.texts!, textCap);

  const addNumber = (s: ColumnStats, x: number): void => {
    const d = x - s.mean;
    s.mean += d / ++s.n;
    s.m2 += d * (x - s.mean);
  };
  const addBoolean = (s: ColumnStats, x: number): void => {
    const d = x - s.bmean;
    s.bmean += d / ++s.bn;
    s.bm2 += d * (x - s.bmean);
  };
  /** The text's first-seen id in its column, added when new. */
  const addText = (s: ColumnStats, text: string, line: number): number => {
    const texts = s.texts!;
    const id = texts.get(text);
    if (id !== undefined) return id;
    const cap = s === target ? 10 * maxCategories : maxCategories;
    if (texts.size >= cap) {
      const fix = s === target
        ? "a class target needs fewer classes; declare it a number for regression"
        : `leave it out (--ignore ${s.name}) or turn it into numbers`;
      throw fitError(line, s.name, `more than ${cap} distinct values; ${fix}`);
    }
    texts.set(text, texts.size);
    return texts.size - 1;
  };

  /** Type evidence from a cell (of any type: it is not chosen yet); statistics too when `add`. */
  const sniff = (s: ColumnStats, cells: HeaderCells, line: number, add: boolean): void => {
    const f = s.field, x = plainRow ? plainRow[f] : cells.number(f);
    if (!Number.isNaN(x)) s.numeric++, add && addNumber(s, x);
    // A plain whole number's text is the number's, made only if the column's texts are read.
    if (plainRow && x < 1024) return plain.add(f, x);
    const text = cells.text(f).trim();
    const b = Number.isNaN(x) ? booleanValue(text) : NaN; // a number is never true/false
    if (!Number.isNaN(b)) s.boolean++, add && addBoolean(s, b);
    if (Number.isNaN(x) && s.firstText === undefined) s.firstText = { line, text };
    if (s.texts && textsOf(s).size <= textCap && !s.texts.has(text)) {
      s.texts.set(text, s.texts.size);
    }
  };

  const choose = (s: ColumnStats): void => {
    if (s.type === undefined) {
      if (s.nonMissing === 0) s.type = "ignore", s.why = `no values in the first ${sniffRows} rows`;
      else if (s.numeric === s.nonMissing) s.type = "number", s.why = "numbers";
      else if (s.boolean === s.nonMissing) {
        s.type = "boolean", s.why = "true/false or yes/no values";
      } else if (s !== target && textsOf(s).size > Math.max(50, s.nonMissing / 2)) {
        const distinct = `${s.texts!.size} distinct texts in ${s.nonMissing} rows`;
        s.type = "ignore", s.why = `${distinct}: an identifier or free text`;
      } else {
        s.type = "category";
        s.why = `text values such as ${quote(s.firstText?.text ?? "")}`;
      }
    }
    if (s === target && s.type === "boolean") s.type = "category", s.why = "yes/no classes";
    if (s === target && s.type === "number" && !s.declared && options.numericTarget === "classes") {
      s.type = "category", s.why = "numeric class labels";
    }
    const fix = `fix the cell or ${asCategory(s.name)}`;
    if (s.type === "number" && s.numeric !== s.nonMissing) {
      const { line, text } = s.firstText!;
      throw fitError(
        line,
        s.name,
        `${quote(text)} is not a number, but the column is declared numeric; ${fix}`,
      );
    }
    const other = s.type === "boolean" && s.boolean !== s.nonMissing;
    if (other) {
      throw fitError(
        s.firstText?.line ?? 0,
        s.name,
        "is declared boolean but holds values other than true/false or yes/no",
      );
    }
    if (s.type === "category" && textsOf(s).size > (s === target ? 10 : 1) * maxCategories) {
      throw fitError(
        0,
        s.name,
        `more than ${maxCategories} distinct values; leave it out (--ignore ${s.name})`,
      );
    }
    if (s.type !== "category") s.texts = undefined, plain.drop(s.field); // numbers need none
  };

  /** After the sniffed rows: the evidence the chosen type needs. */
  const observe = (s: ColumnStats, cells: HeaderCells, line: number, add = true): void => {
    const f = s.field;
    if (s.type === "number") {
      const x = cells.number(f);
      if (Number.isNaN(x)) throw notNumber(s, cells, line);
      if (add) addNumber(s, x);
      raw[f] = x;
    } else if (s.type === "boolean") {
      const b = booleanValue(cells.text(f));
      if (Number.isNaN(b)) {
        throw fitError(line, s.name, `${quote(cells.text(f))} is not true/false or yes/no`);
      }
      if (add) addBoolean(s, b);
      raw[f] = b;
    } else raw[f] = addText(s, cells.text(f).trim(), line); // held-out values join the vocabulary
  };
  const notNumber = (s: ColumnStats, cells: HeaderCells, line: number) => {
    const why = `the first ${sniffRows} rows were; fix the cell, or ${asCategory(s.name)}`;
    return fitError(line, s.name, `${quote(cells.text(s.field))} is not a number, but ${why}`);
  };
  // The last row's cells by header position: numbers, 0/1, category ids; NaN or -1 when missing.
  const raw = new Float64Array(stats.length);
  let numberStats: ColumnStats[] = [], otherStats: ColumnStats[] = [];
  let numberFields = new Int32Array(0), numberValues = new Float64Array(0), typed = false;
  let bytes = byteMoments(0), rawBytes = false;
  const chooseAll = (): void => {
    for (const s of stats) choose(s);
    typed = true;
    numberStats = stats.filter((s) => s.type === "number");
    otherStats = stats.filter((s) => s.type !== "number" && s.type !== "ignore");
    numberFields = Int32Array.from(numberStats, (s) => s.field);
    numberValues = new Float64Array(numberStats.length);
    bytes = byteMoments(numberStats.length);
  };
  /** A typed row: numbers in one call, then the rest; `add` for a training row's statistics. */
  const typedRow = (cells: HeaderCells, line: number, add: boolean): void => {
    const byField = cells.values?.();
    if (byField) raw.set(byField); // the other columns' cells come below
    else {
      cells.numbers?.(numberFields, numberValues);
      for (let k = 0; k < numberFields.length; k++) {
        raw[numberFields[k]] = cells.numbers ? numberValues[k] : cells.number(numberFields[k]);
      }
    }
    const { other, sums } = bytes;
    if (add) bytes.rows++;
    rawBytes = true;
    for (let k = 0; k < numberStats.length; k++) {
      const x = raw[numberFields[k]];
      if ((x & 255) === x) { // a whole number 0..255: exact sums, merged in `result`
        if (add) sums[2 * k] += x, sums[2 * k + 1] += x * x;
        continue;
      }
      const s = numberStats[k];
      if (add) other[k]++;
      rawBytes = false;
      if (!Number.isNaN(x)) {
        if (add) s.nonMissing++, addNumber(s, x);
      } else if (!cells.missing(s.field)) throw notNumber(s, cells, line);
      else if (refuseMissing) throw fitError(line, s.name, MISSING_CELL);
      else if (add) s.missing++;
    }
    for (const s of otherStats) {
      if (!cells.missing(s.field)) {
        if (add) s.nonMissing++;
        observe(s, cells, line, add);
      } else if (s === target) throw fitError(line, s.name, MISSING_TARGET);
      else if (refuseMissing) throw fitError(line, s.name, MISSING_CELL);
      else add && s.missing++, raw[s.field] = s.type === "category" ? -1 : NaN;
    }
  };

  /** A row of the sniffed first rows: evidence of every type; statistics too when `add`. */
  const sniffRow = (cells: HeaderCells, line: number, add: boolean): void => {
    plainRow = cells.values?.();
    for (const s of stats) {
      if (s.type === "ignore") continue;
      if (!cells.missing(s.field)) s.nonMissing++, sniff(s, cells, line, add);
      else if (refuseMissing) throw fitError(line, s.name, MISSING_CELL);
      else if (add) s.missing++;
    }
  };

  if (allDeclared) chooseAll(); // every type known: no rows to sniff

  return {
    raw,
    rawBytes: () => rawBytes,
    add(cells, line) {
      rows++;
      if (cells.missing(targetField)) throw fitError(line, target.name, MISSING_TARGET);
      if (typed) return typedRow(cells, line, true);
      rawBytes = false;
      sniffRow(cells, line, true);
      if (rows === sniffRows) chooseAll();
    },
    heldOut(cells, line) {
      if (cells.missing(targetField)) throw fitError(line, target.name, MISSING_TARGET);
      // Its cells are evidence of the types, and must read as them: a bad cell fails now.
      if (typed) typedRow(cells, line, false);
      else rawBytes = false, sniffRow(cells, line, false);
    },
    vocabulary: (field) => [...(stats[field].texts?.keys() ?? [])],
    types() {
      if (!typed) chooseAll();
      const types: Record<string, ColumnChoice> = {}, reasons: Record<string, string> = {};
      for (const s of stats) types[s.name] = s.type!, reasons[s.name] = s.why;
      return { types, reasons };
    },
    result() {
      if (rows === 0) {
        throw new RangeError("Invalid data: the file has a header but no rows to train on");
      }
      if (!typed) chooseAll();
      numberStats.forEach((s, k) => s.nonMissing += mergeByteMoments(bytes, k, s));
      const standardize = options.standardize ?? true;
      const scaling = (n: number, mean: number, m2: number) => {
        const deviation = n > 1 ? Math.sqrt(m2 / n) : 0;
        return {
          center: standardize ? mean : 0,
          scale: standardize && deviation > 0 ? deviation : 1,
        };
      };
      const columns: FeatureColumn[] = [], ignored: string[] = [];
      for (const s of stats) {
        if (s === target) continue;
        if (s.type === "ignore") ignored.push(s.name);
        else if (s.type === "category") {
          const values = [...s.texts!.keys()].sort();
          columns.push({ name: s.name, type: "category", values, missing: s.missing > 0 });
        } else {
          const [n, mean, m2] = s.type === "number" ? [s.n, s.mean, s.m2] : [s.bn, s.bmean, s.bm2];
          const type = s.type as "number" | "boolean";
          columns.push({ name: s.name, type, ...scaling(n, mean, m2), fill: mean });
        }
      }
      let targetSpec: ClassTarget | NumberTarget;
      if (target.type === "number") {
        targetSpec = {
          name: target.name,
          type: "number",
          ...scaling(target.n, target.mean, target.m2),
        };
      } else {
        const classes = sortNames(target.texts!.keys());
        if (classes.length < 2) {
          const one = quote(classes[0] ?? "");
          throw new RangeError(
            `Invalid data: the target "${target.name}" has only one class (${one}); a classifier needs at least two`,
          );
        }
        targetSpec = { name: target.name, type: "classes", classes };
      }
      const missing: Record<string, number> = {};
      for (const s of stats) if (s.missing > 0) missing[s.name] = s.missing;
      const impute = refuseMissing ? "error" : "impute";
      const table: Table = { version: 1, columns, target: targetSpec, ignored, missing: impute };
      const aim = targetSpec.type === "classes"
        ? `${targetSpec.classes.length} classes`
        : "numbers: regression";
      const report: TableReport = {
        rows,
        columns: stats.map((s) => ({
          name: s.name,
          type: s === target ? "target" : s.type!,
          why: s === target ? aim : s.why,
        })),
        missing,
      };
      return { table, report };
    },
  };
}
