/**
 * A run's event log: one increasing id sequence, a bounded history for
 * replay, and live fan-out to subscribers.
 *
 * @module
 */
import { formatSse } from "./sse_format.ts";

/** The SSE event types a run publishes. */
export type RunEventType = "status" | "epoch" | "batch" | "end" | "error" | "window";

/** One published event, with its SSE frame formatted once for every client. */
export interface LoggedEvent {
  readonly id: number;
  readonly event: RunEventType;
  readonly data: unknown;
  /** The ready-to-send SSE frame (`event`, `id`, `data`). */
  readonly frame: string;
}

/** Receives a run's live events. */
export interface RunLogSubscriber {
  /** Called for each new event, in id order. */
  next(event: LoggedEvent): void;
  /** Called once when the run finished: no events follow. */
  close(): void;
}

/** Options of {@linkcode createRunLog}. */
export interface RunLogOptions {
  /**
   * Batch events kept for replay (default 512). Past it, every second batch
   * event is dropped, oldest first, so history thins out evenly instead of
   * forgetting the start (the first and the last are kept). Events other
   * than batch and window events are always kept.
   */
  maxBatchEvents?: number;
  /**
   * Window events (a live run's prequential windows) kept for replay
   * (default 512), thinned past it as batch events are.
   */
  maxWindowEvents?: number;
  /** Events stored before (a run restored after a restart): kept for replay, ids continue after them. */
  history?: readonly { id: number; event: RunEventType; data: unknown }[];
  /**
   * Called with each new event before anyone sees it, with what the caller
   * passed to `append` as `extras`; when it throws, `append` throws and the
   * event is not published (a run store writes it to disk here).
   */
  onAppend?: (event: LoggedEvent, extras?: unknown) => void;
}

/** The log of one run. */
export interface RunLog {
  /**
   * Assigns the next id, keeps the event for replay and sends it to
   * subscribers; `extras` go to the `onAppend` option only.
   */
  append(event: RunEventType, data: unknown, extras?: unknown): LoggedEvent;
  /**
   * Adds an event another process logged, under its own id (above
   * `lastId`): a node following a run trained elsewhere. Not passed to `onAppend`.
   */
  mirror(id: number, event: RunEventType, data: unknown): LoggedEvent;
  /** Kept events with an id above `id`, in order. */
  since(id: number): LoggedEvent[];
  /** Adds a live subscriber; returns the function that removes it. */
  subscribe(subscriber: RunLogSubscriber): () => void;
  /** Marks the log finished and tells every subscriber. Appends after this throw. */
  close(): void;
  /** True once {@linkcode RunLog.close} ran. */
  readonly closed: boolean;
  /** Id of the last event appended (0 before any). */
  readonly lastId: number;
  /** Live subscribers now (tests check it returns to 0 after disconnects). */
  readonly subscriberCount: number;
  /** Events kept for replay now. */
  readonly historySize: number;
}

/**
 * Creates an empty run log.
 *
 * @example
 * ```ts
 * import { createRunLog } from "./run_log.ts";
 * const log = createRunLog();
 * log.append("status", { status: "running" });
 * log.append("epoch", { epoch: 1, loss: 0.7 });
 * log.since(1).map((e) => e.event); // ["epoch"]
 * ```
 */
export function createRunLog(options: RunLogOptions = {}): RunLog {
  const most: Partial<Record<RunEventType, number>> = {
    batch: options.maxBatchEvents ?? 512,
    window: options.maxWindowEvents ?? 512,
  };
  for (const [event, max] of Object.entries(most)) {
    if (!(max >= 2)) {
      throw new RangeError(
        `Invalid max${event[0].toUpperCase()}${event.slice(1)}Events: ${max} must be at least 2`,
      );
    }
  }
  let history: LoggedEvent[] = [];
  const counts: Partial<Record<RunEventType, number>> = {};
  let lastId = 0;
  let closed = false;
  const subscribers = new Set<RunLogSubscriber>();
  const keep = (logged: LoggedEvent) => {
    history.push(logged);
    const { event } = logged, max = most[event];
    if (max !== undefined && (counts[event] = (counts[event] ?? 0) + 1) > max) thin(event);
  };

  function publish(logged: LoggedEvent): LoggedEvent {
    lastId = logged.id;
    keep(logged);
    for (const s of [...subscribers]) s.next(logged);
    return logged;
  }

  /** Drops every second event of a type, oldest first: the first stays, and the last when their count is odd. */
  function thin(type: RunEventType): void {
    let drop = true;
    history = history.filter((e) => e.event !== type || !(drop = !drop));
    counts[type] = history.filter((e) => e.event === type).length;
  }
  for (const { id, event, data } of options.history ?? []) {
    if (!(id > lastId)) {
      throw new RangeError(`Invalid history: event id ${id} is not above ${lastId}`);
    }
    lastId = id;
    keep({ id, event, data, frame: formatSse({ event, id, data }) });
  }

  return {
    append(event, data, extras) {
      if (closed) throw new TypeError(`Cannot append "${event}": the run log is closed`);
      const id = lastId + 1;
      const logged: LoggedEvent = { id, event, data, frame: formatSse({ event, id, data }) };
      options.onAppend?.(logged, extras);
      return publish(logged);
    },
    mirror(id, event, data) {
      if (closed) throw new TypeError(`Cannot mirror "${event}": the run log is closed`);
      if (!(Number.isInteger(id) && id > lastId)) {
        throw new RangeError(`Invalid event id ${id}: must be above ${lastId}`);
      }
      return publish({ id, event, data, frame: formatSse({ event, id, data }) });
    },
    since(id) {
      let lo = 0, hi = history.length;
      while (lo < hi) {
        const mid = (lo + hi) >> 1;
        if (history[mid].id <= id) lo = mid + 1;
        else hi = mid;
      }
      return history.slice(lo);
    },
    subscribe(subscriber) {
      if (closed) {
        subscriber.close();
        return () => {};
      }
      subscribers.add(subscriber);
      return () => void subscribers.delete(subscriber);
    },
    close() {
      if (closed) return;
      closed = true;
      const all = [...subscribers];
      subscribers.clear();
      for (const s of all) s.close();
    },
    get closed() {
      return closed;
    },
    get lastId() {
      return lastId;
    },
    get subscriberCount() {
      return subscribers.size;
    },
    get historySize() {
      return history.length;
    },
  };
}
