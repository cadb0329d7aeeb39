import type { Sample, StreamSource } from "./data_source.ts";
import { readLines } from "./_read_lines.ts";

/** Options of {@linkcode fromNdjson}: which keys hold the features and the targets. */
export interface NdjsonOptions {
  /** Key of the features: an array of numbers, or one number (default `"x"`). */
  x?: string;
  /** Key of the targets: an array of numbers, or one number (default `"y"`). */
  y?: string;
}

const isInfinite = (v: unknown): boolean => typeof v === "number" && !Number.isFinite(v);

/** How a number too large for a float (JSON.parse made it ±Infinity) is written in `key` of `text`. */
function infiniteSource(text: string, key: string): string {
  const found: { holder: unknown; key: string; source: string }[] = [];
  const row = JSON.parse(text, function (k, v, context?: { source?: string }) {
    if (isInfinite(v)) found.push({ holder: this, key: k, source: context?.source ?? String(v) });
    return v;
  });
  const hit = found.find((f) => f.holder === row[key] || (f.holder === row && f.key === key));
  return hit?.source ?? "Infinity";
}

function numbers(value: unknown, key: string, line: number, text: string): number[] | number {
  if (typeof value === "number" && Number.isFinite(value)) return value;
  if (Array.isArray(value) && value.every((v) => typeof v === "number" && Number.isFinite(v))) {
    return value;
  }
  if (isInfinite(value) || (Array.isArray(value) && value.some(isInfinite))) {
    throw new RangeError(
      `Invalid NDJSON: line ${line}, key "${key}": value ${
        infiniteSource(text, key)
      } is not a finite number; fix or remove the line`,
    );
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
  let line = 0, first: { line: number; x: number; y: number } | undefined;
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
    const xv = numbers(record[xKey], xKey, line, text), y = numbers(record[yKey], yKey, line, text);
    const x = typeof xv === "number" ? [xv] : xv, ny = typeof y === "number" ? 1 : y.length;
    first ??= { line, x: x.length, y: ny };
    // Checked here, where the line is known, rather than by the trainer after shuffling.
    if (x.length !== first.x || ny !== first.y) {
      throw new TypeError(
        `Invalid NDJSON: line ${line} has ${x.length} features and ${ny} targets but line ${first.line} has ${first.x} and ${first.y}; every line needs the same widths`,
      );
    }
    yield { x, y };
  }
}

/**
 * Reads newline-delimited JSON, one object per line such as
 * `{"x": [0.1, 0.2], "y": [1]}`, one line at a time (bounded memory). A bad
 * line (not JSON, a value that is not a finite number, other widths than the
 * first line's) is an error naming its number; blank lines are passed over.
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
