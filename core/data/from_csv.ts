import { createCsvReader, type CsvRecord, delimiterByte, drainCsv } from "./csv_reader.ts";
import type { Sample, StreamSource } from "./data_source.ts";
import { readStream } from "./_read_stream.ts";
import { widthError } from "./csv_table.ts";

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

/** Reads a header, then each row's numbers: `x` from the feature columns, `y` from the targets. */
function rowReader(options: CsvOptions): (record: CsvRecord) => Sample | undefined {
  let header: string[] | undefined, xi: number[] = [], yi: number[] = [];
  const read = (r: CsvRecord, cols: number[]): number[] => {
    const out = new Array<number>(cols.length);
    for (let k = 0; k < cols.length; k++) {
      const value = r.number(cols[k]);
      if (Number.isNaN(value)) {
        const text = r.text(cols[k]);
        const what = /^\s*[+-]?(\d+\.?\d*|\.\d+)[eE][+-]?\d+\s*$/.test(text)
          ? "finite number"
          : "number";
        throw new TypeError(
          `Invalid CSV: line ${r.line}, column "${header![cols[k]]}": ${
            JSON.stringify(text.length > 80 ? text.slice(0, 80) + "…" : text)
          } is not a ${what}; fix or remove the row`,
        );
      }
      out[k] = value;
    }
    return out;
  };
  return (r) => {
    if (!header) {
      header = Array.from({ length: r.length }, (_, i) => r.text(i).trim());
      checkHeader(header);
      const targets = typeof options.target === "string" ? [options.target] : options.target;
      yi = targets.map((name) => columnIndex(header!, name));
      xi = options.features
        ? options.features.map((name) => columnIndex(header!, name))
        : header.flatMap((_, i) => (yi.includes(i) ? [] : [i]));
      if (xi.length === 0 || yi.length === 0) {
        throw new TypeError("Invalid CSV options: need at least one feature and one target column");
      }
      return undefined;
    }
    if (r.length !== header.length) throw widthError(r, header.length, options.delimiter);
    return { x: read(r, xi), y: read(r, yi) };
  };
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
  delimiterByte(options.delimiter); // refused now, not at the first pass
  return {
    kind: "stream",
    name: "csv",
    async *open(signal) {
      const pending: Sample[] = [], toSample = rowReader(options);
      let sawHeader = false;
      const reader = createCsvReader((record) => {
        sawHeader = true;
        const sample = toSample(record);
        if (sample) pending.push(sample);
      }, options.delimiter === undefined ? {} : { delimiter: options.delimiter });
      // Pulled chunk by chunk: a chunk's samples are handed on before the next is read.
      const end = { push: reader.push, end: () => signal.aborted || reader.end() };
      yield* drainCsv(readStream(open(), signal), end, pending);
      if (!sawHeader) throw new TypeError("Invalid CSV: the file is empty; it needs a header row");
    },
  };
}
