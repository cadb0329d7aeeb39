/**
 * The one way every `deno task ...` command reports an error: `error: ...` on
 * stderr, and an exit code of 2 for bad usage or input, 1 for an unexpected
 * internal failure.
 *
 * @module
 */

/** Bad command-line input: the CLI prints the message and exits with code 2. */
export class UsageError extends Error {
  override name = "UsageError";
}

/** 2: bad usage or input (flags, config, files, data); 1: an unexpected internal failure. */
export type ErrorExitCode = 1 | 2;

/**
 * Whether `error` is bad usage or input rather than a bug: a
 * {@linkcode UsageError}; a TypeError (wrong shape or unknown name) or
 * RangeError (value out of range), which is how the project reports bad
 * configs, data and plugins; or a missing, forbidden or wrong-kind path, or a
 * port in use.
 *
 * @example
 * ```ts
 * import { isInputError, UsageError } from "./print_error.ts";
 * isInputError(new UsageError("--lr: must be a positive number")); // true
 * isInputError(new Error("worker crashed")); // false
 * ```
 */
export function isInputError(error: unknown): error is Error {
  return error instanceof UsageError || error instanceof TypeError ||
    error instanceof RangeError || error instanceof Deno.errors.NotFound ||
    error instanceof Deno.errors.PermissionDenied || error instanceof Deno.errors.NotCapable ||
    error instanceof Deno.errors.IsADirectory || error instanceof Deno.errors.NotADirectory ||
    error instanceof Deno.errors.AddrInUse;
}

/** Options of {@linkcode printError}. */
export interface PrintErrorOptions {
  /** Put before the message, e.g. `"--serve"` gives `error: --serve: ...`. */
  context?: string;
}

/**
 * Prints `error: <message>` with `err` (stderr by default) and returns the
 * exit code: 2 for bad usage or input ({@linkcode isInputError}), 1 for
 * anything else, whose stack trace follows the line for a bug report.
 * Commands end with `return printError(error)` from their `catch`.
 *
 * @example
 * ```ts
 * import { printError, UsageError } from "./print_error.ts";
 * const lines: string[] = [];
 * printError(new UsageError("--lr: must be a positive number"), (l) => lines.push(l)); // 2
 * lines; // ["error: --lr: must be a positive number"]
 * ```
 */
export function printError(
  error: unknown,
  err: (line: string) => void = (line) => console.error(line),
  options: PrintErrorOptions = {},
): ErrorExitCode {
  const message = error instanceof Error ? error.message : String(error);
  const context = options.context ? `${options.context}: ` : "";
  if (isInputError(error)) {
    err(`error: ${context}${message}`);
    return 2;
  }
  err(`error: ${context}${message} (an internal failure; please report it with this trace)`);
  const stack = error instanceof Error ? error.stack?.split("\n").slice(1).join("\n") : undefined;
  if (stack) err(stack);
  return 1;
}
