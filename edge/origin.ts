/**
 * Tells an origin as browsers send it in their `Origin` header, for CORS
 * settings (`--cors-origin` of `deno task serve` and of `edge:build`).
 *
 * @module
 */

/**
 * Whether `value` is an http(s) origin exactly as browsers send it:
 * scheme://host[:port], no path, no final slash.
 *
 * @example
 * ```ts
 * import { isOrigin } from "./origin.ts";
 * isOrigin("https://app.example.com"); // true
 * isOrigin("https://app.example.com/"); // false
 * ```
 */
export function isOrigin(value: string): boolean {
  try {
    const url = new URL(value);
    return /^https?:$/.test(url.protocol) && url.origin === value;
  } catch {
    return false;
  }
}
