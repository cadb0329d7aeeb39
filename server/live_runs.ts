/**
 * The server's live runs: runs whose data is posted while they train, each
 * in a Worker of its own (see `live_launch.ts`), with an event log for SSE.
 * In memory only: a live run's data was never stored, so it is not resumed
 * after a restart, and it needs the process that holds its Worker (the
 * Redis engine, whose nodes share runs, does not offer live runs).
 *
 * @module
 */
import type { ModelFile } from "../core/model/model_file.ts";
import type { OnlineEvent } from "../core/train/online_events.ts";
import type { LiveRunConfig } from "../jobs/live_config.ts";
import { launchLive, type LiveLaunchOptions, type LiveWorker } from "./live_launch.ts";
import type { PackedSamples } from "./ndjson_samples.ts";
import { createRunLog, type RunLog } from "./run_log.ts";

/** One live run. */
export interface LiveRun {
  readonly id: string;
  readonly config: LiveRunConfig;
  /** Status, window and batch events, for `GET /api/runs/:id/events`. */
  readonly log: RunLog;
  status: "running" | "failed" | "stopped";
  error?: string;
  /** The last window event, if any. */
  lastWindow?: OnlineEvent;
  /** The last batch event the Worker posted, if any. */
  lastBatch?: OnlineEvent;
  readonly createdAt: string;
  /** Trains on posted samples; see {@linkcode LiveWorker.push}. */
  push(samples: PackedSamples): Promise<void>;
  /** The current weights as a model file. */
  model(): Promise<ModelFile>;
  /** Samples posted and not yet trained on. */
  readonly pending: number;
}

/** The live runs of one server. */
export interface LiveRuns {
  /** Starts a live run (its Worker is ready when this resolves); a RangeError past `maxLive`. */
  create(config: LiveRunConfig): Promise<LiveRun>;
  get(id: string): LiveRun | undefined;
  /** Stops a live run: its Worker ends, its log closes. */
  stop(id: string): Promise<LiveRun | undefined>;
  /** Stops every live run. */
  close(): Promise<void>;
}

/** Options of {@linkcode createLiveRuns}. */
export interface LiveRunsOptions {
  /** Live runs at once (default 4); past it, `create` refuses. */
  maxLive?: number;
  /** Makes run ids (default `crypto.randomUUID`). */
  newId?: () => string;
  /** Worker settings. */
  launch?: Pick<LiveLaunchOptions, "flushMs" | "graceMs">;
}

/**
 * Creates the registry of live runs.
 *
 * @example
 * ```ts ignore
 * const live = createLiveRuns();
 * const run = await live.create(config);
 * await run.push(parseSamples(body, config.dataset.live));
 * ```
 */
export function createLiveRuns(options: LiveRunsOptions = {}): LiveRuns {
  const { maxLive = 4, newId = () => crypto.randomUUID() } = options;
  const runs = new Map<string, { run: LiveRun; worker?: LiveWorker }>();
  const running = () => [...runs.values()].filter((r) => r.run.status === "running").length;
  const finish = (run: LiveRun, status: "failed" | "stopped", error?: string) => {
    if (run.status !== "running") return;
    run.status = status;
    if (error) run.error = error, run.log.append("error", { message: error });
    run.log.append("status", { status, ...(error ? { error } : {}) });
    run.log.close();
  };
  return {
    async create(config) {
      if (running() >= maxLive) {
        throw new RangeError(
          `Too many live runs: ${maxLive} are training; stop one with POST /api/runs/:id/stop`,
        );
      }
      const id = newId(), log = createRunLog();
      const entry: { run: LiveRun; worker?: LiveWorker } = {
        run: {
          id,
          config,
          log,
          status: "running",
          createdAt: new Date().toISOString(),
          push: (samples) => entry.worker!.push(samples),
          model: () => entry.worker!.snapshot(id),
          get pending() {
            return entry.worker?.pending ?? 0;
          },
        },
      };
      const { run } = entry;
      entry.worker = await launchLive(config, {
        ...options.launch,
        onEvent(event) {
          const { type, ...data } = event;
          if (type === "window") run.lastWindow = event;
          else run.lastBatch = event;
          if (!log.closed) log.append(type, data);
        },
        onError: (error) => finish(run, "failed", error.message),
      });
      runs.set(id, entry);
      log.append("status", { status: "running", live: config.dataset.live, window: config.window });
      return run;
    },
    get: (id) => runs.get(id)?.run,
    async stop(id) {
      const entry = runs.get(id);
      if (!entry) return undefined;
      finish(entry.run, "stopped");
      await entry.worker?.stop();
      return entry.run;
    },
    async close() {
      await Promise.all([...runs.keys()].map((id) => this.stop(id)));
    },
  };
}
