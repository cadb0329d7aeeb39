/**
 * Bearer-token authentication: for the API, with JSON 401s, and for the
 * dashboard's pages and assets, with a short HTML 401 saying how to open them.
 *
 * @module
 */
import { createHmac } from "node:crypto";
import type { Context, MiddlewareHandler } from "hono";
import { getCookie, setCookie } from "hono/cookie";
import { ApiError } from "../errors.ts";

/** Options of {@linkcode requireToken}. */
export interface RequireTokenOptions {
  /** The secret every request must carry as `Authorization: Bearer <token>`. */
  token: string;
  /**
   * Also accept `?token=` on GET requests to paths matching this pattern:
   * EventSource cannot send headers (RFC 6750, section 2.3).
   */
  queryTokenPaths?: RegExp;
}

const MIN_LENGTH = 8;

const encoder = new TextEncoder();

/** Compares in time that depends on the length only, not on where bytes differ. */
function sameSecret(given: string, token: string): boolean {
  const a = encoder.encode(given), b = encoder.encode(token);
  let diff = a.length ^ b.length;
  for (let i = 0; i < b.length; i++) diff |= (a[i] ?? 0) ^ b[i];
  return diff === 0;
}

/** The bearer token of `Authorization`, if any. */
function bearerOf(c: Context): string | undefined {
  return /^Bearer\s+(\S+)\s*$/i.exec(c.req.header("authorization") ?? "")?.[1];
}

function checkLength(token: string): void {
  if (token.length < MIN_LENGTH) {
    throw new RangeError(
      `Invalid token: it must be at least ${MIN_LENGTH} characters; use a long random string`,
    );
  }
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
  checkLength(token);
  return async function requireTokenMiddleware(c, next) {
    let given = bearerOf(c);
    if (given === undefined && queryTokenPaths?.test(c.req.path) && c.req.method === "GET") {
      given = c.req.query("token");
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

const READS = new Set(["GET", "HEAD"]);
const escapeHtml = (text: string) => text.replace(/[&<>"']/g, (ch) => `&#${ch.charCodeAt(0)};`);

/**
 * Guards the dashboard's pages and assets. A browser cannot put a header on
 * the page it opens nor on its `<script>` and `<link>` tags, so a GET also
 * passes with `?token=` (the URL the server prints; the page then moves the
 * token into sessionStorage and out of the address bar) and with the cookie
 * such a request sets: HttpOnly, SameSite=Strict, for this session only,
 * holding a keyed hash of the token rather than the token, and good for
 * pages and assets only (the API takes the bearer token alone, so the
 * cookie cannot make a cross-site write count). Without any of them: 401
 * with a short HTML page naming the URL to open.
 *
 * @example
 * ```ts
 * import { Hono } from "hono";
 * import { requirePageToken } from "./require_token.ts";
 * const app = new Hono();
 * app.use("/assets/*", requirePageToken({ token: "a-long-random-secret" }));
 * ```
 */
export function requirePageToken(options: { token: string }): MiddlewareHandler {
  const { token } = options;
  checkLength(token);
  const pass = createHmac("sha256", token).update("nagare dashboard page").digest("base64url");
  return async function requirePageTokenMiddleware(c, next) {
    const read = READS.has(c.req.method);
    // One cookie per port: two servers on one machine (serve and train --serve) share cookies.
    const cookie = `nagare_page_${new URL(c.req.url).port || "80"}`;
    const given = bearerOf(c) ?? (read ? c.req.query("token") : undefined);
    if (given !== undefined && sameSecret(given, token)) {
      if (read) {
        setCookie(c, cookie, pass, { path: "/", httpOnly: true, sameSite: "Strict" });
      }
      return await next();
    }
    const kept = read ? getCookie(c, cookie) : undefined;
    if (given === undefined && kept !== undefined && sameSecret(kept, pass)) return await next();
    const origin = new URL(c.req.url).origin;
    const why = given === undefined
      ? "This nagare server needs its token"
      : "That token is not this server's";
    c.header("WWW-Authenticate", 'Bearer realm="nagare"');
    c.header("Content-Security-Policy", "default-src 'none'");
    c.header("Referrer-Policy", "no-referrer");
    c.header("Cache-Control", "no-store");
    return c.html(
      `<!doctype html><meta charset="utf-8"><title>nagare: token needed</title>` +
        `<h1>${why}</h1><p>Open the dashboard at the address the server printed when it ` +
        `started: <code>${escapeHtml(origin)}/?token=&lt;token&gt;</code>, the token being ` +
        `the server's <code>--token</code> or <code>NAGARE_TOKEN</code>. The page keeps it for ` +
        `this tab and removes it from the address bar.</p>\n`,
      401,
    );
  };
}
