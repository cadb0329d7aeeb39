/**
 * A table's rows kept in memory in compact columns while the fit pass reads
 * them, so that epochs read memory instead of the file: small whole numbers
 * (pixels, counts) take one byte, other numbers eight (exactly as read, so
 * rows encode bit for bit as the streamed file does), categories two. When
 * the rows outgrow the budget, the cache gives up and the file is streamed.
 *
 * @module
 */
import type { MemorySource } from "./data_source.ts";
import {
  booleanValue,
  type Cells,
  encodeRow,
  encodeTarget,
  type Table,
  tableInputs,
} from "./table.ts";
import type { HeaderCells } from "./table_fit.ts";

const CHUNK = 1 << 16, MISSING_CODE = 0xffff, MISSING_BYTE = 0xff;
type Column = { kind: "u8" | "f64" | "u16"; chunks: (Uint8Array | Float64Array | Uint16Array)[] };

/** Fills a cache during the fit pass; `done` hands the rows to training once the table is known. */
export interface TableCacheBuilder {
  /** Stores one row (cells by header position); false once the budget is spent (the cache is dropped). */
  add(cells: HeaderCells, heldOut: boolean): boolean;
  /** The training and validation rows as in-memory sources, or undefined when the cache gave up. */
  done(
    table: Table,
    outputs: number,
  ): { train: MemorySource; validation?: MemorySource } | undefined;
}

/**
 * Starts a cache for a file whose header is `header`, of the columns `types`
 * names (the target's too), within `maxBytes`.
 *
 * @example
 * ```ts ignore
 * const cache = createTableCache(header, { types, target: "label", maxBytes: 64 << 20 });
 * for (const record of rows) cache.add(record, heldOut(row, split));
 * const sources = cache.done(table, outputs); // undefined when the rows did not fit
 * ```
 */
export function createTableCache(
  header: readonly string[],
  options: {
    types: Readonly<Record<string, "number" | "category" | "boolean" | "ignore">>;
    target: string;
    maxBytes: number;
  },
): TableCacheBuilder {
  const names = header.map((h) => h.trim());
  const fields = names.flatMap((name, i) =>
    options.types[name] && options.types[name] !== "ignore" ? [i] : []
  );
  const kinds = fields.map((f) => {
    const type = options.types[names[f]];
    if (f === names.indexOf(options.target)) return type === "number" ? "f64" : "u16";
    return type === "category" ? "u16" : "u8"; // numbers start as bytes, widened when they must
  });
  const columns: Column[] = kinds.map((kind) => ({ kind, chunks: [] }));
  const codes = fields.map(() => new Map<string, number>()); // first-seen order
  const held: Uint8Array[] = [];
  let rows = 0, bytes = 0, dropped = false;

  const widen = (column: Column): void => {
    column.chunks = column.chunks.map((chunk) =>
      Float64Array.from(chunk as Uint8Array, (v) => (v === MISSING_BYTE ? NaN : v))
    );
    bytes += column.chunks.length * CHUNK * 7;
    column.kind = "f64";
  };
  const code = (c: number, text: string): number => {
    const map = codes[c];
    let id = map.get(text);
    if (id === undefined) map.set(text, id = map.size);
    return id;
  };

  return {
    add(cells, heldOut) {
      if (dropped) return false;
      const at = rows & (CHUNK - 1);
      if (at === 0) {
        for (const column of columns) {
          const Type = column.kind === "u8"
            ? Uint8Array
            : column.kind === "f64"
            ? Float64Array
            : Uint16Array;
          column.chunks.push(new Type(CHUNK));
          bytes += CHUNK * Type.BYTES_PER_ELEMENT;
        }
        held.push(new Uint8Array(CHUNK));
        bytes += CHUNK;
        if (bytes > options.maxBytes) {
          dropped = true;
          columns.length = 0, held.length = 0;
          return false;
        }
      }
      const chunk = rows >>> 16;
      for (let c = 0; c < fields.length; c++) {
        const f = fields[c], column = columns[c];
        if (column.kind === "u16") {
          column.chunks[chunk][at] = cells.missing(f)
            ? MISSING_CODE
            : code(c, cells.text(f).trim());
          continue;
        }
        const type = options.types[names[f]];
        let value = type === "boolean" ? NaN : cells.number(f);
        if (Number.isNaN(value) && !cells.missing(f)) value = booleanValue(cells.text(f));
        if (column.kind === "u8") {
          if (value >= 0 && value < MISSING_BYTE && Number.isInteger(value)) {
            column.chunks[chunk][at] = value;
            continue;
          }
          if (Number.isNaN(value) && type === "boolean") {
            column.chunks[chunk][at] = MISSING_BYTE;
            continue;
          }
          widen(column);
        }
        column.chunks[chunk][at] = value;
      }
      held[chunk][at] = heldOut ? 1 : 0;
      rows++;
      return true;
    },
    done(table, outputs) {
      if (dropped) return undefined;
      const targetField = names.indexOf(options.target);
      const t = fields.indexOf(targetField);
      const features = table.columns.map((column) => fields.indexOf(names.indexOf(column.name)));
      // First-seen codes to the table's sorted order (-1: a value the table does not know).
      const remap = (c: number, values: readonly string[]) => {
        const order = new Int32Array(codes[c].size).fill(-1);
        for (const [text, id] of codes[c]) order[id] = values.indexOf(text);
        return order;
      };
      const maps = table.columns.map((column, i) =>
        column.type === "category" ? remap(features[i], column.values) : undefined
      );
      const classes = table.target.type === "classes" ? remap(t, table.target.classes) : undefined;
      let row = 0, chunk = 0, at = 0;
      const read = (c: number): number => columns[c].chunks[chunk][at];
      const cells: Cells & { category(column: number): number } = {
        missing(i) {
          const v = read(features[i]), kind = columns[features[i]].kind;
          return kind === "f64"
            ? Number.isNaN(v)
            : v === (kind === "u8" ? MISSING_BYTE : MISSING_CODE);
        },
        number: (i) => read(features[i]),
        text: (i) => (read(features[i]) === 1 ? "true" : "false"), // boolean columns only
        category: (i) => maps[i]![read(features[i])],
      };
      const inputs = tableInputs(table), target = { text: "", number: NaN };
      const encode = (order: Uint32Array, into: { x: Float32Array; t: Float32Array }): void => {
        for (let r = 0; r < order.length; r++) {
          row = order[r], chunk = row >>> 16, at = row & (CHUNK - 1);
          encodeRow(table, cells, into.x, r * inputs);
          const v = read(t);
          if (classes) {
            const k = classes[v];
            target.text = k >= 0 ? (table.target as { classes: readonly string[] }).classes[k] : "";
          } else target.number = v;
          encodeTarget(table, target, into.t, r * outputs, outputs);
        }
      };
      const part = (want: number): MemorySource | undefined => {
        const picked: number[] = [];
        for (let r = 0; r < rows; r++) if (held[r >>> 16][r & (CHUNK - 1)] === want) picked.push(r);
        if (picked.length === 0) return undefined;
        const index = Uint32Array.from(picked), local = new Uint32Array(CHUNK);
        return {
          kind: "memory",
          x: new Float32Array(0),
          y: new Float32Array(0),
          inputs,
          outputs,
          size: index.length,
          encodeRows(order, into) {
            const n = order.length, global = n <= CHUNK ? local.subarray(0, n) : new Uint32Array(n);
            for (let i = 0; i < n; i++) global[i] = index[order[i]];
            encode(global, into);
          },
        };
      };
      const train = part(0), validation = part(1);
      return train ? { train, ...(validation ? { validation } : {}) } : undefined;
    },
  };
}
