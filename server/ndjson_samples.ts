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

const finite = v.pipe(v.number("must be a number"), v.finite("must be finite"));

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

/**
 * Parses an NDJSON body of samples for a run whose samples have `inputs`
 * features and `outputs` targets. Every line is checked before anything is
 * packed: a bad one is a 400 `invalid_sample` naming its 1-based line, the
 * field and the fix, and no sample of the body is used. Blank lines are
 * skipped; a body without samples is a 400 too.
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
  const schema = sampleSchema(widths.inputs, widths.outputs);
  const fix =
    `send one {"x": [${widths.inputs} numbers], "y": [${widths.outputs} numbers]} per line`;
  const samples: { x: number[]; y: number[] }[] = [];
  const lines = body.split("\n");
  for (let i = 0; i < lines.length; i++) {
    const text = lines[i].trim();
    if (text === "") continue;
    let value: unknown;
    try {
      value = JSON.parse(text);
    } catch {
      throw new ApiError(400, "invalid_sample", `Line ${i + 1} is not JSON; ${fix}`, {
        line: i + 1,
      });
    }
    const parsed = v.safeParse(schema, value);
    if (!parsed.success) {
      const issue = parsed.issues[0];
      const field = v.getDotPath(issue) ?? "(line)";
      throw new ApiError(
        400,
        "invalid_sample",
        `Line ${i + 1}: ${field}: ${issue.message}; ${fix}. Nothing of this body was used`,
        { line: i + 1, field },
      );
    }
    samples.push(parsed.output);
  }
  if (samples.length === 0) {
    throw new ApiError(400, "no_samples", `The body holds no samples; ${fix}`);
  }
  const x = new Float32Array(samples.length * widths.inputs);
  const y = new Float32Array(samples.length * widths.outputs);
  samples.forEach((s, r) => {
    x.set(s.x, r * widths.inputs);
    y.set(s.y, r * widths.outputs);
  });
  return { x, y, rows: samples.length };
}
