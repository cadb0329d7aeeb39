/**
 * One client's SSE stream over a run log: replay, live tail, heartbeat and
 * a bounded queue, so that a slow client never slows training or others.
 *
 * Flow control: the stream is pull-based (`highWaterMark: 0`), so frames
 * wait in this client's own queue until the HTTP server asks for more. The
 * queue holds at most `maxQueue` frames:
 * - batch events are throttled to one per `batchIntervalMs` per client and
 *   dropped while the client is behind (they are progress hints);
 * - epoch, status, end and error events are never dropped: when a client is
 *   so far behind that they would overflow, its queued batch events are
 *   discarded first, and if that is not enough the stream is closed. The
 *   browser's EventSource then reconnects with `Last-Event-ID` and gets every
 *   missed epoch event from the run's history, which never drops them.
 *
 * Release: cancelling the stream (the client went away) or aborting
 * `signal` unsubscribes from the log and clears the heartbeat at once.
 *
 * @module
 */
import { type LoggedEvent, type RunLog } from "./run_log.ts";
import { formatComment, formatRetry } from "./sse_format.ts";

/** Options of {@linkcode runEventStream}. */
export interface SseStreamOptions {
  /** Replay kept events after this id (the `Last-Event-ID`); default 0, all of them. */
  lastEventId?: number;
  /** `retry:` hint sent first, in milliseconds (default 2000). */
  retryMs?: number;
  /** Comment heartbeat period in milliseconds (default 15000). */
  heartbeatMs?: number;
  /** At most one live batch event per this many milliseconds (default 100: 10/s). */
  batchIntervalMs?: number;
  /** Frames this client may have waiting (default 256). */
  maxQueue?: number;
  /** Clock for batch throttling (default `Date.now`). */
  now?: () => number;
  /** Aborting it releases the stream, e.g. the request's signal. */
  signal?: AbortSignal;
}

type Frame = Pick<LoggedEvent, "event" | "frame"> | { event: "heartbeat"; frame: string };

/**
 * Opens a client stream on `log`: a `retry:` hint and the replay come first,
 * then live events; it closes after the run's last event.
 *
 * @example
 * ```ts
 * import { createRunLog } from "./run_log.ts";
 * import { runEventStream } from "./sse_stream.ts";
 * const log = createRunLog();
 * log.append("epoch", { epoch: 1, loss: 0.5 });
 * log.close();
 * const text = await new Response(runEventStream(log)).text();
 * // "retry: 2000\n\nevent: epoch\nid: 1\ndata: {\"epoch\":1,\"loss\":0.5}\n\n"
 * ```
 */
export function runEventStream(
  log: RunLog,
  options: SseStreamOptions = {},
): ReadableStream<Uint8Array> {
  const {
    lastEventId = 0,
    retryMs = 2000,
    heartbeatMs = 15_000,
    batchIntervalMs = 100,
    maxQueue = 256,
    now = Date.now,
    signal,
  } = options;
  const encoder = new TextEncoder();
  let controller: ReadableStreamDefaultController<Uint8Array>;
  let queue: Frame[] = [];
  let demand = false;
  let done = false;
  let lastBatchAt = -Infinity;
  let timer: ReturnType<typeof setInterval> | undefined;
  let unsubscribe = () => {};

  const send = (frames: readonly Frame[]) => {
    if (frames.length) controller.enqueue(encoder.encode(frames.map((f) => f.frame).join("")));
  };
  const release = () => {
    if (done) return;
    done = true;
    clearInterval(timer);
    unsubscribe();
    signal?.removeEventListener("abort", abort);
    queue = [];
  };
  const close = () => {
    release();
    try {
      controller.close();
    } catch { /* already closed or cancelled */ }
  };
  function abort() {
    close();
  }
  const finish = () => {
    if (done) return;
    send(queue);
    close();
  };
  const flush = () => {
    if (done || !demand || queue.length === 0) return;
    demand = false;
    const frames = queue;
    queue = [];
    send(frames);
  };
  const push = (frame: Frame) => {
    if (done) return;
    if (frame.event === "batch") {
      const t = now();
      if (t - lastBatchAt < batchIntervalMs || queue.length >= maxQueue) return;
      lastBatchAt = t;
    } else if (frame.event === "heartbeat") {
      if (queue.length > 0) return; // data is waiting anyway
    } else if (queue.length >= maxQueue) {
      queue = queue.filter((f) => f.event !== "batch" && f.event !== "heartbeat");
      if (queue.length >= maxQueue) return close(); // reconnect replays from history
    }
    queue.push(frame);
    flush();
  };

  return new ReadableStream<Uint8Array>({
    start(c) {
      controller = c;
      send([{ event: "heartbeat", frame: formatRetry(retryMs) }, ...log.since(lastEventId)]);
      if (signal?.aborted) return close();
      signal?.addEventListener("abort", abort, { once: true });
      unsubscribe = log.subscribe({ next: push, close: finish });
      if (done) return;
      const heartbeat = { event: "heartbeat", frame: formatComment("heartbeat") } as const;
      timer = setInterval(() => push(heartbeat), heartbeatMs);
    },
    pull() {
      demand = true;
      flush();
    },
    cancel() {
      release();
    },
  }, { highWaterMark: 0 });
}
