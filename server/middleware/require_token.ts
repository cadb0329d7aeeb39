/**
 * Bearer-token authentication for the API, with JSON 401s.
 *
 * @module
 */
import type { MiddlewareHandler } from "hono";
import { ApiError } from "../errors.ts";

/** Options of {@linkcode requireToken}. */
export interface RequireTokenOptions {
  /** The secret every request must carry as `Authorization: Bearer <token>`. */
  token: string;
  /**
   * Also accept `?access_token=` on GET requests to paths matching this
   * pattern: EventSource cannot send headers (RFC 6750, section 2.3).
   */
  queryTokenPaths?: RegExp;
}

const encoder = new TextEncoder();

/** Compares in time that depends on the length only, not on where bytes differ. */
function sameSecret(given: string, token: string): boolean {
  const a = encoder.encode(given), b = encoder.encode(token);
  let diff = a.length ^ b.length;
  for (let i = 0; i < b.length; i++) diff |= (a[i] ?? 0) ^ b[i];
  return diff === 0;
}

/**
 * Rejects requests without the bearer token with a JSON 401.
 *
 * @example
 * ```ts
 * import { Hono } from "hono";
 * import { requireToken } from "./require_token.ts";
 * const app = new Hono();
 * app.use("/api/*", requireToken({ token: "a-long-random-secret" }));
 * ```
 */
export function requireToken(options: RequireTokenOptions): MiddlewareHandler {
  const { token, queryTokenPaths } = options;
  if (token.length < 8) {
    throw new RangeError(
      "Invalid token: it must be at least 8 characters; use a long random string",
    );
  }
  return async function requireTokenMiddleware(c, next) {
    const header = c.req.header("authorization") ?? "";
    const match = /^Bearer\s+(\S+)\s*$/i.exec(header);
    let given = match?.[1];
    if (given === undefined && queryTokenPaths?.test(c.req.path) && c.req.method === "GET") {
      given = c.req.query("access_token");
    }
    if (given === undefined || !sameSecret(given, token)) {
      c.header("WWW-Authenticate", 'Bearer realm="nagare"');
      const message = given === undefined
        ? "Missing token: send the header Authorization: Bearer <token> (the server's --token or NAGARE_TOKEN)"
        : "Wrong token: send the token the server was started with (--token or NAGARE_TOKEN)";
      throw new ApiError(401, "unauthorized", message);
    }
    await next();
  };
}
