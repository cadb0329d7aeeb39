// Checks a /predict body with valibot and packs its rows into one float32
// matrix. The outer shape goes through valibot schemas; each row is checked
// by one custom action with a tight loop, because a schema per number costs
// more CPU than the prediction itself on wide inputs (edge plans bill CPU ms).
// No schema here walks into a value (a row's values are looked at one level
// deep), and messages quote the client's keys and values cut short (_quote.ts):
// a body nested thousands of levels deep or holding a 5 MB string gets a short 400.
import * as v from "valibot";
import type { Mat } from "../core/math/types.ts";
import { HttpError } from "./_http.ts";
import { clip, describeValue } from "./_quote.ts";

const EXAMPLE = 'send {"inputs": [[...numbers], ...]}';

function objectMessage(issue: v.BaseIssue<unknown>): string {
  if (issue.expected === "never") return `unknown key: remove it; ${EXAMPLE}`;
  if (issue.expected?.startsWith('"')) return `missing: ${EXAMPLE}`;
  return `must be a JSON object, got ${describeValue(issue.input)}: ${EXAMPLE}`;
}

/** Whether every value of `row` is a number float32 can hold. */
function isRow(row: unknown, width: number): row is number[] {
  if (!Array.isArray(row) || row.length !== width) return false;
  for (let j = 0; j < width; j++) {
    const x = row[j];
    if (typeof x !== "number" || !Number.isFinite(Math.fround(x))) return false;
  }
  return true;
}

function rowProblem(row: unknown, width: number): string {
  if (!Array.isArray(row)) {
    return `must be an array of ${width} numbers, got ${row === null ? "null" : typeof row}`;
  }
  if (row.length !== width) {
    return `has ${row.length} values but the model takes ${width}: send rows of exactly ${width} numbers`;
  }
  const j = row.findIndex((x) => typeof x !== "number" || !Number.isFinite(Math.fround(x)));
  return `value ${j} is ${
    describeValue(row[j])
  }: every value must be a finite number within the float32 range`;
}

function bodySchema(maxRows: number) {
  return v.strictObject({
    inputs: v.pipe(
      v.array(v.unknown(), `must be an array of rows: ${EXAMPLE}`),
      v.minLength(1, "must hold at least one row"),
      v.maxLength(
        maxRows,
        (i) => `has ${i.received} rows, more than the ${maxRows} allowed: split the batch`,
      ),
    ),
  }, objectMessage);
}

function rowsSchema(width: number) {
  return v.array(
    v.custom<number[]>((row) => isRow(row, width), (issue) => rowProblem(issue.input, width)),
  );
}

/** The schemas for one model: built once, reused for every request. */
export interface InputsParser {
  (body: unknown): Mat;
}

function describe(issues: readonly v.BaseIssue<unknown>[], prefix: string): string {
  // Keys in the path are the client's: an unknown key may be megabytes long.
  const lines = issues.slice(0, 3).map((i) =>
    `${clip(prefix + (v.getDotPath(i) ?? ""))}: ${i.message}`
  );
  const more = issues.length > 3 ? `; and ${issues.length - 3} more rows` : "";
  return lines.join("; ") + more;
}

/**
 * Builds the parser of `{ "inputs": number[][] }` bodies for a model taking
 * `width` values per row. It throws an HttpError: 413 `too_many_rows` past
 * `maxRows`, 400 `invalid_inputs` naming the field otherwise.
 */
export function createInputsParser(width: number, maxRows: number): InputsParser {
  const body = bodySchema(maxRows), rows = rowsSchema(width);
  return (input) => {
    if (typeof input !== "object" || input === null || Array.isArray(input)) {
      const kind = Array.isArray(input) ? "an array" : input === null ? "null" : typeof input;
      throw new HttpError(
        400,
        "invalid_inputs",
        `Body must be a JSON object, got ${kind}: ${EXAMPLE}`,
      );
    }
    const outer = v.safeParse(body, input);
    if (!outer.success) {
      const tooMany = outer.issues.some((i) => i.type === "max_length");
      throw new HttpError(
        tooMany ? 413 : 400,
        tooMany ? "too_many_rows" : "invalid_inputs",
        describe(outer.issues, ""),
      );
    }
    const list = outer.output.inputs;
    const inner = v.safeParse(rows, list);
    if (!inner.success) {
      throw new HttpError(400, "invalid_inputs", describe(inner.issues, "inputs."));
    }
    const data = new Float32Array(list.length * width);
    for (let i = 0; i < list.length; i++) data.set(list[i] as number[], i * width);
    return { data, rows: list.length, cols: width };
  };
}
