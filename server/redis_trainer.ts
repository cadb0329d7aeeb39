/**
 * Trains runs from the BullMQ queue in Redis: `deno task worker --redis URL`,
 * and `deno task serve --redis URL` unless `--no-train`. Each run resumes
 * from its last checkpoint, so a run whose worker died (BullMQ's stalled-job
 * check hands it to another once its lock expires) or stopped (it hands the
 * run back at once) ends with the weights of an uninterrupted run.
 *
 * @module
 */
import { type Job, Worker } from "bullmq";
import type { Subscription } from "rxjs";
import { parseCheckpoint } from "../core/model/checkpoint.ts";
import { isFinal, type Run, setStatus } from "./run.ts";
import type { RunLogOptions } from "./run_log.ts";
import type { Launch } from "./run_store.ts";
import { epochGate, failRun, type TrackOptions, trackRun, type Training } from "./run_tracker.ts";
import { connectRedis, quietCopy, type RedisKeys, redisKeys, writeRun } from "./redis_runs.ts";

/** Options of {@linkcode startRedisTrainer}. */
export interface RedisTrainerOptions {
  /** Redis URL, e.g. `redis://127.0.0.1:6379`. */
  url: string;
  /** Key prefix shared by every node (default `nagare`). */
  prefix?: string;
  /** Starts a training (`launchInWorker` in the servers and workers). */
  launch: Launch;
  /** Runs trained at once by this process (default 1). */
  concurrency?: number;
  /** Checkpoint every this many epochs (default 1). */
  checkpointEvery?: number;
  /**
   * How long a run's lock lasts without renewal (default 20 s): a worker
   * that died loses its runs after this, and the stalled check hands them on.
   */
  lockMs?: number;
  /** How often stalled runs are looked for (default 10 s). */
  stalledCheckMs?: number;
  log?: RunLogOptions;
  track?: TrackOptions;
  /** Told when this process starts or ends a run (for its log lines). */
  onRun?: (id: string, what: "started" | "ended" | "handed back") => void;
}

/** A process taking runs from the queue. */
export interface RedisTrainer {
  /** Ids of the runs training here now. */
  readonly active: ReadonlySet<string>;
  /**
   * Hands every run back to the queue (another worker resumes it from its
   * checkpoint) and closes the connections.
   */
  close(): Promise<void>;
}

/** Thrown by a run handed back: BullMQ retries it at once, on any worker. */
class HandedBack extends Error {
  override name = "HandedBack";
}

interface Active {
  readonly run: Run;
  subscription?: Subscription;
  handBack(): void;
}

/**
 * Connects to Redis and starts taking runs.
 *
 * @example
 * ```ts ignore
 * const trainer = await startRedisTrainer({ url, launch: launchInWorker(), concurrency: 2 });
 * // ... on SIGTERM:
 * await trainer.close();
 * ```
 */
export async function startRedisTrainer(options: RedisTrainerOptions): Promise<RedisTrainer> {
  const { url, launch, concurrency = 1, checkpointEvery = 1 } = options;
  const keys: RedisKeys = redisKeys(options.prefix);
  const redis = await connectRedis(url);
  const subscriber = quietCopy(redis), blocking = quietCopy(redis);
  const active = new Map<string, Active>();
  let closing = false;

  await subscriber.subscribe(keys.stop);
  subscriber.on("message", (_channel: string, id: string) => active.get(id)?.run.stopper.abort());

  async function train(job: Job<{ id: string }>): Promise<void> {
    const { id } = job.data;
    const written = await writeRun(redis, keys, id, options.log);
    if (!written || isFinal(written.run)) return;
    const { run } = written;
    const handedBack = Promise.withResolvers<"handed back">();
    const entry: Active = {
      run,
      handBack() {
        written.detach(); // what the teardown publishes stays here: the next worker goes on
        entry.subscription?.unsubscribe();
        handedBack.resolve("handed back");
      },
    };
    active.set(id, entry);
    options.onRun?.(id, "started");
    let outcome: "ended" | "handed back" = "ended";
    try {
      // Asked to stop before it got here (the stop message may have come before `active` had it).
      if (await redis.hget(keys.run(id), "stop") === "1") {
        setStatus(run, "stopped");
        return await written.flushed();
      }
      if (run.status === "running") {
        setStatus(run, "running", { reason: "resumed on another worker" });
      }
      const gate = epochGate(run, checkpointEvery, { flushed: written.flushed });
      const stored = await redis.get(keys.checkpoint(id));
      let training: Training;
      try {
        training = await launch(run.config, {
          signal: run.stopper.signal,
          checkpoint: gate.checkpoint,
          ...(stored ? { resume: parseCheckpoint(stored) } : {}),
        });
      } catch (error) {
        failRun(run, error);
        return await written.flushed();
      }
      const ended = new Promise<"ended">((resolve) => {
        entry.subscription = trackRun(run, training, { ...options.track, gate })
          .subscribe({ complete: () => resolve("ended"), error: () => resolve("ended") });
      });
      if (closing) entry.handBack();
      outcome = await Promise.race([ended, handedBack.promise]);
      if (outcome === "handed back") {
        throw new HandedBack(`run ${id} handed back: this worker is stopping`);
      }
      await written.flushed();
    } finally {
      active.delete(id);
      options.onRun?.(id, outcome);
    }
  }

  const worker = new Worker<{ id: string }>(keys.queue, train, {
    connection: blocking,
    prefix: keys.prefix,
    concurrency,
    lockDuration: options.lockMs ?? 20_000,
    stalledInterval: options.stalledCheckMs ?? 10_000,
    maxStalledCount: 1_000, // a run may outlive many workers
  });
  worker.on("error", () => {}); // connection trouble: BullMQ reconnects
  await worker.waitUntilReady();

  return {
    get active() {
      return new Set(active.keys());
    },
    async close() {
      closing = true;
      for (const entry of active.values()) entry.handBack();
      await worker.close();
      for (const connection of [subscriber, blocking, redis]) connection.disconnect();
    },
  };
}
