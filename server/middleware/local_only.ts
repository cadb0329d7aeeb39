/**
 * Guards a token-less server that listens on loopback against web pages
 * that reach it from a browser: DNS rebinding (a foreign host name
 * resolving to 127.0.0.1) and cross-site POSTs (CSRF).
 *
 * @module
 */
import type { MiddlewareHandler } from "hono";
import { ApiError } from "../errors.ts";

/** Options of {@linkcode localOnly}. */
export interface LocalOnlyOptions {
  /** Origins allowed to send unsafe requests besides the server's own (the CORS origins). */
  allowOrigins?: readonly string[];
}

const LOOPBACK_HOST = /^(localhost|[a-z0-9-]+\.localhost|127(\.\d{1,3}){3}|\[::1\])(:\d+)?$/i;
const SAFE_METHODS = new Set(["GET", "HEAD", "OPTIONS"]);

/**
 * Accepts only requests whose `Host` is a loopback name, and unsafe
 * requests (POST...) only from the server's own origin or an allowed one.
 *
 * @example
 * ```ts
 * import { Hono } from "hono";
 * import { localOnly } from "./local_only.ts";
 * const app = new Hono();
 * app.use("/api/*", localOnly());
 * ```
 */
export function localOnly(options: LocalOnlyOptions = {}): MiddlewareHandler {
  const allowed = new Set(options.allowOrigins ?? []);
  return async function localOnlyMiddleware(c, next) {
    const host = c.req.header("host") ?? new URL(c.req.url).host;
    if (!LOOPBACK_HOST.test(host)) {
      throw new ApiError(
        403,
        "forbidden_host",
        `Host ${
          JSON.stringify(host)
        } is not a loopback name: open the dashboard at http://127.0.0.1:<port>/, or start the server with --token to accept other hosts`,
      );
    }
    const origin = c.req.header("origin");
    if (!SAFE_METHODS.has(c.req.method) && origin !== undefined && !allowed.has(origin)) {
      let originHost = "";
      try {
        originHost = new URL(origin).host;
      } catch { /* "null" or garbage: not the same origin */ }
      if (originHost !== host) {
        throw new ApiError(
          403,
          "forbidden_origin",
          `Origin ${origin} may not send ${c.req.method} requests: add it with --cors-origin if you trust it`,
        );
      }
    }
    await next();
  };
}
