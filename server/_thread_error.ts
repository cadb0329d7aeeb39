/**
 * Errors crossing between the main thread and a training Worker as
 * `{ name, message }`, rebuilt on the other side as the same class, so that a
 * TypeError (bad shape or name) and a RangeError (out of range) stay what they
 * were. Internal to server/.
 *
 * @module
 */

/** An error as it crosses threads. */
export interface ErrorData {
  readonly name: string;
  readonly message: string;
}

type ErrorClass = new (message: string) => Error;

const BUILT_IN: Readonly<Record<string, ErrorClass>> = {
  Error,
  TypeError,
  RangeError,
  SyntaxError,
  ReferenceError,
  EvalError,
  URIError,
};

/** The name and message of `error` (anything thrown). */
export function errorData(error: unknown): ErrorData {
  return error instanceof Error
    ? { name: error.name, message: error.message }
    : { name: "Error", message: String(error) };
}

/**
 * An error of the class `data.name` names: a built-in one, one of
 * `Deno.errors` (e.g. NotFound), else an Error whose `name` is kept.
 */
export function errorFrom(data: ErrorData): Error {
  const denoErrors = Deno.errors as unknown as Record<string, ErrorClass | undefined>;
  const Class = Object.hasOwn(BUILT_IN, data.name)
    ? BUILT_IN[data.name]
    : Object.hasOwn(Deno.errors, data.name)
    ? denoErrors[data.name]!
    : undefined;
  if (Class) return new Class(data.message);
  const error = new Error(data.message);
  error.name = data.name;
  return error;
}
