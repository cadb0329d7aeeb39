// Reads `{ "rows": [{ "column": value, ... }, ...] }` bodies for models that
// keep a table (core/data/table.ts): every row is encoded straight into one
// float32 matrix, as the trainer encoded the file's rows. Loops, no schema
// per value and no recursion: a value is looked at one level deep, and
// messages quote the client's keys and values cut short (_quote.ts).
import { encodeRow, objectCells, type Table, tableInputs } from "../core/data/table.ts";
import type { Mat } from "../core/math/types.ts";
import { HttpError } from "./_http.ts";
import { clip, describeValue, quote } from "./_quote.ts";

/** Reads a body's `rows` into the model's inputs; throws an HttpError naming the row and column. */
export type RowsParser = (rows: unknown) => Mat;

const bad = (message: string) => new HttpError(400, "invalid_rows", message);

/**
 * Builds the parser of `rows` for one table: at most `maxRows` rows (413
 * past it), each a JSON object of the table's columns (numbers or numeric
 * strings, strings for categories, true/false, null or a missing key for a
 * missing cell). Keys the model does not read are refused unless the file
 * had them (its ignored columns and target).
 */
export function createRowsParser(table: Table, maxRows: number): RowsParser {
  const width = tableInputs(table);
  const known = new Set([
    ...table.columns.map((c) => c.name),
    ...table.ignored,
    table.target.name,
  ]);
  const names = table.columns.map((c) => c.name).join(", ");
  return (rows) => {
    if (!Array.isArray(rows) || rows.length === 0) {
      throw bad(
        `rows: must be a non-empty array of objects such as {${clip(names)}}, got ${
          describeValue(rows)
        }`,
      );
    }
    if (rows.length > maxRows) {
      throw new HttpError(
        413,
        "too_many_rows",
        `rows: has ${rows.length} rows, more than the ${maxRows} allowed: split the batch`,
      );
    }
    const data = new Float32Array(rows.length * width);
    for (let i = 0; i < rows.length; i++) {
      const row = rows[i];
      if (typeof row !== "object" || row === null || Array.isArray(row)) {
        throw bad(
          `rows.${i}: must be an object of columns (${clip(names)}), got ${describeValue(row)}`,
        );
      }
      for (const key in row) {
        if (!known.has(key)) {
          throw bad(`rows.${i}: unknown column ${quote(key)}: the model reads ${clip(names)}`);
        }
        const value = (row as Record<string, unknown>)[key];
        if (value !== null && typeof value === "object") {
          throw bad(
            `rows.${i}.${clip(key)}: must be a number, a string, true/false or null, got ${
              describeValue(value)
            }`,
          );
        }
      }
      const problem = encodeRow(
        table,
        objectCells(table, row as Record<string, unknown>),
        data,
        i * width,
      );
      if (problem) {
        const column = table.columns[problem.column];
        const value = describeValue((row as Record<string, unknown>)[column.name]);
        const what = problem.problem === "missing"
          ? "is missing, and this model was trained to refuse missing cells"
          : `is ${value}, ${problem.problem}`;
        throw bad(`rows.${i}.${clip(column.name)}: ${what}`);
      }
    }
    return { data, rows: rows.length, cols: width };
  };
}
