/**
 * The server's runs, in memory: a queue with a limit on concurrent
 * training, stop, lookup, and room for runs started elsewhere (the CLI).
 *
 * @module
 */
import type { Observable, Subscription } from "rxjs";
import type { TrainEvent } from "../core/train/train_events.ts";
import type { RunConfig } from "../jobs/run_config.ts";
import { createRun, isFinal, type Run, setStatus } from "./run.ts";
import type { RunLogOptions } from "./run_log.ts";
import { failRun, type TrackOptions, trackRun, type Training } from "./run_tracker.ts";

/** Turns a checked config into a training (loads data, builds the network). */
export type Launch = (
  config: RunConfig,
  options: { signal: AbortSignal },
) => Training | Promise<Training>;

/** Options of {@linkcode createRunStore}. */
export interface RunStoreOptions {
  /** Starts a training for a config; see `launchJob` for the real one. */
  launch: Launch;
  /** Runs training at once (default 2); more wait in the queue. */
  maxRunning?: number;
  /** Runs that may wait (default 50); past it `create` refuses. */
  maxQueued?: number;
  /** Finished runs kept in memory (default 100); the oldest go first. */
  keepFinished?: number;
  /** History bounds of each run's event log. */
  log?: RunLogOptions;
  /** Batch sampling of each run. */
  track?: TrackOptions;
  /** Makes run ids (default `crypto.randomUUID`). */
  newId?: () => string;
}

/** The runs of one server. */
export interface RunStore {
  /** Queues a run for `config`; throws a RangeError when the queue is full. */
  create(config: RunConfig): Run;
  /**
   * Records a training started elsewhere (e.g. `train --serve`): subscribing
   * the returned `events$` trains and records; the dashboard's stop button
   * completes it. Attached runs do not count against `maxRunning`.
   */
  attach(config: RunConfig, training: Training): { run: Run; events$: Observable<TrainEvent> };
  /** Every run, newest first. */
  list(): Run[];
  /** The run with this id, if any. */
  get(id: string): Run | undefined;
  /** Asks a run to stop: a queued run stops at once, a running one within a batch. */
  stop(id: string): Run | undefined;
  /** True when `create` would refuse. */
  readonly full: boolean;
  /** Stops every run and waits for the ones being launched. */
  close(): Promise<void>;
}

/**
 * Creates an empty store.
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
  const { launch, maxRunning = 2, maxQueued = 50, keepFinished = 100 } = options;
  if (!(Number.isInteger(maxRunning) && maxRunning >= 1)) {
    throw new RangeError(`Invalid maxRunning: ${maxRunning} must be a whole number of at least 1`);
  }
  const newId = options.newId ?? (() => crypto.randomUUID());
  const runs = new Map<string, Run>();
  const queue: Run[] = [];
  const subscriptions = new Map<Run, Subscription>();
  const starting = new Set<Promise<void>>();
  let busy = 0;

  const add = (run: Run) => {
    if (runs.has(run.id)) {
      throw new TypeError(`Duplicate run id ${run.id}: newId must return unique ids`);
    }
    runs.set(run.id, run);
    const finished = [...runs.values()].filter(isFinal);
    for (const old of finished.slice(0, Math.max(0, finished.length - keepFinished))) {
      runs.delete(old.id);
    }
  };

  async function start(run: Run): Promise<void> {
    setStatus(run, "running");
    let training: Training;
    try {
      training = await launch(run.config, { signal: run.stopper.signal });
    } catch (error) {
      return failRun(run, error);
    }
    if (run.stopper.signal.aborted) return setStatus(run, "stopped");
    await new Promise<void>((resolve) => {
      const subscription = trackRun(run, training, options.track)
        .subscribe({ error: () => resolve(), complete: () => resolve() });
      if (!subscription.closed) subscriptions.set(run, subscription);
    });
    subscriptions.delete(run);
  }

  function pump(): void {
    while (busy < maxRunning && queue.length > 0) {
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
    run.stopper.abort();
    if (run.status === "queued") {
      queue.splice(queue.indexOf(run), 1);
      setStatus(run, "stopped");
    }
    return run;
  }

  return {
    create(config) {
      if (queue.length >= maxQueued) {
        throw new RangeError(
          `Too many queued runs: ${queue.length} wait already; retry when one finishes`,
        );
      }
      const run = createRun(newId(), config, options.log);
      add(run);
      queue.push(run);
      pump();
      return run;
    },
    attach(config, training) {
      const run = createRun(newId(), config, options.log);
      add(run);
      return { run, events$: trackRun(run, training, options.track) };
    },
    list: () => [...runs.values()].reverse(),
    get: (id) => runs.get(id),
    stop,
    get full() {
      return queue.length >= maxQueued;
    },
    async close() {
      for (const run of runs.values()) stop(run.id);
      for (const s of subscriptions.values()) s.unsubscribe();
      while (starting.size > 0) await Promise.allSettled([...starting]);
    },
  };
}
