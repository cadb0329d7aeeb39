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
import {
  type BooleanColumn,
  columnWidth,
  type NumberColumn,
  type Table,
  tableInputs,
} from "./table.ts";

const CHUNK = 1 << 12, SHIFT = 12, MISSING_BYTE = 0xff, MISSING_CODE = 0xffff;
const U8 = 0, F64 = 1, U16 = 2;

/** Fills a cache during the fit pass; `done` hands the rows to training once the table is known. */
export interface TableCacheBuilder {
  /**
   * Stores one row from its cells by header position (numbers and booleans,
   * NaN when missing; category and class ids, -1 when missing); false once
   * the budget is spent (the cache is dropped). `rawBytes`: every number
   * of the row is a whole number 0..255 (as the fit found).
   */
  add(raw: Float64Array, heldOut: boolean, rawBytes?: boolean): boolean;
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
  // The byte columns' fields, in their order in a row: most rows are all bytes, copied in one loop.
  let byteFields = Int32Array.from(fields.filter((_, c) => kinds[c] === U8));
  // Byte columns that are numbers (no booleans), side by side in the header: one copy per row.
  let numbersInRow = byteFields.length > 0 &&
    byteFields.every((f, j) => f === byteFields[0] + j && booleans[fields.indexOf(f)] === 0);
  const others = Int32Array.from(fields.flatMap((_, c) => kinds[c] === U8 ? [] : [c]));
  /** Stores column `c` of a row. */
  const put = (raw: Float64Array, c: number, base: number, at: number): void => {
    const v = raw[fields[c]], kind = kinds[c];
    if (kind === U8 && (v & 255) === v) block[base + byteAt[c]] = v; // a whole number 0..255
    else if (kind === U16) curU16[c][at] = v < 0 ? MISSING_CODE : v;
    else if (kind === U8 && booleans[c] === 1 && Number.isNaN(v)) {
      block[base + byteAt[c]] = MISSING_BYTE;
    } else {
      if (kind === U8) widen(c);
      curF64[c][at] = v;
    }
  };

  /** A byte column that met another number: its bytes so far become eight-byte numbers. */
  const widen = (c: number): void => {
    const j = byteAt[c];
    f64[c] = blocks.map((rowsOfBytes) =>
      Float64Array.from({ length: CHUNK }, (_, i) => rowsOfBytes[i * width + j])
    );
    bytes += f64[c].length * CHUNK * 8;
    kinds[c] = F64;
    curF64[c] = f64[c].at(-1)!;
    byteFields = new Int32Array(0), numbersInRow = false; // the row loop serves every row now
  };

  return {
    add(raw, heldOut, rawBytes = false) {
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
      const base = at * width, nBytes = byteFields.length;
      let j = 0;
      if (rawBytes && numbersInRow) { // whole numbers 0..255 in a row: copied in one call
        block.set(raw.subarray(byteFields[0], byteFields[0] + nBytes), base), j = nBytes;
      }
      for (; j < nBytes; j++) {
        const v = raw[byteFields[j]];
        if ((v & 255) !== v) break;
        block[base + j] = v;
      }
      if (nBytes > 0 && j === nBytes) { // every byte column stored above
        for (let r = 0; r < others.length; r++) put(raw, others[r], base, at);
      } else for (let c = 0; c < fields.length; c++) put(raw, c, base, at);
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
  // Each column's first input in a row; byte columns apart, read in one loop over the row.
  const offsets = new Int32Array(columns.length);
  for (let k = 1; k < columns.length; k++) {
    offsets[k] = offsets[k - 1] + columnWidth(columns[k - 1].column);
  }
  const isByte = ({ column, c }: typeof columns[number]) =>
    column.type !== "category" && kinds[c] === U8;
  const byteCols = columns.filter(isByte),
    rest = columns.flatMap((_, k) => isByte(columns[k]) ? [] : [k]);
  const from = Int32Array.from(byteCols, ({ c }) => byteAt[c]);
  const to = Int32Array.from(byteCols, (col) => offsets[columns.indexOf(col)]);
  // Number byte columns that are the first inputs, stored in the same order (images): one
  // plain loop of the formula itself (a table lookup per cell misses the cache on shuffled rows),
  // a multiply by 1 / scale where it rounds as the division does (exactInverses).
  const n = from.length,
    inOrder = from.every((f, j) => f === j && to[j] === j) &&
      byteCols.every(({ column }) => column.type === "number");
  const centers = Float64Array.from(byteCols, ({ column }) => (column as NumberColumn).center);
  const scales = Float64Array.from(byteCols, ({ column }) => (column as NumberColumn).scale);
  const { inverses, divided } = exactInverses(centers, scales);
  // A byte column's 256 possible inputs, encoded once (256 per column, in one array).
  const lut = new Float32Array(byteCols.length * 256);
  byteCols.forEach(({ column }, j) => {
    const { center, scale, fill } = column as NumberColumn | BooleanColumn;
    for (let b = 0; b < 256; b++) {
      const v = b === MISSING_BYTE && column.type === "boolean" ? fill : b;
      lut[j * 256 + b] = (v - center) / scale;
    }
  });
  return (row, into, at) => {
    const chunk = row >>> SHIFT, i = row & (CHUNK - 1), x = into.x;
    const bytes = blocks[chunk], base = i * width, start = at * inputs;
    if (inOrder) {
      for (let j = 0; j < n; j++) x[start + j] = (bytes[base + j] - centers[j]) * inverses[j];
      for (let k = 0; k < divided.length; k++) {
        const j = divided[k];
        x[start + j] = (bytes[base + j] - centers[j]) / scales[j];
      }
    } else for (let j = 0; j < n; j++) x[start + to[j]] = lut[(j << 8) | bytes[base + from[j]]];
    for (let r = 0; r < rest.length; r++) {
      const k = rest[r];
      const o = start + offsets[k], { column, c } = columns[k];
      if (column.type === "category") {
        const width = column.values.length + (column.missing ? 2 : 1), id = u16[c][chunk][i];
        x.fill(0, o, o + width);
        const known = id === MISSING_CODE ? -2 : maps[k][id];
        const missingSlot = column.missing ? column.values.length : width - 1;
        x[o + (known >= 0 ? known : known === -2 ? missingSlot : width - 1)] = 1;
        continue;
      }
      const v = f64[c][chunk][i];
      x[o] = ((Number.isNaN(v) ? column.fill : v) - column.center) / column.scale;
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

/**
 * Each column's `1 / scale`, for byte columns: `(b - center) * (1 / scale)`
 * rounds to the same float32 as `(b - center) / scale` for most columns and
 * all 256 bytes (a multiply costs a fraction of a divide); `divided` lists
 * the columns where some byte does not, which keep the division.
 */
function exactInverses(
  centers: Float64Array,
  scales: Float64Array,
): { inverses: Float64Array; divided: Int32Array } {
  const inverses = scales.map((s) => 1 / s), divided: number[] = [];
  for (let j = 0; j < scales.length; j++) {
    for (let b = 0; b < 256; b++) {
      const d = b - centers[j];
      if (Math.fround(d * inverses[j]) !== Math.fround(d / scales[j])) {
        divided.push(j);
        break;
      }
    }
  }
  return { inverses, divided: Int32Array.from(divided) };
}
