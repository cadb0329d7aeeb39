// How error replies quote what the client sent: never in full, never by
// walking it. A 5 MB string would otherwise come back as a 5 MB error, and
// JSON.stringify of a value nested thousands of arrays deep overflows the
// stack of some runtimes (Vercel's Edge Runtime at about 4,000 levels).

/** Most characters of client text an error message repeats. */
export const QUOTE_CHARS = 80;

/** `1234567` → `"1,234,567"`, without Intl (not every edge runtime ships full locale data). */
function groupDigits(n: number): string {
  return String(n).replace(/\B(?=(\d{3})+$)/g, ",");
}

/**
 * `text` as a JSON string, cut to its first {@linkcode QUOTE_CHARS}
 * characters with its length after: `"aaaa…" (5,000,000 characters)`.
 */
export function quote(text: string): string {
  if (text.length <= QUOTE_CHARS) return JSON.stringify(text);
  const head = JSON.stringify(text.slice(0, QUOTE_CHARS)).slice(0, -1);
  return `${head}…" (${groupDigits(text.length)} characters)`;
}

/** `text` cut to {@linkcode QUOTE_CHARS} characters with a `…`, for text already in quotes or none. */
export function clip(text: string): string {
  return text.length <= QUOTE_CHARS ? text : `${text.slice(0, QUOTE_CHARS)}…`;
}

/**
 * A short description of any JSON value, looking one level deep at most:
 * numbers, booleans and null as written, strings quoted, arrays and objects
 * by kind and size, never by content.
 */
export function describeValue(value: unknown): string {
  if (value === null || typeof value === "number" || typeof value === "boolean") {
    return String(value);
  }
  if (typeof value === "string") return quote(value);
  if (Array.isArray(value)) {
    return `an array of ${groupDigits(value.length)} value${value.length === 1 ? "" : "s"}`;
  }
  return typeof value === "object" ? "an object" : String(value);
}
