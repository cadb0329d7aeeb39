/**
 * The server's runs: a queue with a limit on concurrent training, stop,
 * lookup, and room for runs started elsewhere (the CLI). In memory only, or
 * recorded in the state database (`records`): then runs outlive the
 * process, a run that was training resumes from its last checkpoint, and
 * retention removes old finished runs with their events and models.
 *
 * @module
 */
import type { Observable, Subscription } from "rxjs";
import type { TrainEvent } from "../core/train/train_events.ts";
import type { RunConfig } from "../jobs/run_config.ts";
import type { JobOptions } from "../jobs/run_job.ts";
import type { ModelFile } from "../core/model/model_file.ts";
import { parseCheckpoint } from "../core/model/checkpoint.ts";
import {
  createRun,
  FINAL_STATUSES,
  isFinal,
  mirrorEvent,
  type Run,
  type RunStatus,
  setStatus,
} from "./run.ts";
import { checkRunId, takenRunId } from "./run_id.ts";
import type { RunEventType, RunLogOptions } from "./run_log.ts";
import { runFromRow, type RunRecords } from "./run_records.ts";
import type { RunRow } from "./state_db.ts";
import {
  type EpochGate,
  epochGate,
  failRun,
  type TrackOptions,
  trackRun,
  type Training,
} from "./run_tracker.ts";

/** Turns a checked config into a training (loads data, builds the network). */
export type Launch = (
  config: RunConfig,
  options: { signal: AbortSignal } & Pick<JobOptions, "checkpoint" | "resume">,
) => Training | Promise<Training>;

/** Options of {@linkcode createRunStore}. */
export interface RunStoreOptions {
  /** Starts a training for a config; see `launchJob` for the real one. */
  launch: Launch;
  /** Runs training at once (default 2); more wait in the queue. */
  maxRunning?: number;
  /** Runs that may wait (default 50); past it `create` refuses. */
  maxQueued?: number;
  /** Finished runs kept (default 100); the oldest go first, with their events and models. */
  keepFinished?: number;
  /** Finished runs older than this many days are removed (default: kept by count only). */
  keepDays?: number;
  /** History bounds of each run's event log. */
  log?: RunLogOptions;
  /** Batch sampling of each run. */
  track?: TrackOptions;
  /** Makes run ids (default `crypto.randomUUID`). */
  newId?: () => string;
  /** Records runs in the state database (see `openRunRecords`); none keeps them in memory. */
  records?: RunRecords;
  /** A recorded run checkpoints every this many epochs (default 1). */
  checkpointEvery?: number;
  /** How often the database is read for runs of other processes (default 2000 ms). */
  syncMs?: number;
  /** Clock for retention and syncing (default `Date.now`). */
  now?: () => number;
  /**
   * Resolves when the store may adopt and resume other processes' runs (the
   * server listens): before, the database is not read. Default: at once.
   */
  ready?: Promise<unknown>;
}

/** Options of `create`. */
export interface CreateRunOptions {
  /**
   * The new run's id (default: a new one); a TypeError when another run has
   * it. A sweep records a trial's run id before it creates the run, so that
   * whoever resumes the sweep makes that run, and makes it once.
   */
  id?: string;
}

/**
 * What the routes need of a server's runs: the embedded {@linkcode RunStore},
 * or runs kept in Redis and shared by several nodes (`createRedisRunStore`),
 * where a run another node started is looked up, stopped and read
 * asynchronously.
 */
export interface RunService {
  /** Queues a run for `config`; throws a RangeError when the queue is full. */
  create(config: RunConfig, options?: CreateRunOptions): Run | Promise<Run>;
  /** Every run known, newest first. */
  list(): Run[];
  /** The run with this id, if any. */
  get(id: string): Run | undefined | Promise<Run | undefined>;
  /** A done run's model file. */
  model(id: string): ModelFile | undefined | Promise<ModelFile | undefined>;
  /** Asks a run to stop. */
  stop(id: string): Run | undefined | Promise<Run | undefined>;
  /** True when `create` would refuse. */
  readonly full: boolean;
  /** Lets go of every run and the connections. */
  close(): Promise<void>;
}

/** The runs of one server. */
export interface RunStore extends RunService {
  /** Queues a run for `config`; throws a RangeError when the queue is full. */
  create(config: RunConfig, options?: CreateRunOptions): Run;
  /**
   * Records a training started elsewhere (e.g. `train --serve`): subscribing
   * the returned `events$` trains and records; the dashboard's stop button
   * completes it. Attached runs do not count against `maxRunning`. Pass
   * `run` to attach a run made already (a CLI run recorded by the caller).
   */
  attach(
    config: RunConfig,
    training: Training,
    options?: { run?: Run; gate?: EpochGate },
  ): { run: Run; events$: Observable<TrainEvent> };
  /** Every run, newest first. */
  list(): Run[];
  /** The run with this id, if any. */
  get(id: string): Run | undefined;
  /** A done run's model file. */
  model(id: string): ModelFile | undefined;
  /**
   * Asks a run to stop: a queued run stops at once, a running one within a
   * batch; throws a RangeError for a run another process trains (a CLI run).
   */
  stop(id: string): Run | undefined;
  /** True when `create` would refuse. */
  readonly full: boolean;
  /**
   * Stops listening to every run. In memory, runs stop; recorded, they are
   * left as they are in the database, to be resumed by the next server.
   */
  close(): Promise<void>;
}

/** Shown for a CLI run whose process died before it ended. */
export function interruptedMessage(id: string): string {
  return `interrupted: continue it with deno task train --resume ${id}`;
}

/**
 * Creates a store; with `records`, it starts with the runs recorded there
 * and queues again those of a server that died while they were queued or
 * training.
 *
 * @example
 * ```ts ignore
 * import { createRunStore } from "./run_store.ts";
 * import { launchJob } from "./launch_job.ts";
 * const store = createRunStore({ launch: launchJob(), maxRunning: 2 });
 * const run = store.create(parseRunConfig({ dataset: "xor" }));
 * ```
 */
export function createRunStore(options: RunStoreOptions): RunStore {
  const { launch, maxRunning = 2, maxQueued = 50, keepFinished = 100, records } = options;
  const { checkpointEvery = 1, syncMs = 2000, now = Date.now } = options;
  if (!(Number.isInteger(maxRunning) && maxRunning >= 1)) {
    throw new RangeError(`Invalid maxRunning: ${maxRunning} must be a whole number of at least 1`);
  }
  const newId = options.newId ?? (() => crypto.randomUUID());
  const runs = new Map<string, Run>();
  const queue: Run[] = [];
  const subscriptions = new Map<Run, Subscription>();
  const starting = new Set<Promise<void>>();
  /** Runs this store trains or was handed; the others are other processes' (read from the database). */
  const own = new Set<string>();
  /** CLI runs whose process died before they ended: they look stopped until resumed. */
  const interrupted = new Set<string>();
  let busy = 0, closed = false, lastSync = -Infinity, started = options.ready === undefined;

  function retain(): void {
    // An interrupted CLI run only looks stopped: it may go on, so it is kept.
    const finished = [...runs.values()].filter((run) => isFinal(run) && !interrupted.has(run.id));
    const cutoff = options.keepDays === undefined ? -Infinity : now() - options.keepDays * 864e5;
    const old = finished.filter((run, i) =>
      i < finished.length - keepFinished || Date.parse(run.endedAt ?? run.createdAt) < cutoff
    );
    for (const run of old) runs.delete(run.id), own.delete(run.id);
    if (records && old.length > 0) records.db.remove(old.map((run) => run.id));
  }

  const add = (run: Run) => {
    if (runs.has(run.id)) {
      throw new TypeError(`Duplicate run id ${run.id}: newId must return unique ids`);
    }
    runs.set(run.id, run);
    retain();
  };

  /**
   * Reads the database for what this store does not train: runs another
   * process records (followed event by event while it lives), and server
   * runs whose process is gone, which this store adopts and resumes.
   */
  function sync(force = false): void {
    if (!records || closed || !started || (!force && now() - lastSync < syncMs)) return;
    lastSync = now();
    for (const row of records.db.runs()) {
      if (own.has(row.id)) continue;
      try {
        const final = FINAL_STATUSES.includes(row.status as RunStatus);
        const live = !final && records.isLive(row.id, row);
        const known = runs.get(row.id);
        if (row.source === "server" && !final && !live) adopt(row.id);
        else if (known && !known.log.closed) follow(known, row, live);
        else if (!known || (interrupted.has(row.id) && (live || final))) {
          const run = records.restore(row.id, options.log)!.run;
          interrupted.delete(row.id);
          runs.set(row.id, run);
          if (!final && !live) markInterrupted(run);
        }
      } catch (error) {
        console.error(
          `nagare: skipping run ${row.id} of ${records.db.path}: ${(error as Error).message}`,
        );
      }
    }
    retain();
    pump();
  }

  /** Takes a server run whose process is gone and queues it to go on from its checkpoint. */
  function adopt(id: string): void {
    const restored = records!.restore(id, options.log, true);
    if (!restored?.held) return; // another server took it first
    const { run } = restored;
    runs.get(id)?.log.close(); // clients following it reconnect to the adopted run
    own.add(id);
    interrupted.delete(id);
    run.status = "queued";
    run.log.append("status", { status: "queued", reason: "resumed after a restart" });
    runs.set(id, run);
    queue.push(run);
  }

  /** Brings a run another process records up to date: its new events, then its row. */
  function follow(run: Run, row: RunRow, live: boolean): void {
    for (const event of records!.db.events(run.id, run.log.lastId)) {
      mirrorEvent(run, event.id, event.event as RunEventType, JSON.parse(event.data));
    }
    if (run.log.closed) return;
    if (FINAL_STATUSES.includes(row.status as RunStatus)) {
      Object.assign(run, runFromRow(row, []), { log: run.log, stopper: run.stopper });
      run.log.close();
    } else if (!live) markInterrupted(run);
  }

  /** A CLI run whose process died: shown stopped, kept (it can go on with --resume). */
  function markInterrupted(run: Run): void {
    run.status = "stopped";
    run.error = interruptedMessage(run.id);
    run.log.close();
    interrupted.add(run.id);
  }

  async function start(run: Run): Promise<void> {
    setStatus(run, "running");
    const gate = records ? epochGate(run, checkpointEvery) : undefined;
    let training: Training;
    try {
      const stored = records?.db.checkpoint(run.id);
      training = await launch(run.config, {
        signal: run.stopper.signal,
        ...(gate ? { checkpoint: gate.checkpoint } : {}),
        ...(stored ? { resume: parseCheckpoint(stored.text) } : {}),
      });
    } catch (error) {
      return failRun(run, error);
    }
    if (run.stopper.signal.aborted) return setStatus(run, "stopped");
    await new Promise<void>((resolve) => {
      const subscription = trackRun(run, training, { ...options.track, gate })
        .subscribe({ error: () => resolve(), complete: () => resolve() });
      subscription.add(() => resolve()); // unsubscribed by close() while a stop keeps its model
      if (!subscription.closed) subscriptions.set(run, subscription);
    });
    subscriptions.delete(run);
    retain();
  }

  function pump(): void {
    while (!closed && busy < maxRunning && queue.length > 0) {
      const run = queue.shift()!;
      if (isFinal(run)) continue;
      busy++;
      const started: Promise<void> = start(run).finally(() => {
        busy--;
        starting.delete(started);
        pump();
      });
      starting.add(started);
    }
  }

  function stop(id: string): Run | undefined {
    const run = runs.get(id);
    if (!run || isFinal(run)) return run;
    if (!own.has(id)) {
      throw new RangeError(
        `Run ${id} is trained by another process (deno task train): stop it there, with Ctrl-C`,
      );
    }
    run.stopper.abort();
    if (run.status === "queued") {
      queue.splice(queue.indexOf(run), 1);
      setStatus(run, "stopped");
    }
    return run;
  }

  if (options.ready) {
    options.ready.then(() => {
      started = true;
      sync(true);
    }, () => {});
  } else sync(true);
  const timer = records ? setInterval(() => sync(), syncMs) : undefined;
  if (timer !== undefined) Deno.unrefTimer(timer);

  return {
    create(config, createOptions = {}) {
      if (queue.length >= maxQueued) {
        throw new RangeError(
          `Too many queued runs: ${queue.length} wait already; retry when one finishes`,
        );
      }
      const id = createOptions.id === undefined ? newId() : checkRunId(createOptions.id);
      if (runs.has(id) || records?.db.run(id)) throw takenRunId(id);
      const run = records
        ? records.create(id, config, "server", options.log)
        : createRun(id, config, options.log);
      own.add(id);
      add(run);
      queue.push(run);
      pump();
      return run;
    },
    attach(config, training, attachOptions = {}) {
      const run = attachOptions.run ?? createRun(newId(), config, options.log);
      own.add(run.id);
      add(run);
      return {
        run,
        events$: trackRun(run, training, { ...options.track, gate: attachOptions.gate }),
      };
    },
    list() {
      sync();
      return [...runs.values()].reverse();
    },
    get(id) {
      if (!runs.has(id)) sync(true);
      return runs.get(id);
    },
    model: (id) => runs.get(id)?.model ?? records?.model(id),
    stop,
    get full() {
      return queue.length >= maxQueued;
    },
    async close() {
      closed = true;
      if (timer !== undefined) clearInterval(timer);
      if (records) {
        // Let go of every run first: what follows is not recorded, and the next server resumes them.
        for (const id of own) records.release(id);
      }
      for (const run of runs.values()) if (own.has(run.id)) stop(run.id);
      for (const s of subscriptions.values()) s.unsubscribe();
      while (starting.size > 0) await Promise.allSettled([...starting]);
    },
  };
}
