/**
 * Runs kept in Redis, for several machines: each run's row in a hash, its
 * event history in a Redis Stream whose entry ids are the event ids (`0-N`),
 * so any node replays exactly what follows a `Last-Event-ID`, and its last
 * checkpoint and model in keys every node reaches. The queue of runs to
 * train is BullMQ's (see `redis_trainer.ts`).
 *
 * Writes are ordered and fenced: a writer appends event N only after N-1,
 * and Redis refuses a stream id that is not above the last, so a worker that
 * lost its run to another cannot write into its history.
 *
 * @module
 */
import { Redis } from "ioredis";
import * as v from "valibot";
import { FINAL_STATUSES, type Run, setStatus } from "./run.ts";
import type { LoggedEvent, RunLogOptions } from "./run_log.ts";
import { type RecordExtras, rowOf, runFromRow, type RunSource } from "./run_records.ts";
import { takenRunId } from "./run_id.ts";
import type { EventRow, RunRow } from "./state_db.ts";

/** The Redis keys of one deployment (all under `prefix`, default `nagare`). */
export interface RedisKeys {
  readonly prefix: string;
  /** Sorted set of run ids by creation time. */
  readonly index: string;
  run(id: string): string;
  events(id: string): string;
  checkpoint(id: string): string;
  model(id: string): string;
  /** Sorted set of sweep ids by creation time. */
  readonly sweepIndex: string;
  /** Hash of a sweep: its file, state and lease (see `redis_sweeps.ts`). */
  sweep(id: string): string;
  /** Pub/sub channel of stop requests (the run id is the message). */
  readonly stop: string;
  /** BullMQ queue name (its keys are `prefix:train:*`). */
  readonly queue: string;
}

/**
 * The keys under `prefix`.
 *
 * @example
 * ```ts
 * import { redisKeys } from "./redis_runs.ts";
 * redisKeys().events("r1"); // "nagare:events:r1"
 * ```
 */
export function redisKeys(prefix = "nagare"): RedisKeys {
  return {
    prefix,
    index: `${prefix}:run-index`,
    run: (id) => `${prefix}:run:${id}`,
    events: (id) => `${prefix}:events:${id}`,
    checkpoint: (id) => `${prefix}:checkpoint:${id}`,
    model: (id) => `${prefix}:model:${id}`,
    sweepIndex: `${prefix}:sweep-index`,
    sweep: (id) => `${prefix}:sweep:${id}`,
    stop: `${prefix}:stop`,
    queue: "train",
  };
}

const RedisUrl = v.pipe(
  v.string(),
  v.regex(/^rediss?:\/\/[^\s]+$/, "must be a Redis URL such as redis://127.0.0.1:6379"),
);

/**
 * Checks a Redis URL (`redis://` or `rediss://`); throws a TypeError naming
 * `label` and the fix.
 *
 * @example
 * ```ts
 * import { checkRedisUrl } from "./redis_runs.ts";
 * checkRedisUrl("redis://127.0.0.1:6379"); // "redis://127.0.0.1:6379"
 * ```
 */
export function checkRedisUrl(url: string, label = "--redis"): string {
  const parsed = v.safeParse(RedisUrl, url);
  if (!parsed.success) {
    throw new TypeError(`${label}: ${parsed.issues[0].message}, got ${JSON.stringify(url)}`);
  }
  return url;
}

/**
 * Opens a connection and waits until Redis answers (at most `timeoutMs`,
 * default 5 s); throws a TypeError naming the URL and the fix otherwise.
 * BullMQ needs `maxRetriesPerRequest: null` on the connections it is given.
 *
 * @example
 * ```ts ignore
 * const redis = await connectRedis("redis://127.0.0.1:6379");
 * ```
 */
export async function connectRedis(
  url: string,
  options: { timeoutMs?: number; failFast?: boolean } = {},
): Promise<Redis> {
  const { timeoutMs = 5000, failFast = false } = options;
  // A server's requests fail at once while Redis is away (a 503) rather than wait and
  // run later; a worker's connections wait for it, as BullMQ requires.
  const redis = new Redis(url, {
    lazyConnect: true,
    ...(failFast
      ? { maxRetriesPerRequest: 1, enableOfflineQueue: false }
      : { maxRetriesPerRequest: null }),
  });

  redis.on("error", () => {}); // reconnects on its own; commands report what fails
  let timer: ReturnType<typeof setTimeout> | undefined;
  try {
    await Promise.race([
      redis.connect().then(() => redis.ping()),
      new Promise((_, reject) => {
        timer = setTimeout(() => reject(new Error(`no answer within ${timeoutMs} ms`)), timeoutMs);
      }),
    ]);
    return redis;
  } catch (error) {
    redis.disconnect();
    const shown = url.replace(/\/\/[^@/]*@/, "//***@"); // no password in messages
    const why = (error as Error).message.replace(/\.$/, "");
    throw new TypeError(
      `Cannot reach Redis at ${shown}: ${why}; start it or fix --redis (or NAGARE_REDIS_URL)`,
    );
  } finally {
    clearTimeout(timer);
  }
}

/**
 * Another connection to the same Redis, for blocking reads or pub/sub; its
 * connection errors are left to its reconnecting (commands report failures).
 *
 * @example
 * ```ts ignore
 * const subscriber = quietCopy(redis);
 * ```
 */
export function quietCopy(redis: Redis): Redis {
  const copy = redis.duplicate();
  copy.on("error", () => {});
  return copy;
}

/**
 * Appends one event of a run, with what commits with it, as one atomic
 * script, for the run's current writer only (KEYS: run, events, checkpoint,
 * model; ARGV: writer token, entry id, event, data, row JSON or "",
 * checkpoint or "", model or "", "1" when the run ended).
 */
const APPEND_SCRIPT = `
if redis.call('HGET', KEYS[1], 'writer') ~= ARGV[1] then
  return redis.error_reply('NAGARE_FENCED another worker writes this run now')
end
redis.call('XADD', KEYS[2], ARGV[2], 'event', ARGV[3], 'data', ARGV[4])
if ARGV[5] ~= '' then
  for field, value in pairs(cjson.decode(ARGV[5])) do redis.call('HSET', KEYS[1], field, value) end
end
if ARGV[6] ~= '' then redis.call('SET', KEYS[3], ARGV[6]) end
if ARGV[7] ~= '' then redis.call('SET', KEYS[4], ARGV[7]) end
if ARGV[8] == '1' then redis.call('DEL', KEYS[3]) end
return 1
`;

/** The hash fields of a row (absent values left out). */
function hashOf(row: RunRow): Record<string, string> {
  return Object.fromEntries(
    Object.entries(row).filter(([, value]) => value !== undefined),
  ) as Record<string, string>;
}

/**
 * A run's row from its hash, or undefined when there is none (removed).
 *
 * @example
 * ```ts ignore
 * const row = rowFromHash(await redis.hgetall(keys.run(id)));
 * ```
 */
export function rowFromHash(hash: Record<string, string>): RunRow | undefined {
  if (!hash.id || !hash.config) return undefined;
  const { id, source, config, createdAt, status, ...rest } = hash;
  const optional = [
    "admitted",
    "startedAt",
    "endedAt",
    "metrics",
    "test",
    "error",
    "name",
  ] as const;
  return {
    id,
    source: source === "cli" ? "cli" : "server",
    config,
    createdAt,
    status,
    ...Object.fromEntries(optional.filter((k) => rest[k] !== undefined).map((k) => [k, rest[k]])),
  };
}

/** A stream entry as an event row; entry ids are `0-N`. */
export function eventFromEntry([entryId, fields]: [string, string[]]): EventRow {
  const get = (name: string) => fields[fields.indexOf(name) + 1];
  return { id: Number(entryId.slice(2)), event: get("event"), data: get("data") };
}

/** Every event of a run, in order. */
export async function readEvents(redis: Redis, keys: RedisKeys, id: string): Promise<EventRow[]> {
  const entries = await redis.xrange(keys.events(id), "-", "+") as [string, string[]][];
  return entries.map(eventFromEntry);
}

/** KEYS: run, index; ARGV: created at (ms), id, then the row's field/value pairs. */
const INSERT_SCRIPT = `
if redis.call('EXISTS', KEYS[1]) == 1 then return 0 end
redis.call('HSET', KEYS[1], unpack(ARGV, 3))
redis.call('ZADD', KEYS[2], ARGV[1], ARGV[2])
return 1
`;

/**
 * Adds a queued run's row to Redis (it is not yet in the queue); throws a
 * TypeError when a run has its id already (a sweep's trial made by another node).
 *
 * @example
 * ```ts ignore
 * await insertRun(redis, keys, run, "server");
 * ```
 */
export async function insertRun(
  redis: Redis,
  keys: RedisKeys,
  run: Run,
  source: RunSource,
): Promise<void> {
  const fields = Object.entries(hashOf(rowOf(run, source))).flat();
  const created = Date.parse(run.createdAt);
  const args = [keys.run(run.id), keys.index, String(created), run.id, ...fields];
  if (await redis.eval(INSERT_SCRIPT, 2, ...args) !== 1) throw takenRunId(run.id);
}

/** A run whose events go to Redis as it publishes them. */
export interface WrittenRun {
  readonly run: Run;
  /** Resolves once every event so far is in Redis; rejects with the first write that failed. */
  flushed(): Promise<void>;
  /** Stops writing: later events stay in this process only. */
  detach(): void;
}

/**
 * Rebuilds a stored run for the one process that trains it: every event it
 * publishes from now on is written to Redis in order, with the row, the
 * checkpoint taken after an epoch and the model at the end in the same
 * transaction. Undefined when the run is gone.
 *
 * @example
 * ```ts ignore
 * const written = await writeRun(redis, keys, id);
 * ```
 */
export async function writeRun(
  redis: Redis,
  keys: RedisKeys,
  id: string,
  log: RunLogOptions = {},
): Promise<WrittenRun | undefined> {
  const row = rowFromHash(await redis.hgetall(keys.run(id)));
  if (!row) return undefined;
  // This writer's token: a writer that lost the run to a newer one is refused by the script.
  const token = crypto.randomUUID();
  await redis.hset(keys.run(id), "writer", token);
  const events = await readEvents(redis, keys, id);
  let chain: Promise<void> = Promise.resolve();
  let attached = true;
  let run: Run | undefined = undefined;
  const write = (logged: LoggedEvent, extras?: unknown) => {
    if (!attached) return;
    const current = run!;
    const { checkpoint } = (extras ?? {}) as RecordExtras;
    const final = logged.event === "status" && FINAL_STATUSES.includes(current.status);
    const args = [
      keys.run(id),
      keys.events(id),
      keys.checkpoint(id),
      keys.model(id),
      token,
      `0-${logged.id}`,
      logged.event,
      JSON.stringify(logged.data),
      logged.event === "batch" ? "" : JSON.stringify(hashOf(rowOf(current, row.source))),
      checkpoint?.text ?? "",
      (logged.event === "end" || (final && current.status === "stopped")) && current.model
        ? JSON.stringify(current.model)
        : "",
      final ? "1" : "0",
    ];
    chain = chain.then(async () => {
      if (!attached) return;
      try {
        await redis.eval(APPEND_SCRIPT, 4, ...args);
      } catch (error) {
        if (!String((error as Error).message).includes("NAGARE_FENCED")) throw error;
        attached = false; // another worker has the run now: this one stops, quietly
        current.stopper.abort();
      }
    });
  };
  run = runFromRow(row, events, { ...log, onAppend: write });
  return {
    run,
    flushed: () => chain,
    detach: () => void (attached = false),
  };
}

/**
 * Stops a run that no worker holds (a queued one): appends its `stopped`
 * status after the last event in Redis.
 *
 * @example
 * ```ts ignore
 * if (await queue.remove(id)) await stopQueuedRun(redis, keys, id);
 * ```
 */
export async function stopQueuedRun(redis: Redis, keys: RedisKeys, id: string): Promise<void> {
  const written = await writeRun(redis, keys, id);
  if (!written || FINAL_STATUSES.includes(written.run.status)) return;
  setStatus(written.run, "stopped");
  await written.flushed();
}

/**
 * Removes runs with their events, checkpoint and model.
 *
 * @example
 * ```ts ignore
 * await removeRuns(redis, keys, ["r1"]);
 * ```
 */
export async function removeRuns(
  redis: Redis,
  keys: RedisKeys,
  ids: readonly string[],
): Promise<void> {
  if (ids.length === 0) return;
  const multi = redis.multi();
  for (const id of ids) {
    multi.del(keys.run(id), keys.events(id), keys.checkpoint(id), keys.model(id)).zrem(
      keys.index,
      id,
    );
  }
  await multi.exec();
}
