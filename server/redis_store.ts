/**
 * The runs of a server that shares them with other nodes through Redis
 * (`deno task serve --redis URL`): a run posted to any node is queued in
 * BullMQ and trained by any worker, and every node follows every run's
 * event stream, so SSE clients get the same events, ids and `Last-Event-ID`
 * replay from whichever node they reach.
 *
 * @module
 */
import { Queue } from "bullmq";
import type { Redis } from "ioredis";
import { parseModelFileShape } from "../core/model/model_file_schema.ts";
import type { ModelFile } from "../core/model/model_file.ts";
import type { RunConfig } from "../jobs/run_config.ts";
import { createRun, isFinal, mirrorEvent, type Run } from "./run.ts";
import type { RunEventType, RunLogOptions } from "./run_log.ts";
import { runFromRow } from "./run_records.ts";
import { checkRunId } from "./run_id.ts";
import type { CreateRunOptions, RunService } from "./run_store.ts";
import { ApiError } from "./errors.ts";
import {
  connectRedis,
  eventFromEntry,
  insertRun,
  quietCopy,
  readEvents,
  redisKeys,
  removeRuns,
  rowFromHash,
  stopQueuedRun,
} from "./redis_runs.ts";

/** Options of {@linkcode createRedisRunStore}. */
export interface RedisRunStoreOptions {
  /** Redis URL, e.g. `redis://127.0.0.1:6379`. */
  url: string;
  /** Key prefix shared by every node (default `nagare`). */
  prefix?: string;
  /** Runs that may wait (default 50); past it `create` refuses. */
  maxQueued?: number;
  /** Finished runs kept (default 100); the oldest are removed with their events and models. */
  keepFinished?: number;
  /** Finished runs older than this many days are removed. */
  keepDays?: number;
  /** History bounds of each run's log in this node's memory. */
  log?: RunLogOptions;
  /** How often the run list is read again (default 1000 ms). */
  syncMs?: number;
  /** Clock for retention (default `Date.now`). */
  now?: () => number;
}

/**
 * Connects to Redis and follows every run kept there.
 *
 * @example
 * ```ts ignore
 * const store = await createRedisRunStore({ url: "redis://127.0.0.1:6379" });
 * const app = createApp({ store, registry });
 * ```
 */
export async function createRedisRunStore(options: RedisRunStoreOptions): Promise<RunService> {
  const { maxQueued = 50, keepFinished = 100, syncMs = 1000, now = Date.now } = options;
  const keys = redisKeys(options.prefix);
  const redis = await connectRedis(options.url, { failFast: true });
  const tail: Redis = quietCopy(redis), queueConnection = quietCopy(redis);
  const queue = new Queue(keys.queue, { connection: queueConnection, prefix: keys.prefix });
  queue.on("error", () => {});
  const runs = new Map<string, Run>();
  let closed = false;

  async function discover(id: string): Promise<Run | undefined> {
    const row = rowFromHash(await redis.hgetall(keys.run(id)));
    if (!row) return undefined;
    const known = runs.get(id);
    if (known) return known;
    const run = runFromRow(row, await readEvents(redis, keys, id), options.log);
    if (isFinal(run)) run.log.close();
    runs.set(id, runs.get(id) ?? run); // another call may have found it meanwhile
    return runs.get(id);
  }

  async function sync(): Promise<void> {
    const ids = await redis.zrange(keys.index, 0, -1);
    const present = new Set(ids);
    for (const id of runs.keys()) if (!present.has(id)) runs.delete(id);
    for (const id of ids) if (!runs.has(id)) await discover(id);
    const finished = ids.map((id) => runs.get(id)).filter((run) => run && isFinal(run)) as Run[];
    const cutoff = options.keepDays === undefined ? -Infinity : now() - options.keepDays * 864e5;
    const old = finished.filter((run, i) =>
      i < finished.length - keepFinished || Date.parse(run.endedAt ?? run.createdAt) < cutoff
    );
    await removeRuns(redis, keys, old.map((run) => run.id));
    for (const run of old) runs.delete(run.id);
  }

  /** Follows the streams of unfinished runs with one blocking read at a time. */
  async function tailStreams(): Promise<void> {
    while (!closed) {
      const open = [...runs.values()].filter((run) => !run.log.closed);
      if (open.length === 0) {
        await new Promise((resolve) => setTimeout(resolve, 200));
        continue;
      }
      let answer: [string, [string, string[]][]][] | null;
      try {
        answer = await tail.xread(
          "BLOCK",
          500,
          "STREAMS",
          ...open.map((run) => keys.events(run.id)),
          ...open.map((run) => `0-${run.log.lastId}`),
        ) as typeof answer;
      } catch {
        if (closed) return;
        await new Promise((resolve) => setTimeout(resolve, 500)); // Redis away: try again
        continue;
      }
      for (const [key, entries] of answer ?? []) {
        const run = runs.get(key.slice(keys.events("").length));
        if (!run) continue;
        for (const entry of entries) {
          const event = eventFromEntry(entry);
          mirrorEvent(run, event.id, event.event as RunEventType, JSON.parse(event.data));
        }
      }
    }
  }

  await sync();
  const timer = setInterval(() => void sync().catch(() => {}), syncMs);
  Deno.unrefTimer(timer);
  const tailing = tailStreams();

  const queued = () => [...runs.values()].filter((run) => run.status === "queued").length;

  return reachable({
    async create(config: RunConfig, createOptions: CreateRunOptions = {}) {
      if (queued() >= maxQueued) {
        throw new RangeError(
          `Too many queued runs: ${queued()} wait already; retry when one finishes`,
        );
      }
      const id = createOptions.id === undefined
        ? crypto.randomUUID()
        : checkRunId(createOptions.id);
      const run = createRun(id, config, options.log);
      await insertRun(redis, keys, run, "server");
      runs.set(run.id, run);
      // Retried at once when a worker hands it back; a run that failed is done, not retried.
      await queue.add("run", { id: run.id }, {
        jobId: run.id,
        attempts: 1_000_000,
        removeOnComplete: true,
        removeOnFail: true,
      });
      return run;
    },
    list: () => [...runs.values()].reverse(),
    get: (id) => runs.get(id) ?? discover(id),
    async model(id) {
      const text = await redis.get(keys.model(id));
      return text === null ? undefined : parseModelFileShape(JSON.parse(text)) as ModelFile;
    },
    async stop(id) {
      const run = runs.get(id) ?? await discover(id);
      if (!run || isFinal(run)) return run;
      if (await queue.remove(id) === 1) {
        await stopQueuedRun(redis, keys, id); // no worker had it: this node ends it
      } else {
        await redis.multi().hset(keys.run(id), "stop", "1").publish(keys.stop, id).exec();
      }
      return run;
    },
    get full() {
      return queued() >= maxQueued;
    },
    async close() {
      closed = true;
      clearInterval(timer);
      tail.disconnect();
      await tailing;
      await queue.close();
      queueConnection.disconnect();
      redis.disconnect();
      for (const run of runs.values()) run.log.close(); // ends every open event stream
    },
  });
}

/**
 * The store with every call that reaches Redis answering 503 while Redis is
 * away (instead of waiting, and doing it later when nobody waits any more).
 */
function reachable(store: RunService): RunService {
  const guard = <A extends unknown[], R>(
    call: (...args: A) => R | Promise<R>,
    refused: (error: unknown) => boolean = (error) => error instanceof RangeError,
  ) =>
  async (...args: A): Promise<R> => {
    try {
      return await call(...args);
    } catch (error) {
      if (refused(error) || error instanceof ApiError) throw error;
      throw new ApiError(
        503,
        "store_unavailable",
        `The run store (Redis) cannot be reached: ${
          (error as Error).message
        }; retry when it is back`,
      );
    }
  };
  return {
    // Refused, not unreachable: a full queue, or a run id that is taken or malformed.
    create: guard(
      store.create,
      (error) => error instanceof RangeError || error instanceof TypeError,
    ),
    list: store.list,
    get: guard(store.get),
    model: guard(store.model),
    stop: guard(store.stop),
    get full() {
      return store.full;
    },
    close: store.close,
  };
}
