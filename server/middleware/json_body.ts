/**
 * Reads a JSON request body with errors that say what to fix.
 *
 * @module
 */
import type { Context } from "hono";
import { ApiError } from "../errors.ts";

/**
 * The parsed JSON body. A body that is not `application/json` is a 415 (so
 * that a cross-site form cannot post it without a CORS preflight); one that
 * does not parse is a 400 `invalid_json` with the parser's message.
 *
 * @example
 * ```ts
 * import { Hono } from "hono";
 * import { readJson } from "./json_body.ts";
 * const app = new Hono().post("/echo", async (c) => c.json(await readJson(c)));
 * ```
 */
export async function readJson(c: Context): Promise<unknown> {
  const type = c.req.header("content-type") ?? "";
  if (!/^application\/json\s*(;|$)/i.test(type)) {
    throw new ApiError(
      415,
      "unsupported_media_type",
      `Content-Type ${JSON.stringify(type)} is not JSON: send the body as application/json`,
    );
  }
  const text = await c.req.text();
  if (text.trim() === "") {
    throw new ApiError(400, "invalid_json", "The body is empty: send a JSON object, e.g. {}");
  }
  try {
    return JSON.parse(text);
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    throw new ApiError(400, "invalid_json", `The body is not valid JSON: ${reason}`);
  }
}
