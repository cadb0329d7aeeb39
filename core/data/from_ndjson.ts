import type { Sample, StreamSource } from "./data_source.ts";
import { readLines } from "./_read_lines.ts";

/** Options of {@linkcode fromNdjson}: which keys hold the features and the targets. */
export interface NdjsonOptions {
  /** Key of the features: an array of numbers, or one number (default `"x"`). */
  x?: string;
  /** Key of the targets: an array of numbers, or one number (default `"y"`). */
  y?: string;
}

function numbers(value: unknown, key: string, line: number): number[] | number {
  if (typeof value === "number" && Number.isFinite(value)) return value;
  if (Array.isArray(value) && value.every((v) => typeof v === "number" && Number.isFinite(v))) {
    return value;
  }
  throw new TypeError(
    `Invalid NDJSON: line ${line}, key "${key}" is ${
      value === undefined ? "missing" : JSON.stringify(value)
    }; it must be a number or an array of finite numbers`,
  );
}

async function* samples(
  lines: AsyncIterable<string>,
  xKey: string,
  yKey: string,
): AsyncGenerator<Sample, void, undefined> {
  let line = 0;
  for await (const text of lines) {
    line++;
    if (text.trim() === "") continue;
    let row: unknown;
    try {
      row = JSON.parse(text);
    } catch (e) {
      throw new TypeError(`Invalid NDJSON: line ${line} is not JSON (${(e as Error).message})`);
    }
    if (typeof row !== "object" || row === null) {
      throw new TypeError(
        `Invalid NDJSON: line ${line} is not an object with "${xKey}" and "${yKey}"`,
      );
    }
    const record = row as Record<string, unknown>;
    const x = numbers(record[xKey], xKey, line);
    yield { x: typeof x === "number" ? [x] : x, y: numbers(record[yKey], yKey, line) };
  }
}

/**
 * Reads newline-delimited JSON, one object per line such as
 * `{"x": [0.1, 0.2], "y": [1]}`, one line at a time (bounded memory). A bad
 * line is an error naming its number; blank lines are passed over.
 *
 * @example
 * ```ts
 * import { fromNdjson } from "./from_ndjson.ts";
 * const text = '{"x":[0,1],"y":1}\n{"x":[1,1],"y":0}\n';
 * const source = fromNdjson(() => new Blob([text]).stream(), { x: "x", y: "y" });
 * ```
 */
export function fromNdjson(
  open: () => ReadableStream<Uint8Array>,
  options: NdjsonOptions = {},
): StreamSource {
  const xKey = options.x ?? "x", yKey = options.y ?? "y";
  return {
    kind: "stream",
    name: "ndjson",
    open: (signal) => samples(readLines(open(), signal), xKey, yKey),
  };
}
