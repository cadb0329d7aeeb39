/**
 * A byte-level CSV reader: RFC 4180 fields (quotes, `""`, line breaks inside
 * quotes), a UTF-8 byte-order mark, LF or CRLF, read straight from the bytes
 * of a stream. Numbers are parsed from the bytes too, strictly: no per-line
 * strings, no `split`, no `Number()` on text for ordinary values.
 *
 * @module
 */

/** One record, valid only during the callback that receives it (the reader reuses it). */
export interface CsvRecord {
  /** Line the record starts on, 1-based (the header is line 1). */
  readonly line: number;
  /** Number of fields. */
  readonly length: number;
  /** The field's text: UTF-8 decoded, quotes removed, `""` read as `"`. */
  text(field: number): string;
  /**
   * The field as a strict decimal number (`12`, `-0.5`, `.5`, `1e-3`, spaces
   * around it allowed), or NaN for anything else: hex, `_`, words, several
   * numbers, and values beyond float64's range (`1e400`).
   */
  number(field: number): number;
  /** True for a missing value: an empty field or NA, N/A, NaN, null, ? (any case), spaces aside. */
  missing(field: number): boolean;
  /** `number` of each of `fields` into `out`, in one call: for hot loops over many columns. */
  numbers(fields: Int32Array, out: Float64Array): void;
  /**
   * Every field's number, when every field is a plain whole number (digits
   * only, no leading zero): `text` gives each as `String` writes it. Else undefined.
   */
  values(): Float64Array | undefined;
}

/** Options of {@linkcode createCsvReader}. */
export interface CsvReaderOptions {
  /** Field separator, one ASCII character (default `","`). */
  delimiter?: string;
  /** Longest record in bytes (default 1 MiB): a stray quote must not swallow the file. */
  maxRecordBytes?: number;
}

/** Feeds bytes in, calls `onRecord` for every complete record. */
export interface CsvReader {
  /** Parses a chunk; records completed by it reach `onRecord` before `push` returns. */
  push(chunk: Uint8Array): void;
  /** Ends the input: parses the last record (with or without a final line break). */
  end(): void;
}

import { plainLaneFits, plainRecord } from "./_plain_record.ts";
import { parseNumber } from "./parse_number.ts";

export { parseNumber };

/** The texts of 0..1023, made once: the fast lane's cells are mostly small whole numbers. */
const DIGITS = Array.from({ length: 1024 }, (_, i) => String(i));
const QUOTE = 0x22, LF = 0x0a, CR = 0x0d, SPACE = 0x20, TAB = 0x09;

function csvError(line: number, what: string): TypeError {
  return new TypeError(`Invalid CSV: line ${line} ${what}`);
}

/**
 * Checks the delimiter option: one ASCII character other than a quote or a
 * line break. Returns its byte.
 */
export function delimiterByte(delimiter = ","): number {
  const code = delimiter.charCodeAt(0);
  if (delimiter.length !== 1 || code > 0x7f || code === QUOTE || code === LF || code === CR) {
    throw new TypeError(
      `Invalid delimiter: ${JSON.stringify(delimiter)}; use one character such as "," ";" or "\\t"`,
    );
  }
  return code;
}

const lower = (b: number) => (b >= 0x41 && b <= 0x5a ? b + 32 : b);
const MISSING = ["na", "n/a", "nan", "null", "?"].map((w) => [...w].map((c) => c.charCodeAt(0)));

function isMissing(bytes: Uint8Array, from: number, to: number): boolean {
  while (from < to && (bytes[from] === SPACE || bytes[from] === TAB)) from++;
  while (to > from && (bytes[to - 1] === SPACE || bytes[to - 1] === TAB)) to--;
  const n = to - from;
  if (n === 0) return true;
  if (n > 4) return false;
  outer: for (const word of MISSING) {
    if (word.length !== n) continue;
    for (let k = 0; k < n; k++) if (lower(bytes[from + k]) !== word[k]) continue outer;
    return true;
  }
  return false;
}

/**
 * A short ASCII cell as a string without the decoder (most cells of a table
 * are short words and numbers); undefined for a long cell or any other byte.
 */
function shortAscii(bytes: Uint8Array, start: number, end: number): string | undefined {
  if (end - start > 24) return undefined;
  let text = "";
  for (let i = start; i < end; i++) {
    const b = bytes[i];
    if (b >= 0x80) return undefined;
    text += String.fromCharCode(b);
  }
  return text;
}

/**
 * A push parser: give it the bytes of a CSV file in chunks of any size, and
 * it calls `onRecord` once per record (empty lines hold no record). A bad
 * record (a quote inside an unquoted field, text after a closing quote, a
 * quote never closed, a record over `maxRecordBytes`) is a TypeError naming
 * its line.
 *
 * @example
 * ```ts
 * import { createCsvReader } from "./csv_reader.ts";
 * const rows: number[][] = [];
 * const reader = createCsvReader((r) => rows.push([r.number(0), r.number(1)]));
 * reader.push(new TextEncoder().encode("1,2.5\n3,"));
 * reader.push(new TextEncoder().encode("4e1\n"));
 * reader.end(); // rows: [[1, 2.5], [3, 40]]
 * ```
 */
export function createCsvReader(
  onRecord: (record: CsvRecord) => void,
  options: CsvReaderOptions = {},
): CsvReader {
  const delimiter = delimiterByte(options.delimiter);
  const maxRecord = options.maxRecordBytes ?? 1 << 20;
  const decoder = new TextDecoder();
  let buf: Uint8Array = new Uint8Array(0), work = new Uint8Array(0);
  let starts = new Int32Array(64), ends = new Int32Array(64);
  let quoted = new Uint8Array(64); // 1: quoted, 2: quoted with "" inside
  let count = 0, line = 1, recordLine = 1, first = true;
  // A record of plain whole numbers is read by the fast lane: `plain` says the record is one.
  const lane = { values: new Float64Array(64), count: 0 }, fast = plainLaneFits(delimiter);
  let plain = false;
  const record: CsvRecord = {
    get line() {
      return recordLine;
    },
    get length() {
      return count;
    },
    text(f) {
      if (plain) {
        const v = lane.values[f];
        return v < 1024 ? DIGITS[v | 0] : String(v);
      }
      const text = shortAscii(buf, starts[f], ends[f]) ??
        decoder.decode(buf.subarray(starts[f], ends[f]));
      return quoted[f] === 2 ? text.replaceAll('""', '"') : text;
    },
    number: (f) =>
      plain ? lane.values[f] : quoted[f] === 2 ? NaN : parseNumber(buf, starts[f], ends[f]),
    missing: (f) => !plain && quoted[f] === 0 && isMissing(buf, starts[f], ends[f]),
    values: () => plain ? lane.values.subarray(0, count) : undefined,
    numbers(fields, out) {
      if (plain) {
        const values = lane.values;
        for (let k = 0; k < fields.length; k++) out[k] = values[fields[k]];
        return;
      }
      const bytes = buf, s = starts, e = ends, q = quoted;
      for (let k = 0; k < fields.length; k++) {
        const f = fields[k];
        out[k] = q[f] === 2 ? NaN : parseNumber(bytes, s[f], e[f]);
      }
    },
  };
  const grow = (): void => {
    const more = (a: Int32Array) => {
      const b = new Int32Array(a.length * 2);
      b.set(a);
      return b;
    };
    starts = more(starts), ends = more(ends);
    lane.values = new Float64Array(starts.length);
    const q = new Uint8Array(quoted.length * 2);
    q.set(quoted);
    quoted = q;
  };
  // Bytes that end an unquoted field's plain run: one table load per byte.
  const special = new Uint8Array(256);
  for (const b of [delimiter, LF, CR, QUOTE]) special[b] = 1;
  const crOnly = (line: number) =>
    csvError(
      line,
      "has a CR without LF: the file seems to use CR-only line endings; convert it to LF or CRLF",
    );

  /**
   * Parses every complete record of `buf`; returns where the unfinished one
   * starts. `final`: the input has ended, so the last record is complete.
   */
  const parse = (final: boolean): number => {
    const n = buf.length, bytes = buf;
    let i = 0;
    if (first) {
      if (n < 3 && !final) return 0;
      first = false;
      if (bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf) i = 3;
    }
    for (;;) {
      const recordStart = i;
      if (i >= n) return n;
      if (bytes[i] === LF) { // an empty line holds no record
        i++, line++;
        continue;
      }
      if (bytes[i] === CR) {
        if (i + 1 >= n && !final) return recordStart;
        if (bytes[i + 1] === LF) {
          i += 2, line++;
          continue;
        }
      }
      if (fast) {
        const next = plainRecord(bytes, i, delimiter, lane);
        if (next >= 0) {
          plain = true, count = lane.count, recordLine = line++, i = next;
          onRecord(record);
          continue;
        }
        plain = false;
      }
      count = 0;
      let lines = 0;
      for (;;) {
        if (count === starts.length) grow();
        if (i < n && bytes[i] === QUOTE) {
          const start = ++i;
          let q = 1;
          for (;;) {
            while (i < n && bytes[i] !== QUOTE) if (bytes[i++] === LF) lines++;
            if (i >= n) {
              if (final) {
                throw csvError(
                  line,
                  "opens a quoted field that is never closed; check for a stray quote",
                );
              }
              return recordStart;
            }
            if (i + 1 >= n && !final) return recordStart; // is it "" or the end?
            if (bytes[i + 1] !== QUOTE) break;
            q = 2, i += 2;
          }
          starts[count] = start, ends[count] = i++, quoted[count++] = q;
          if (i < n && (special[bytes[i]] === 0 || bytes[i] === QUOTE)) {
            throw csvError(
              line,
              'has text after a closing quote; quote the whole field and write a quote inside it as ""',
            );
          }
        } else {
          const start = i;
          while (i < n && special[bytes[i]] === 0) i++;
          if (i >= n) {
            if (!final) return recordStart;
          } else if (bytes[i] === QUOTE) {
            throw csvError(
              line,
              'has a quote inside an unquoted field; quote the whole field and write a quote inside it as ""',
            );
          }
          starts[count] = start, ends[count] = i, quoted[count++] = 0;
        }
        if (i >= n) {
          if (!final) return recordStart;
          break;
        }
        const b = bytes[i];
        if (b === delimiter) {
          i++;
          continue;
        }
        if (b === CR) {
          if (i + 1 >= n) {
            if (!final) return recordStart;
            i++;
            break;
          }
          if (bytes[i + 1] !== LF) throw crOnly(line);
          i++;
        }
        i++, lines++; // the LF
        break;
      }
      recordLine = line;
      line += lines;
      onRecord(record);
    }
  };

  return {
    push(chunk) {
      if (chunk.length === 0) return;
      if (buf.length === 0) buf = chunk;
      else {
        // The unfinished record and the chunk, in one reused buffer: a new array per chunk
        // would leave a chunk's worth of garbage behind every 64 KiB read.
        const size = buf.length + chunk.length;
        if (work.length < size) work = new Uint8Array(Math.max(size, 2 * work.length));
        if (buf.buffer !== work.buffer) work.set(buf);
        else work.copyWithin(0, buf.byteOffset, buf.byteOffset + buf.length);
        work.set(chunk, buf.length);
        buf = work.subarray(0, size);
      }
      const rest = parse(false);
      buf = rest >= buf.length ? new Uint8Array(0) : buf.subarray(rest);
      if (buf.length > maxRecord) {
        throw csvError(
          line,
          `is longer than ${maxRecord} bytes: check for a stray quote or a missing line break`,
        );
      }
    },
    end() {
      if (buf.length > 0) parse(true);
      buf = new Uint8Array(0);
    },
  };
}

/**
 * Feeds `bytes` to `reader` chunk by chunk and yields what its callback left
 * in `pending` after each chunk, so memory holds one chunk's items at most. A
 * bad record throws after the items before it are yielded, as a line-by-line
 * reader would.
 *
 * @example
 * ```ts ignore
 * const pending: string[] = [];
 * const reader = createCsvReader((r) => pending.push(r.text(0)));
 * for await (const first of drainCsv(stream, reader, pending)) console.log(first);
 * ```
 */
export async function* drainCsv<T>(
  bytes: AsyncIterable<Uint8Array>,
  reader: Pick<CsvReader, "push" | "end">,
  pending: T[],
): AsyncGenerator<T, void, undefined> {
  let failure: unknown;
  for await (const chunk of bytes) {
    try {
      reader.push(chunk);
    } catch (error) {
      failure = error;
    }
    for (let i = 0; i < pending.length; i++) yield pending[i];
    pending.length = 0;
    if (failure) throw failure;
  }
  try {
    reader.end();
  } catch (error) {
    failure = error;
  }
  for (let i = 0; i < pending.length; i++) yield pending[i];
  pending.length = 0;
  if (failure) throw failure;
}
