/**
 * The server's live runs: runs whose data is posted while they train, each
 * in a Worker of its own (see `live_launch.ts`), with an event log for SSE.
 * In memory only: a live run's data was never stored, so it is not resumed
 * after a restart, and it needs the process that holds its Worker (the
 * Redis engine, whose nodes share runs, does not offer live runs). A
 * stopped run keeps its final model; the `keepFinished` most recent
 * stopped or failed runs are kept, older ones removed.
 *
 * @module
 */
import type { ModelFile } from "../core/model/model_file.ts";
import type { OnlineEvent } from "../core/train/online_events.ts";
import type { LiveRunConfig } from "../jobs/live_config.ts";
import {
  launchLive,
  type LiveLaunchOptions,
  type LiveWorker,
  type PushResult,
} from "./live_launch.ts";
import type { PackedSamples } from "./ndjson_samples.ts";
import { createRunLog, type RunLog } from "./run_log.ts";
import { layersLabel, runLinks, type RunSummary } from "./run.ts";

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
  push(samples: PackedSamples): Promise<PushResult>;
  /** The current weights as a model file, while the run trains. */
  model(): Promise<ModelFile>;
  /** The weights when the run stopped (after its last partial batch); none for a failed run. */
  finalModel?: ModelFile;
  /** Samples posted and not yet trained on. */
  readonly pending: number;
}

/** The live runs of one server. */
export interface LiveRuns {
  /** Starts a live run (its Worker is ready when this resolves); a RangeError past `maxLive`. */
  create(config: LiveRunConfig): Promise<LiveRun>;
  get(id: string): LiveRun | undefined;
  /** Every live run, newest first (stopped and failed ones too). */
  list(): LiveRun[];
  /**
   * Stops a live run: its Worker trains on the last partial batch, reports
   * the open window and hands back the final model, then ends; the log closes.
   */
  stop(id: string): Promise<LiveRun | undefined>;
  /** Stops every live run. */
  close(): Promise<void>;
}

/** Options of {@linkcode createLiveRuns}. */
export interface LiveRunsOptions {
  /** Live runs at once (default 4), counting those being created; past it, `create` refuses. */
  maxLive?: number;
  /** Stopped and failed live runs kept (default 16); past it, the oldest is removed. */
  keepFinished?: number;
  /** Window events a run's log keeps for replay (default 512), thinned as batch events are. */
  maxWindowEvents?: number;
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
  const { maxLive = 4, keepFinished = 16, newId = () => crypto.randomUUID() } = options;
  const runs = new Map<string, { run: LiveRun; worker?: LiveWorker }>();
  let creating = 0; // runs whose Worker is starting: not in `runs` yet, but counted
  const running = () => [...runs.values()].filter((r) => r.run.status === "running").length;
  const finish = (run: LiveRun, status: "failed" | "stopped", error?: string) => {
    if (run.status !== "running") return;
    run.status = status;
    if (error) run.error = error, run.log.append("error", { message: error });
    run.log.append("status", { status, ...(error ? { error } : {}) });
    run.log.close();
    const finished = [...runs.keys()].filter((id) => runs.get(id)!.run.status !== "running");
    for (const id of finished.slice(0, Math.max(0, finished.length - keepFinished))) {
      runs.delete(id); // oldest first: the map keeps creation order
    }
  };
  async function start(config: LiveRunConfig): Promise<LiveRun> {
    const id = newId(), log = createRunLog({ maxWindowEvents: options.maxWindowEvents });
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
  }
  return {
    async create(config) {
      if (running() + creating >= maxLive) {
        throw new RangeError(
          `Too many live runs: ${maxLive} are training; stop one with POST /api/runs/:id/stop`,
        );
      }
      creating++;
      try {
        return await start(config);
      } finally {
        creating--;
      }
    },
    get: (id) => runs.get(id)?.run,
    list: () => [...runs.values()].map((entry) => entry.run).reverse(),
    async stop(id) {
      const entry = runs.get(id);
      if (!entry) return undefined;
      // The last batch and window are logged before the log closes; a failure meanwhile wins.
      const model = await entry.worker?.stop(id);
      if (model && entry.run.status === "running") entry.run.finalModel = model;
      finish(entry.run, "stopped");
      return entry.run;
    },
    async close() {
      await Promise.all([...runs.keys()].map((id) => this.stop(id)));
    },
  };
}

/**
 * The links of a live run's resources: those of every run plus `samples`.
 *
 * @example
 * ```ts
 * import { liveRunLinks } from "./live_runs.ts";
 * liveRunLinks("r1").samples; // "/api/runs/r1/samples"
 * ```
 */
export function liveRunLinks(id: string): Record<string, string> {
  const links = runLinks(id);
  return { ...links, samples: `${links.self}/samples` };
}

/**
 * A live run as `GET /api/runs` lists it, in the shape of `runSummary`:
 * `dataset` is `"live"`, `metrics` the last prequential window, `samples`
 * the samples trained on so far and `pending` those waiting.
 *
 * @example
 * ```ts ignore
 * const summary = liveRunSummary(await live.create(config));
 * summary.dataset; // "live"
 * ```
 */
export function liveRunSummary(run: LiveRun): RunSummary {
  const { type: _window, ...metrics } = run.lastWindow ?? { type: "window" };
  return {
    id: run.id,
    status: run.status,
    createdAt: run.createdAt,
    dataset: "live",
    live: true,
    layers: layersLabel(run.config.layers),
    window: run.config.window,
    samples: Math.max(run.lastBatch?.samples ?? 0, run.lastWindow?.samples ?? 0),
    pending: run.pending,
    ...(run.lastWindow ? { metrics } : {}),
    ...(run.error ? { error: run.error } : {}),
    links: liveRunLinks(run.id),
  };
}
