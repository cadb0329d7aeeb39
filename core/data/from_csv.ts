import type { Sample, StreamSource } from "./data_source.ts";
import { type CsvRecord, csvRecords } from "./_csv_records.ts";
import { readLines } from "./_read_lines.ts";

// Our own RFC 4180 splitter rather than a package: papaparse and csv-parse
// stream through Node streams or whole strings, d3-dsv parses whole texts, and
// grouping lines by quote parity is short enough to read.

/** Options of {@linkcode fromCsv}. */
export interface CsvOptions {
  /** Column(s) holding the targets. */
  target: string | readonly string[];
  /** Feature columns, in this order (default: every column that is not a target, in file order). */
  features?: readonly string[];
  /** Field separator (default `","`). */
  delimiter?: string;
}

function columnIndex(header: readonly string[], name: string): number {
  const i = header.indexOf(name);
  if (i === -1) {
    // Without LF the whole file is one "header" line: show only its first line.
    const cr = header.findIndex((f) => f.includes("\r"));
    if (cr !== -1) {
      const firstLine = [...header.slice(0, cr), header[cr].slice(0, header[cr].indexOf("\r"))];
      throw new TypeError(
        `Unknown CSV column "${name}": the header has ${
          firstLine.join(", ")
        } then a CR; the file seems to use CR-only line endings; convert it to LF or CRLF`,
      );
    }
    throw new TypeError(`Unknown CSV column "${name}": the header has ${header.join(", ")}`);
  }
  return i;
}

function checkHeader(header: readonly string[]): void {
  const seen = new Set<string>();
  for (const name of header) {
    if (seen.has(name)) throw new TypeError(`Invalid CSV header: column "${name}" appears twice`);
    seen.add(name);
  }
}

async function* samples(
  records: AsyncIterable<CsvRecord>,
  options: CsvOptions,
): AsyncGenerator<Sample, void, undefined> {
  let header: string[] | undefined;
  let xi: number[] = [], yi: number[] = [];
  const read = (r: CsvRecord, cols: number[]): number[] => {
    const out = new Array<number>(cols.length);
    for (let k = 0; k < cols.length; k++) {
      const text = r.fields[cols[k]];
      const value = Number(text);
      if (!Number.isFinite(value) || text.trim() === "") {
        throw new TypeError(
          `Invalid CSV: line ${r.line}, column "${header![cols[k]]}": ${
            JSON.stringify(text)
          } is not a ${Number.isNaN(value) ? "" : "finite "}number; fix or remove the row`,
        );
      }
      out[k] = value;
    }
    return out;
  };
  for await (const r of records) {
    if (!header) {
      header = r.fields.map((f) => f.trim());
      checkHeader(header);
      const targets = typeof options.target === "string" ? [options.target] : options.target;
      yi = targets.map((name) => columnIndex(header!, name));
      xi = options.features
        ? options.features.map((name) => columnIndex(header!, name))
        : header.flatMap((_, i) => (yi.includes(i) ? [] : [i]));
      if (xi.length === 0 || yi.length === 0) {
        throw new TypeError("Invalid CSV options: need at least one feature and one target column");
      }
      continue;
    }
    if (r.fields.length !== header.length) {
      throw new TypeError(
        `Invalid CSV: line ${r.line} has ${r.fields.length} fields but the header has ${header.length}; check for a missing or extra "${
          options.delimiter ?? ","
        }"`,
      );
    }
    yield { x: read(r, xi), y: read(r, yi) };
  }
  if (!header) throw new TypeError("Invalid CSV: the file is empty; it needs a header row");
}

/**
 * Reads numeric CSV text with a header row, one record at a time, so a file
 * far larger than memory trains in bounded memory. Fields follow RFC 4180
 * (quoted fields may hold delimiters, `""` and line breaks). A bad row (the
 * wrong number of fields, a value that is not a number) is an error naming its
 * line; rows are never skipped silently. Empty lines are passed over.
 *
 * `open` is called once per pass and returns a new byte stream, e.g.
 * `() => Deno.openSync(path).readable` (core itself does no I/O).
 *
 * @example
 * ```ts
 * import { fromCsv } from "./from_csv.ts";
 * const text = "a,b,label\n0.5,1,0\n2,3.5,1\n";
 * const source = fromCsv(() => new Blob([text]).stream(), { target: "label" });
 * ```
 */
export function fromCsv(
  open: () => ReadableStream<Uint8Array>,
  options: CsvOptions,
): StreamSource {
  const delimiter = options.delimiter ?? ",";
  if (delimiter === "" || delimiter.includes('"') || /[\r\n]/.test(delimiter)) {
    throw new TypeError(`Invalid delimiter: ${JSON.stringify(delimiter)}; use "," ";" or "\\t"`);
  }
  return {
    kind: "stream",
    name: "csv",
    open: (signal) => samples(csvRecords(readLines(open(), signal), delimiter), options),
  };
}
