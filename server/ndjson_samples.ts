/**
 * The body of `POST /api/runs/:id/samples`: NDJSON, one `{"x":[...],"y":[...]}`
 * per line, checked whole before anything of it is used.
 *
 * @module
 */
import * as v from "valibot";
import { ApiError } from "./errors.ts";

/** Samples packed row by row, ready to post to a Worker (the buffers transfer). */
export interface PackedSamples {
  /** Features, `rows` x inputs. */
  readonly x: Float32Array<ArrayBuffer>;
  /** Targets, `rows` x outputs. */
  readonly y: Float32Array<ArrayBuffer>;
  readonly rows: number;
}

const finite = v.pipe(
  v.number("must be a number"),
  v.finite("must be finite"),
  // The Worker trains in float32: a larger double would become Infinity there and fail the run.
  v.check(
    (value) => Number.isFinite(Math.fround(value)),
    "must be within the float32 range (about ±3.4e38); scale the value down",
  ),
);

/**
 * The default most bytes of one samples body (8 MiB, about 100,000 samples
 * of a few features): a body is checked whole before it trains, so it is
 * held whole.
 *
 * @example
 * ```ts
 * import { DEFAULT_MAX_SAMPLES_BYTES } from "./ndjson_samples.ts";
 * DEFAULT_MAX_SAMPLES_BYTES; // 8388608
 * ```
 */
export const DEFAULT_MAX_SAMPLES_BYTES = 8 * 2 ** 20;

function sampleSchema(inputs: number, outputs: number) {
  const row = (n: number, what: string) =>
    v.pipe(
      v.array(finite, `must be an array of ${n} ${what}`),
      v.length(n, `must have ${n} numbers (the run's ${what})`),
    );
  return v.strictObject(
    { x: row(inputs, "inputs"), y: row(outputs, "targets") },
    (issue) =>
      issue.expected === "never"
        ? "unknown field: a sample has only x and y"
        : issue.received === "undefined"
        ? "is required"
        : 'must be an object {"x": [...], "y": [...]}',
  );
}

/** Packs checked lines into growing float32 rows; `finish` gives them. */
function sampleReader(widths: { inputs: number; outputs: number }) {
  const schema = sampleSchema(widths.inputs, widths.outputs);
  const fix =
    `send one {"x": [${widths.inputs} numbers], "y": [${widths.outputs} numbers]} per line`;
  let x = new Float32Array(64 * widths.inputs), y = new Float32Array(64 * widths.outputs);
  let rows = 0;
  const grow = (a: Float32Array<ArrayBuffer>, width: number) => {
    if ((rows + 1) * width <= a.length) return a;
    const bigger = new Float32Array(a.length * 2);
    bigger.set(a);
    return bigger;
  };
  return {
    /** Checks and packs line `line` (1-based); a blank one is skipped. */
    line(text: string, line: number): void {
      text = text.trim();
      if (text === "") return;
      let value: unknown;
      try {
        value = JSON.parse(text);
      } catch {
        throw new ApiError(400, "invalid_sample", `Line ${line} is not JSON; ${fix}`, { line });
      }
      const parsed = v.safeParse(schema, value);
      if (!parsed.success) {
        const issue = parsed.issues[0];
        const field = v.getDotPath(issue) ?? "(line)";
        throw new ApiError(
          400,
          "invalid_sample",
          `Line ${line}: ${field}: ${issue.message}; ${fix}. Nothing of this body was used`,
          { line, field },
        );
      }
      x = grow(x, widths.inputs), y = grow(y, widths.outputs);
      x.set(parsed.output.x, rows * widths.inputs);
      y.set(parsed.output.y, rows * widths.outputs);
      rows++;
    },
    finish(): PackedSamples {
      if (rows === 0) throw new ApiError(400, "no_samples", `The body holds no samples; ${fix}`);
      return {
        x: x.slice(0, rows * widths.inputs),
        y: y.slice(0, rows * widths.outputs),
        rows,
      };
    },
  };
}

/**
 * Parses an NDJSON body of samples for a run whose samples have `inputs`
 * features and `outputs` targets. Every line is checked before anything is
 * used: a bad one is a 400 `invalid_sample` naming its 1-based line, the
 * field and the fix, and no sample of the body is used. Numbers must be
 * finite and within the float32 range. Blank lines are skipped; a body
 * without samples is a 400 too.
 *
 * @example
 * ```ts
 * import { parseSamples } from "./ndjson_samples.ts";
 * const packed = parseSamples('{"x":[0,1],"y":[1]}\n{"x":[1,1],"y":[0]}\n', { inputs: 2, outputs: 1 });
 * packed.rows; // 2
 * ```
 */
export function parseSamples(
  body: string,
  widths: { inputs: number; outputs: number },
): PackedSamples {
  const reader = sampleReader(widths);
  body.split("\n").forEach((text, i) => reader.line(text, i + 1));
  return reader.finish();
}

function tooLarge(maxBytes: number): ApiError {
  const size = maxBytes >= 2 ** 20
    ? `${+(maxBytes / 2 ** 20).toFixed(1)} MiB (${maxBytes} bytes)`
    : `${maxBytes} bytes`;
  return new ApiError(
    413,
    "payload_too_large",
    `The samples body is over ${size}: split the samples into several POSTs of at most that size`,
    { maxBytes },
  );
}

/**
 * Reads a request's NDJSON body of samples line by line as it arrives, as
 * {@linkcode parseSamples} checks it, and refuses a body of more than
 * `maxBytes` (a 413 that says the limit and to split the samples), stopping
 * the read there: what it holds is at most the packed samples of `maxBytes`.
 *
 * @example
 * ```ts ignore
 * const samples = await readSamples(c.req.raw, run.config.dataset.live, { maxBytes: 8 << 20 });
 * ```
 */
export async function readSamples(
  request: Request,
  widths: { inputs: number; outputs: number },
  options: { maxBytes: number },
): Promise<PackedSamples> {
  const { maxBytes } = options;
  const declared = Number(request.headers.get("content-length") ?? NaN);
  if (declared > maxBytes) throw tooLarge(maxBytes);
  const reader = sampleReader(widths), decoder = new TextDecoder();
  let bytes = 0, line = 0, rest = "";
  const lines = (text: string) => {
    const parts = text.split("\n");
    rest = parts.pop()!;
    for (const part of parts) reader.line(part, ++line);
  };
  const chunks = request.body?.getReader();
  try {
    for (let read = await chunks?.read(); read && !read.done; read = await chunks!.read()) {
      bytes += read.value.byteLength;
      if (bytes > maxBytes) throw tooLarge(maxBytes);
      lines(rest + decoder.decode(read.value, { stream: true }));
    }
  } catch (error) {
    await chunks?.cancel().catch(() => {});
    throw error;
  }
  reader.line(rest + decoder.decode(), ++line);
  return reader.finish();
}
