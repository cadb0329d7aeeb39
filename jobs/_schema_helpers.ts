// Valibot pieces whose messages say what is wrong and how to fix it.
import * as v from "valibot";

export { strict } from "../core/math/spec.ts";

/** A finite number greater than 0. */
export const positive = v.pipe(
  v.number("must be a number"),
  v.finite("must be a finite number"),
  v.gtValue(0, "must be a positive number"),
);

/** A whole number of at least 1. */
export const count = v.pipe(
  v.number("must be a number"),
  v.integer("must be a whole number"),
  v.minValue(1, "must be at least 1"),
);

/** A finite number of at least 0. */
export const nonNegative = v.pipe(
  v.number("must be a number"),
  v.finite("must be a finite number"),
  v.minValue(0, "must be 0 or more"),
);

/** A non-empty string. */
export const text = v.pipe(v.string("must be a string"), v.nonEmpty("must not be empty"));

/** True for a plain object (not null, not an array). */
export const isObject = (x: unknown): x is Record<string, unknown> =>
  typeof x === "object" && x !== null && !Array.isArray(x);

/** The message of an issue from a schema without one of its own (valibot's generic ones, core's). */
export function fallbackMessage(issue: v.BaseIssue<unknown>): string {
  if (issue.expected === "never") return "unknown field: remove it";
  if (issue.kind === "schema" && issue.received === "undefined") return "is required";
  return `must be ${issue.expected}, got ${issue.received}`;
}
