/**
 * Run ids given to a store's `create` (a sweep picks its trials' run ids
 * before it creates the runs): checked where they enter, refused when taken.
 *
 * @module
 */
import * as v from "valibot";

const RunId = v.pipe(
  v.string(),
  v.regex(/^[A-Za-z0-9_-]{1,100}$/, "must be 1 to 100 letters, digits, - or _ (a UUID fits)"),
);

/**
 * Checks a run id given to `create`; throws a TypeError naming the fix.
 *
 * @example
 * ```ts
 * import { checkRunId } from "./run_id.ts";
 * checkRunId("0b7c9f4e-5a1d-4c2e-9f3a-2d6e8b1c4a70"); // the same id
 * ```
 */
export function checkRunId(id: unknown): string {
  const parsed = v.safeParse(RunId, id);
  if (!parsed.success) {
    throw new TypeError(`Invalid run id: ${parsed.issues[0].message}, got ${JSON.stringify(id)}`);
  }
  return parsed.output;
}

/**
 * The error of a `create` whose id another run has.
 *
 * @example
 * ```ts
 * import { takenRunId } from "./run_id.ts";
 * takenRunId("r1").message; // "Duplicate run id r1: another run has it; pass a new id or none"
 * ```
 */
export function takenRunId(id: string): TypeError {
  return new TypeError(`Duplicate run id ${id}: another run has it; pass a new id or none`);
}
