/**
 * A table's rows kept in memory in compact columns while the fit pass reads
 * them, so that epochs read memory instead of the file: whole numbers from
 * 0 to 255 (pixels, counts) and booleans take one byte, other numbers eight (exactly as read, so
 * rows encode bit for bit as the streamed file does), categories two. When
 * the rows outgrow the budget, the cache gives up and the file is streamed.
 * The byte columns are kept row by row, so that the pass and a shuffled
 * epoch read and write each row's bytes side by side.
 *
 * @module
 */
import type { MemorySource } from "./data_source.ts";
import { type Table, tableInputs } from "./table.ts";

const CHUNK = 1 << 12, SHIFT = 12, MISSING_BYTE = 0xff, MISSING_CODE = 0xffff;
const U8 = 0, F64 = 1, U16 = 2;

/** Fills a cache during the fit pass; `done` hands the rows to training once the table is known. */
export interface TableCacheBuilder {
  /**
   * Stores one row from its cells by header position (numbers and booleans,
   * NaN when missing; category and class ids, -1 when missing); false once
   * the budget is spent (the cache is dropped).
   */
  add(raw: Float64Array, heldOut: boolean): boolean;
  /**
   * The training and validation rows as in-memory sources for `outputs`
   * outputs; `vocabulary(field)` gives a column's texts in id order.
   */
  done(
    table: Table,
    outputs: number,
    vocabulary: (field: number) => readonly string[],
  ): { train: MemorySource; validation?: MemorySource } | undefined;
}

/**
 * Starts a cache for a file whose header is `header`, of the columns `types`
 * names (the target's too), within `maxBytes`.
 *
 * @example
 * ```ts ignore
 * const cache = createTableCache(header, { types, target: "label", maxBytes: 64 << 20 });
 * cache.add(fit.raw, heldOut(row, split)); // after each fit.add / fit.heldOut
 * const sources = cache.done(table, outputs, fit.vocabulary); // undefined when over the budget
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
  const names = header.map((h) => h.trim()), target = names.indexOf(options.target);
  const fields = names.flatMap((name, f) =>
    (options.types[name] ?? "ignore") === "ignore" ? [] : [f]
  );
  const kinds = Int8Array.from(fields, (f) => {
    const type = options.types[names[f]];
    if (f === target) return type === "number" ? F64 : U16;
    return type === "category" ? U16 : U8; // numbers start as bytes, widened when they must
  });
  // A missing boolean is 255 (booleans are 0 or 1); a number column that misses a cell widens.
  const booleans = Uint8Array.from(fields, (f) => Number(options.types[names[f]] === "boolean"));
  // Byte columns side by side in one block per chunk (a row's bytes are one cache line, in
  // the pass and in shuffled epochs); other columns in chunks per column, one list per
  // storage kind, so that every read site sees one array type.
  const byteAt = new Int32Array(fields.length).fill(-1);
  let width = 0;
  for (let c = 0; c < fields.length; c++) if (kinds[c] === U8) byteAt[c] = width++;
  const blocks: Uint8Array[] = [], f64: Float64Array[][] = fields.map(() => []);
  const u16: Uint16Array[][] = fields.map(() => []), held: Uint8Array[] = [];
  let rows = 0, bytes = 0, dropped = false;
  let block = new Uint8Array(0);
  const curF64: Float64Array[] = [], curU16: Uint16Array[] = [];

  /** A byte column that met another number: its bytes so far become eight-byte numbers. */
  const widen = (c: number): void => {
    const j = byteAt[c];
    f64[c] = blocks.map((rowsOfBytes) =>
      Float64Array.from({ length: CHUNK }, (_, i) => rowsOfBytes[i * width + j])
    );
    bytes += f64[c].length * CHUNK * 8;
    kinds[c] = F64;
    curF64[c] = f64[c].at(-1)!;
  };

  return {
    add(raw, heldOut) {
      if (dropped) return false;
      const at = rows & (CHUNK - 1), chunk = rows >>> SHIFT;
      if (at === 0) {
        blocks.push(block = new Uint8Array(CHUNK * width)), bytes += CHUNK * width;
        for (let c = 0; c < fields.length; c++) {
          if (kinds[c] === F64) {
            f64[c].push(curF64[c] = new Float64Array(CHUNK)), bytes += 8 * CHUNK;
          } else if (kinds[c] === U16) {
            u16[c].push(curU16[c] = new Uint16Array(CHUNK)), bytes += 2 * CHUNK;
          }
        }
        held.push(new Uint8Array(CHUNK)), bytes += CHUNK;
      }
      const base = at * width;
      for (let c = 0; c < fields.length; c++) {
        const v = raw[fields[c]], kind = kinds[c];
        if (kind === U8 && (v & 255) === v) block[base + byteAt[c]] = v; // a whole number 0..255
        else if (kind === U16) curU16[c][at] = v < 0 ? MISSING_CODE : v;
        else if (kind === U8 && booleans[c] === 1 && Number.isNaN(v)) {
          block[base + byteAt[c]] = MISSING_BYTE;
        } else {
          if (kind === U8) widen(c);
          curF64[c][at] = v;
        }
      }
      held[chunk][at] = heldOut ? 1 : 0;
      rows++;
      if (bytes > options.maxBytes) {
        dropped = true;
        blocks.length =
          f64.length =
          u16.length =
          held.length =
            0;
      }
      return !dropped;
    },
    done(table, outputs, vocabulary) {
      if (dropped) return undefined;
      const encode = rowEncoder(table, outputs, {
        fields,
        kinds,
        bytesByRow: { blocks, width, at: byteAt },
        f64,
        u16,
        names,
        vocabulary,
      });
      const inputs = tableInputs(table);
      const part = (want: number): MemorySource | undefined => {
        const picked: number[] = [];
        for (let r = 0; r < rows; r++) {
          if (held[r >>> SHIFT][r & (CHUNK - 1)] === want) picked.push(r);
        }
        if (picked.length === 0) return undefined;
        const index = Uint32Array.from(picked);
        return {
          kind: "memory",
          x: new Float32Array(0),
          y: new Float32Array(0),
          inputs,
          outputs,
          size: index.length,
          encodeRows(order, into) {
            for (let r = 0; r < order.length; r++) encode(index[order[r]], into, r);
          },
        };
      };
      const train = part(0), validation = part(1);
      return train ? { train, ...(validation ? { validation } : {}) } : undefined;
    },
  };
}

/** The byte columns of each chunk row by row: `blocks[chunk][row * width + at[column]]`. */
interface RowBytes {
  readonly blocks: Uint8Array[];
  readonly width: number;
  /** A column's place in a row, -1 for a column not stored as bytes. */
  readonly at: Int32Array;
}

/**
 * Encodes a stored row as `encodeRow` and `encodeTarget` encode the file's
 * (core/data/table.ts, the one definition of the encoding): the same
 * formulas, read from the compact columns without text.
 */
function rowEncoder(
  table: Table,
  outputs: number,
  store: {
    fields: readonly number[];
    kinds: Int8Array;
    bytesByRow: RowBytes;
    f64: Float64Array[][];
    u16: Uint16Array[][];
    names: readonly string[];
    vocabulary: (field: number) => readonly string[];
  },
): (row: number, into: { x: Float32Array; t: Float32Array }, at: number) => void {
  const { fields, kinds, f64, u16, names } = store;
  const { blocks, width, at: byteAt } = store.bytesByRow;
  const slot = (name: string) => fields.indexOf(names.indexOf(name));
  const columns = table.columns.map((column) => ({ column, c: slot(column.name) }));
  // First-seen ids to the table's sorted order; -1 for a value the table does not know.
  const remap = (c: number, values: readonly string[]) =>
    Int32Array.from(store.vocabulary(fields[c]), (text) => values.indexOf(text));
  const maps = columns.map(({ column, c }) =>
    column.type === "category" ? remap(c, column.values) : new Int32Array(0)
  );
  const inputs = tableInputs(table), t = slot(table.target.name), target = table.target;
  const classes = target.type === "classes" ? remap(t, target.classes) : new Int32Array(0);
  // A byte column's 256 possible inputs, encoded once: one table load per cell.
  const luts = columns.map(({ column, c }) => {
    if (column.type === "category" || kinds[c] !== U8) return new Float32Array(0);
    return Float32Array.from({ length: 256 }, (_, b) => {
      const v = b === MISSING_BYTE && column.type === "boolean" ? column.fill : b;
      return (v - column.center) / column.scale;
    });
  });
  // A column's place in a stored row of bytes, -1 when it is not a byte column.
  const bytePlace = Int32Array.from(
    columns,
    ({ column, c }) => column.type !== "category" && kinds[c] === U8 ? byteAt[c] : -1,
  );
  return (row, into, at) => {
    const chunk = row >>> SHIFT, i = row & (CHUNK - 1), x = into.x;
    const bytes = blocks[chunk], base = i * width;
    let o = at * inputs;
    for (let k = 0; k < columns.length; k++) {
      const place = bytePlace[k];
      if (place >= 0) {
        x[o++] = luts[k][bytes[base + place]];
        continue;
      }
      const { column, c } = columns[k];
      if (column.type === "category") {
        const width = column.values.length + (column.missing ? 2 : 1), id = u16[c][chunk][i];
        x.fill(0, o, o + width);
        const known = id === MISSING_CODE ? -2 : maps[k][id];
        const missingSlot = column.missing ? column.values.length : width - 1;
        x[o + (known >= 0 ? known : known === -2 ? missingSlot : width - 1)] = 1;
        o += width;
        continue;
      }
      const v = f64[c][chunk][i];
      x[o++] = ((Number.isNaN(v) ? column.fill : v) - column.center) / column.scale;
    }
    const tOut = into.t, tAt = at * outputs;
    if (target.type === "number") {
      tOut[tAt] = (f64[t][chunk][i] - target.center) / target.scale;
    } else {
      const k = classes[u16[t][chunk][i]];
      if (outputs === 1) tOut[tAt] = k;
      else tOut.fill(0, tAt, tAt + outputs)[tAt + k] = 1;
    }
  };
}
