/**
 * Server-Sent Events framing (WHATWG HTML, "server-sent events"): each
 * message is `field: value` lines ended by a blank line.
 *
 * @module
 */

/** One SSE message. */
export interface SseMessage {
  /** Event type; the browser dispatches it to `addEventListener(event, ...)`. */
  event?: string;
  /** Becomes the browser's `lastEventId`, sent back as `Last-Event-ID` on reconnect. */
  id?: string | number;
  /** Payload, any JSON value; serialized with `JSON.stringify`. */
  data: unknown;
  /** Reconnection delay hint in milliseconds. */
  retry?: number;
}

function checkField(name: string, value: string): string {
  if (/[\r\n]/.test(value)) {
    throw new TypeError(
      `Invalid SSE ${name}: ${JSON.stringify(value)} must not contain line breaks`,
    );
  }
  return value;
}

/**
 * Formats one message. The data is JSON on a single line (JSON.stringify
 * escapes line breaks), so a `data:` line never needs splitting.
 *
 * @example
 * ```ts
 * import { formatSse } from "./sse_format.ts";
 * formatSse({ event: "epoch", id: 3, data: { loss: 0.5 } });
 * // "event: epoch\nid: 3\ndata: {\"loss\":0.5}\n\n"
 * ```
 */
export function formatSse(message: SseMessage): string {
  let out = "";
  if (message.event !== undefined) out += `event: ${checkField("event", message.event)}\n`;
  if (message.id !== undefined) out += `id: ${checkField("id", String(message.id))}\n`;
  if (message.retry !== undefined) out += `retry: ${Math.max(0, Math.round(message.retry))}\n`;
  return `${out}data: ${JSON.stringify(message.data) ?? "null"}\n\n`;
}

/**
 * A comment line: browsers ignore it, but it keeps proxies from closing an
 * idle connection and lets the server notice a dead one.
 *
 * @example
 * ```ts
 * import { formatComment } from "./sse_format.ts";
 * formatComment("heartbeat"); // ": heartbeat\n\n"
 * ```
 */
export function formatComment(text: string): string {
  return `: ${checkField("comment", text)}\n\n`;
}

/**
 * A `retry:` field alone: tells the browser how long to wait before it
 * reconnects, without dispatching an event.
 *
 * @example
 * ```ts
 * import { formatRetry } from "./sse_format.ts";
 * formatRetry(2000); // "retry: 2000\n\n"
 * ```
 */
export function formatRetry(ms: number): string {
  return `retry: ${Math.max(0, Math.round(ms))}\n\n`;
}
