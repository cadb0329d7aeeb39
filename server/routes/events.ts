/**
 * `GET /api/runs/:id/events`: a run's events as Server-Sent Events.
 *
 * @module
 */
import { Hono } from "hono";
import { ApiError } from "../errors.ts";
import type { RunService } from "../run_store.ts";
import { runEventStream, type SseStreamOptions } from "../sse_stream.ts";
import { findRun } from "./runs.ts";

/** Options of {@linkcode eventsRoute}. */
export interface EventsRouteOptions {
  store: RunService;
  /** Stream settings shared by every client (heartbeat, retry, throttling, queue). */
  sse?: Omit<SseStreamOptions, "lastEventId" | "signal">;
}

function lastEventId(value: string | undefined): number {
  if (value === undefined || value.trim() === "") return 0;
  if (!/^\d{1,15}$/.test(value.trim())) {
    throw new ApiError(
      400,
      "invalid_last_event_id",
      `Last-Event-ID must be an event id (a whole number), got ${JSON.stringify(value)}`,
    );
  }
  return Number(value);
}

/**
 * The events route, to mount under `/api/runs`. Replays every kept event
 * after `Last-Event-ID` (header, or `?lastEventId=` for a first connection),
 * then follows the run live; a finished run replays and closes. When a
 * finished run has nothing left to send the answer is 204, which tells
 * EventSource to stop reconnecting.
 *
 * @example
 * ```ts ignore
 * app.route("/api/runs", eventsRoute({ store, sse: { heartbeatMs: 15_000 } }));
 * ```
 */
export function eventsRoute(options: EventsRouteOptions): Hono {
  const { store, sse = {} } = options;
  return new Hono().get("/:id/events", async (c) => {
    const run = await findRun(store, c.req.param("id"));
    const after = lastEventId(c.req.header("last-event-id") ?? c.req.query("lastEventId"));
    if (run.log.closed && after >= run.log.lastId) return c.body(null, 204);
    // Release relies on the body stream's cancel, which Deno.serve calls as soon as the
    // client goes away (request.signal would also work but is legacy behaviour in Deno 2.9).
    const body = runEventStream(run.log, { ...sse, lastEventId: after });
    return c.body(body, 200, {
      "Content-Type": "text/event-stream; charset=utf-8",
      // no-transform and identity keep proxies and Deno.serve from compressing (and so buffering) the stream.
      "Cache-Control": "no-cache, no-transform",
      "Content-Encoding": "identity",
      "X-Accel-Buffering": "no",
    });
  });
}
