/**
 * A CSV file with named columns as the trainer reads it: one pass learns a
 * {@linkcode Table} from the training rows, then every epoch streams the rows
 * again, encoded, in bounded memory. Validation rows are chosen by a seeded
 * hash of the row number, so the same file gives the same split in every
 * pass, without holding anything in memory.
 *
 * @module
 */
import { createCsvReader, type CsvRecord, drainCsv } from "./csv_reader.ts";
import { headerNames } from "./csv_header.ts";
import type { MemorySource, Sample, StreamSource } from "./data_source.ts";
import { createTableCache, type TableCacheBuilder } from "./table_cache.ts";
import { readStream } from "./_read_stream.ts";
import {
  type CellProblem,
  encodeRow,
  encodeTarget,
  type Table,
  tableInputs,
  targetWidth,
} from "./table.ts";
import {
  type ColumnChoice,
  createTableFit,
  type TableFitOptions,
  type TableReport,
} from "./table_fit.ts";

/** How rows are split between training and validation. */
export interface RowSplit {
  /** Fraction of rows held out for validation, in [0, 1). */
  readonly fraction: number;
  /** Seed of the hash that picks them. */
  readonly seed: number;
}

/**
 * True when data row `row` (0-based, the header aside) is held out: a seeded
 * 32-bit hash of the row number, below `fraction` of its range. The same row,
 * seed and fraction always give the same answer, in any pass.
 *
 * @example
 * ```ts
 * import { heldOut } from "./csv_table.ts";
 * const held = Array.from({ length: 10_000 }, (_, row) => heldOut(row, { fraction: 0.2, seed: 42 }));
 * held.filter(Boolean).length; // close to 2,000
 * ```
 */
export function heldOut(row: number, split: RowSplit): boolean {
  if (split.fraction <= 0) return false;
  return mix32(row ^ mix32(split.seed + 0x9e3779b9)) / 4294967296 < split.fraction;
}

/** A 32-bit integer hash with good avalanche (lowbias32): nearby rows land far apart. */
function mix32(x: number): number {
  x = Math.imul(x ^ (x >>> 16), 0x21f0aaad);
  x = Math.imul(x ^ (x >>> 15), 0x735a2d97);
  return (x ^ (x >>> 15)) >>> 0;
}

/** Options shared by {@linkcode fitCsvTable} and {@linkcode csvTableSource}. */
export interface CsvTableOptions {
  /** Field separator (default `","`). */
  readonly delimiter?: string;
  /** The training/validation split (default: no validation rows). */
  readonly split?: RowSplit;
  /** Stops the pass. */
  readonly signal?: AbortSignal;
}

/** A CSV reader that tells the header from the data rows (numbered from 0). */
function recordReader(
  options: CsvTableOptions,
  onHeader: (header: string[]) => void,
  onRow: (record: CsvRecord, row: number) => void,
): { push(chunk: Uint8Array): void; end(): void } {
  let row = -1;
  const reader = createCsvReader((record) => {
    if (row === -1) {
      onHeader(headerNames(record));
    } else onRow(record, row);
    row++;
  }, options.delimiter === undefined ? {} : { delimiter: options.delimiter });
  return {
    push: (chunk) => reader.push(chunk),
    end() {
      reader.end();
      if (row === -1) throw new TypeError("Invalid CSV: the file is empty; it needs a header row");
    },
  };
}

/** Reads a whole CSV byte stream: the header, then each data row. */
async function eachRecord(
  bytes: ReadableStream<Uint8Array>,
  options: CsvTableOptions,
  onHeader: (header: string[]) => void,
  onRow: (record: CsvRecord, row: number) => void,
): Promise<void> {
  const reader = recordReader(options, onHeader, onRow);
  for await (const chunk of readStream(bytes, options.signal)) reader.push(chunk);
  if (!options.signal?.aborted) reader.end();
}

/** What {@linkcode fitCsvTable} learned. */
export interface CsvTableFit {
  /** How named columns become inputs and the target becomes outputs. */
  readonly table: Table;
  /** What was chosen for each column and why, for people. */
  readonly report: TableReport;
  /**
   * The rows kept in memory (`cacheBytes`), as training and validation
   * sources for a network of `outputs` outputs; absent when they did not fit.
   */
  readonly memory?: (
    outputs: number,
  ) => { train: MemorySource; validation?: MemorySource } | undefined;
  /** Data rows in the file, and how many are held out for validation. */
  readonly rows: { readonly train: number; readonly validation: number };
}

/**
 * Learns the table of a CSV file from its training rows (types, means and
 * deviations, categories, class names, missing counts) in one pass over
 * `open()`. With `cacheBytes`, the column types are read first from the
 * file's first rows (a second, short read), and the pass keeps every row in
 * compact columns while they fit in `cacheBytes`: `memory` then gives the
 * training and validation rows as in-memory sources, and epochs never read
 * the file again.
 *
 * @example
 * ```ts
 * import { fitCsvTable } from "./csv_table.ts";
 * const text = "size,color,price\n1,red,100\n2,blue,200\n3,,300\n";
 * const { table, report } = await fitCsvTable(() => new Blob([text]).stream(), { target: "price" });
 * table.columns.map((c) => `${c.name}:${c.type}`); // ["size:number", "color:category"]
 * report.missing; // { color: 1 }
 * ```
 */
export async function fitCsvTable(
  open: () => ReadableStream<Uint8Array>,
  options: TableFitOptions & CsvTableOptions & {
    readonly cacheBytes?: number;
    /** The file's size, when known: a file too large for the cache is streamed from the start. */
    readonly fileBytes?: number;
  },
): Promise<CsvTableFit> {
  const typed = options.cacheBytes ? await sniffTypes(open(), options) : undefined;
  // A file whose rows would outgrow the cache is streamed from the start: no cache built, then dropped.
  const fits = !typed || !options.fileBytes ||
    options.fileBytes / typed.fileRowBytes * typed.cachedRowBytes <= options.cacheBytes!;
  const fitOptions = typed
    ? { ...options, columns: { ...typed.types, ...options.columns }, reasons: typed.reasons }
    : options;
  let fit: ReturnType<typeof createTableFit> | undefined;
  let cache: TableCacheBuilder | undefined;
  let train = 0, validation = 0, width = 0;
  const split = options.split ?? { fraction: 0, seed: 0 };
  await eachRecord(open(), options, (header) => {
    fit = createTableFit(header, fitOptions);
    width = header.length;
    if (typed && fits) {
      cache = createTableCache(header, {
        types: typed.types,
        target: options.target,
        maxBytes: options.cacheBytes!,
      });
    }
  }, (record, row) => {
    if (record.length !== width) throw widthError(record, width, options.delimiter);
    const held = heldOut(row, split);
    if (held) validation++, fit!.heldOut(record, record.line);
    else train++, fit!.add(record, record.line);
    if (cache && !cache.add(fit!.raw, held, fit!.rawBytes())) cache = undefined; // over budget: stream instead
  });
  if (train === 0) {
    throw new RangeError(
      `Invalid data: no training rows${
        validation ? ` (all ${validation} held out for validation)` : ""
      }; the file needs rows after its header`,
    );
  }
  const { table, report } = fit!.result();
  const kept = cache, vocabulary = fit!.vocabulary;
  return {
    table,
    report,
    rows: { train, validation },
    ...(kept ? { memory: (outputs: number) => kept.done(table, outputs, vocabulary) } : {}),
  };
}

/** The column types the file's first rows show (every row counts, held out or not). */
async function sniffTypes(
  bytes: ReadableStream<Uint8Array>,
  options: TableFitOptions & CsvTableOptions,
): Promise<Sniffed> {
  const enough = options.sniffRows ?? 1_000;
  let fit: ReturnType<typeof createTableFit> | undefined, rows = 0, read = 0;
  let header: string[] = [], bytes1 = new Uint8Array(0);
  const reader = recordReader(options, (names) => {
    fit = createTableFit(names, options);
    header = names, bytes1 = new Uint8Array(names.length).fill(1);
  }, (record) => {
    if (rows++ >= enough) return;
    fit!.add(record, record.line);
    for (let f = 0; f < bytes1.length; f++) {
      const v = record.number(f);
      if (!Number.isNaN(v) && (v & 255) !== v) bytes1[f] = 0; // not a byte: eight in the cache
    }
  });
  for await (const chunk of readStream(bytes, options.signal)) {
    read += chunk.length;
    reader.push(chunk);
    if (rows >= enough) break; // the rest is the full pass's
  }
  if (rows < enough) reader.end();
  if (!fit) throw new TypeError("Invalid CSV: the file is empty; it needs a header row");
  if (rows === 0) {
    throw new RangeError("Invalid data: the file has a header but no rows to train on");
  }
  const { types, reasons } = fit.types();
  // Bytes a cached row takes: categories 2, booleans and whole numbers 0..255 1, others 8.
  const cached = header.reduce((sum, name, f) => {
    const type = types[name.trim()];
    return sum +
      (type === "ignore"
        ? 0
        : type === "number"
        ? (bytes1[f] ? 1 : 8)
        : type === "boolean"
        ? 1
        : 2);
  }, 1);
  return { types, reasons, cachedRowBytes: cached, fileRowBytes: read / Math.max(1, rows) };
}

/** What the first rows show: the types, and how many bytes a row takes in the file and the cache. */
interface Sniffed {
  types: Record<string, ColumnChoice>;
  reasons: Record<string, string>;
  cachedRowBytes: number;
  /** An upper bound: the bytes read to get the sniffed rows, over their count. */
  fileRowBytes: number;
}

/** A record whose field count is not the header's, in words that say what to check. */
export function widthError(record: CsvRecord, width: number, delimiter = ","): TypeError {
  return new TypeError(
    `Invalid CSV: line ${record.line} has ${record.length} fields but the header has ${width}; check for a missing or extra "${delimiter}"`,
  );
}

const problemText = (problem: CellProblem["problem"]) =>
  problem === "missing"
    ? "the cell is missing (the model refuses missing cells)"
    : `the value is ${problem}`;

/** Options of {@linkcode csvTableSource}. */
export interface CsvTableSourceOptions extends CsvTableOptions {
  /** Which rows: "train" (not held out), "validation" (held out) or "all". */
  readonly part: "train" | "validation" | "all";
  /** Network outputs (1 gives two classes one 0/1 output); default: one per class. */
  readonly outputs?: number;
  /** Rows this part holds, when known (from {@linkcode fitCsvTable}): the source's `size`. */
  readonly rows?: number;
}

/**
 * The encoded samples of a CSV file's rows, as a stream source the trainer
 * opens once per epoch: `open` must give the file's bytes from the start each
 * time. A row that cannot be encoded (a text in a numeric column, a class the
 * training rows never had) is a TypeError naming its line and column.
 *
 * @example
 * ```ts ignore
 * const fit = await fitCsvTable(open(), { target: "species", split });
 * const data = csvTableSource(open, fit.table, { part: "train", split });
 * const validation = csvTableSource(open, fit.table, { part: "validation", split });
 * ```
 */
export function csvTableSource(
  open: () => ReadableStream<Uint8Array>,
  table: Table,
  options: CsvTableSourceOptions,
): StreamSource {
  const inputs = tableInputs(table), outputs = targetWidth(table, options.outputs);
  const split = options.split ?? { fraction: 0, seed: 0 };
  const want = options.part;
  return {
    kind: "stream",
    name: "csv",
    ...(options.rows === undefined ? {} : { size: options.rows }),
    async *open(signal) {
      let fields: Int32Array | undefined, targetField = -1, width = 0;
      const pending: Sample[] = [];
      let record: CsvRecord | undefined;
      const cells = {
        missing: (c: number) => record!.missing(fields![c]),
        number: (c: number) => record!.number(fields![c]),
        text: (c: number) => record!.text(fields![c]).trim(),
      };
      const reader = recordReader(options, (header) => {
        const names = header.map((h) => h.trim());
        width = names.length;
        fields = Int32Array.from(table.columns, (column) => {
          const at = names.indexOf(column.name);
          if (at === -1) {
            throw new TypeError(
              `Invalid CSV: the model reads column "${column.name}" but the header has ${
                names.join(", ")
              }`,
            );
          }
          return at;
        });
        targetField = names.indexOf(table.target.name);
        if (targetField === -1) {
          throw new TypeError(
            `Invalid CSV: no target column "${table.target.name}"; the header has ${
              names.join(", ")
            }`,
          );
        }
      }, (r, row) => {
        if (want !== "all" && heldOut(row, split) !== (want === "validation")) return;
        if (r.length !== width) throw widthError(r, width, options.delimiter);
        record = r;
        const x = new Float32Array(inputs), y = new Float32Array(outputs);
        const problem = encodeRow(table, cells, x, 0);
        if (problem) {
          const column = table.columns[problem.column];
          throw new TypeError(
            `Invalid data: line ${r.line}, column "${column.name}": ${
              problemText(problem.problem)
            }: ${JSON.stringify(cells.text(problem.column).slice(0, 80))}`,
          );
        }
        if (r.missing(targetField)) {
          throw new TypeError(
            `Invalid data: line ${r.line}, column "${table.target.name}": the target is missing; fill the cell or remove the row`,
          );
        }
        const text = r.text(targetField).trim();
        if (!encodeTarget(table, { text, number: r.number(targetField) }, y, 0, outputs)) {
          const what = table.target.type === "number"
            ? "is not a number"
            : `is not one of the classes (${table.target.classes.slice(0, 10).join(", ")})`;
          throw new TypeError(
            `Invalid data: line ${r.line}, column "${table.target.name}": ${
              JSON.stringify(text.slice(0, 80))
            } ${what}`,
          );
        }
        pending.push({ x, y });
      });
      // Pulled chunk by chunk: a chunk's samples are handed on before the next is read.
      const end = { push: reader.push, end: () => signal.aborted || reader.end() };
      yield* drainCsv(readStream(open(), signal), end, pending);
    },
  };
}
