/**
 * One error shape for every response the server refuses or fails:
 * `{ error: { code, message, ...details } }`, from routes, middleware,
 * unknown paths and uncaught exceptions alike.
 *
 * @module
 */
import type { Context, ErrorHandler, NotFoundHandler } from "hono";
import { HTTPException } from "hono/http-exception";
import type { ContentfulStatusCode } from "hono/utils/http-status";

/** The JSON body of every error response. */
export interface ErrorBody {
  error: { code: string; message: string; [detail: string]: unknown };
}

/**
 * An HTTP error with a stable machine-readable `code` and a message that
 * names the field and the fix. Throw it from a route or middleware; the
 * server's error handler turns it into JSON.
 *
 * @example
 * ```ts
 * import { ApiError } from "./errors.ts";
 * const e = new ApiError(404, "run_not_found", "No run with id x: list runs with GET /api/runs");
 * e.status; // 404
 * ```
 */
export class ApiError extends HTTPException {
  override name = "ApiError";
  /** Stable machine-readable code, e.g. `"invalid_config"`. */
  readonly code: string;
  /** Extra fields for the error body, e.g. `issues`. */
  readonly details: Record<string, unknown>;

  constructor(
    status: ContentfulStatusCode,
    code: string,
    message: string,
    details: Record<string, unknown> = {},
  ) {
    super(status, { message });
    this.code = code;
    this.details = details;
  }
}

const CODES: Record<number, string> = {
  400: "bad_request",
  401: "unauthorized",
  403: "forbidden",
  404: "not_found",
  405: "method_not_allowed",
  409: "conflict",
  413: "payload_too_large",
  415: "unsupported_media_type",
  503: "unavailable",
};

/**
 * Builds the JSON error response for `status`.
 *
 * @example
 * ```ts
 * import { Hono } from "hono";
 * import { errorJson } from "./errors.ts";
 * const app = new Hono().get("/", (c) => errorJson(c, 409, "conflict", "Not yet"));
 * ```
 */
export function errorJson(
  c: Context,
  status: ContentfulStatusCode,
  code: string,
  message: string,
  details: Record<string, unknown> = {},
): Response {
  const body: ErrorBody = { error: { code, message, ...details } };
  return c.json(body, status);
}

/** Options of {@linkcode onApiError}. */
export interface OnApiErrorOptions {
  /** Called with unexpected errors (500s); defaults to `console.error`. */
  log?: (error: unknown) => void;
}

/**
 * The `app.onError` handler: ApiErrors keep their code and details, Hono's
 * HTTPExceptions (body limit, CORS...) get a code from their status, and
 * anything else is a 500 whose details are logged, never sent.
 *
 * @example
 * ```ts
 * import { Hono } from "hono";
 * import { onApiError } from "./errors.ts";
 * const app = new Hono();
 * app.onError(onApiError());
 * ```
 */
export function onApiError(options: OnApiErrorOptions = {}): ErrorHandler {
  const log = options.log ?? ((e: unknown) => console.error(e));
  return function apiErrorHandler(error, c) {
    if (error instanceof ApiError) {
      return errorJson(
        c,
        error.status as ContentfulStatusCode,
        error.code,
        error.message,
        error.details,
      );
    }
    if (error instanceof HTTPException && error.status < 500) {
      const status = error.status as ContentfulStatusCode;
      const message = error.message || error.res?.statusText || `HTTP ${status}`;
      return errorJson(c, status, CODES[status] ?? "error", message);
    }
    log(error);
    return errorJson(c, 500, "internal", "Internal server error: see the server log for details");
  };
}

/**
 * The `app.notFound` handler: a JSON 404 naming the path.
 *
 * @example
 * ```ts
 * import { Hono } from "hono";
 * import { onNotFound } from "./errors.ts";
 * const app = new Hono();
 * app.notFound(onNotFound());
 * ```
 */
export function onNotFound(): NotFoundHandler {
  return function notFound(c) {
    const message =
      `No route for ${c.req.method} ${c.req.path}: see GET / for the dashboard and /api/runs for the API`;
    return errorJson(c, 404, "not_found", message);
  };
}
