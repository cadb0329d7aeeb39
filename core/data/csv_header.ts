/**
 * A CSV file's header on its own: the names of its first record, read
 * without the rows, and checked against a table's target and declared
 * columns, so that a run naming a column the file lacks is refused before a
 * row is read (the fit pass applies the same checks).
 *
 * @module
 */
import { createCsvReader, type CsvRecord } from "./csv_reader.ts";
import type { ColumnChoice } from "./table.ts";
import { readStream } from "./_read_stream.ts";

/**
 * The column names of a header record, as written; a TypeError when one is
 * blank.
 *
 * @example
 * ```ts
 * import { createCsvReader } from "./csv_reader.ts";
 * import { headerNames } from "./csv_header.ts";
 * let names: string[] = [];
 * const reader = createCsvReader((r) => (names = headerNames(r)));
 * reader.push(new TextEncoder().encode("x,y\n"));
 * names; // ["x", "y"]
 * ```
 */
export function headerNames(record: CsvRecord): string[] {
  const header = Array.from({ length: record.length }, (_, i) => record.text(i));
  const blank = header.findIndex((name) => name.trim() === "");
  if (blank !== -1) {
    throw new TypeError(
      `Invalid CSV header: column ${blank + 1} has no name; name it (or remove the column)`,
    );
  }
  return header;
}

/**
 * Reads the header of a CSV byte stream, then cancels the stream: only the
 * first record's bytes (and the chunk they came in) are read. TypeErrors for
 * an empty file and a blank column name.
 *
 * @example
 * ```ts
 * import { readCsvHeader } from "./csv_header.ts";
 * const bytes = new Blob(["size;price\n1;2\n"]).stream();
 * await readCsvHeader(bytes, { delimiter: ";" }); // ["size", "price"]
 * ```
 */
export async function readCsvHeader(
  bytes: ReadableStream<Uint8Array>,
  options: { readonly delimiter?: string } = {},
): Promise<string[]> {
  let header: string[] | undefined;
  const reader = createCsvReader(
    (record) => void (header ??= headerNames(record)),
    options.delimiter === undefined ? {} : { delimiter: options.delimiter },
  );
  for await (const chunk of readStream(bytes)) {
    try {
      reader.push(chunk);
    } catch (error) {
      if (!header) throw error; // a bad row after the header is the fit pass's to report
    }
    if (header) return header; // leaving the loop cancels the stream
  }
  reader.end();
  if (!header) throw new TypeError("Invalid CSV: the file is empty; it needs a header row");
  return header;
}

/** What is wrong with a header for a table: on the header itself, the target, or the declared columns. */
export interface HeaderProblem {
  readonly on: "header" | "target" | "columns";
  readonly message: string;
}

/**
 * Checks a header against a table's `target` and declared `columns`: no
 * name twice, every declared column and the target present, the target not
 * ignored. Undefined when it fits.
 *
 * @example
 * ```ts
 * import { tableHeaderProblem } from "./csv_header.ts";
 * tableHeaderProblem(["x", "y"], { target: "y" }); // undefined
 * tableHeaderProblem(["x", "y"], { target: "z" });
 * // { on: "target", message: 'Unknown target column "z": the header has x, y' }
 * ```
 */
export function tableHeaderProblem(
  header: readonly string[],
  options: {
    readonly target: string;
    readonly columns?: Readonly<Record<string, ColumnChoice>>;
  },
): HeaderProblem | undefined {
  const names = header.map((h) => h.trim());
  const seen = new Set<string>();
  for (const name of names) {
    if (seen.has(name)) {
      return { on: "header", message: `Invalid header: column "${name}" appears twice` };
    }
    seen.add(name);
  }
  const declared = options.columns ?? {};
  const unknown = Object.keys(declared).find((name) => !seen.has(name));
  if (unknown !== undefined) {
    return {
      on: "columns",
      message: `Unknown column "${unknown}" in the column types: the header has ${
        names.join(", ")
      }`,
    };
  }
  if (!seen.has(options.target)) {
    return {
      on: "target",
      message: `Unknown target column "${options.target}": the header has ${names.join(", ")}`,
    };
  }
  if (declared[options.target] === "ignore") {
    return {
      on: "columns",
      message: `Invalid column types: the target "${options.target}" cannot be ignored`,
    };
  }
  return undefined;
}
