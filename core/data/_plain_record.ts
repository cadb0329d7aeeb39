/**
 * The CSV reader's fast lane: a record whose every field is a plain whole
 * number (pixels, counts, ids) is read in one loop over its bytes, numbers
 * and all, without noting where each field starts and ends. Anything else
 * (quotes, signs, dots, spaces, empty fields, leading zeros, a record cut by
 * the end of the chunk) leaves the record to the general reader, which
 * parses it from the same place: the lane only takes records whose fields
 * read the same both ways, `text` included (hence no leading zeros).
 *
 * @module
 */

const LF = 0x0a, CR = 0x0d, ZERO = 0x30;

/** Where {@linkcode plainRecord} puts a record it read. */
export interface PlainFields {
  /** The fields' values, in order; the lane takes no record with more fields than it holds. */
  values: Float64Array;
  /** Fields of the record last read. */
  count: number;
}

/** True when the lane can serve records split by `delimiter` (a digit delimiter would read as digits). */
export const plainLaneFits = (delimiter: number): boolean => delimiter < ZERO || delimiter > 0x39;

/**
 * Reads the record at `bytes[from..)` when every field is 1 to 15 digits
 * without a leading zero (`0` itself is fine) and the record ends in LF or
 * CRLF inside `bytes`. Returns the index after its line break, with the
 * values in `into`; or -1, leaving the record to the general reader.
 *
 * @example
 * ```ts ignore
 * const into = { values: new Float64Array(8), count: 0 };
 * plainRecord(new TextEncoder().encode("12,0,255\n"), 0, 0x2c, into); // 9; values 12, 0, 255
 * plainRecord(new TextEncoder().encode("12,-1\n"), 0, 0x2c, into); // -1: a sign
 * ```
 */
export function plainRecord(
  bytes: Uint8Array,
  from: number,
  delimiter: number,
  into: PlainFields,
): number {
  const n = bytes.length, values = into.values, room = values.length;
  let i = from, k = 0;
  for (;;) {
    if (k === room || i >= n) return -1;
    const start = i;
    let value = bytes[i] - ZERO, b = 0;
    if (value >>> 0 > 9) return -1; // an empty field, a sign, a quote, a space...
    for (i++; i < n; i++) {
      b = bytes[i];
      const d = b - ZERO;
      if (d >>> 0 > 9) break;
      value = value * 10 + d;
    }
    if (i++ >= n) return -1; // the record goes on in the next chunk
    const digits = i - 1 - start;
    if (digits > 15 || (digits > 1 && bytes[start] === ZERO)) return -1;
    values[k++] = value;
    if (b === delimiter) continue;
    if (b === LF) break;
    if (b !== CR || i >= n || bytes[i++] !== LF) return -1;
    break;
  }
  into.count = k;
  return i;
}
