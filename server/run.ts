/**
 * One training run as the server sees it: its config, status, latest
 * metrics, event log and, once done, its model file.
 *
 * @module
 */
import { refName } from "../core/checks/plugin_ref.ts";
import type { ModelFile } from "../core/model/model_file.ts";
import type { EpochEvent } from "../core/train/train_events.ts";
import type { RunConfig } from "../jobs/run_config.ts";
import type { LayerSpec } from "../core/math/types.ts";
import { createRunLog, type RunEventType, type RunLog, type RunLogOptions } from "./run_log.ts";

/** Where a run is in its life. `done`, `stopped` and `failed` are final. */
export type RunStatus = "queued" | "running" | "done" | "stopped" | "failed";

/**
 * The statuses after which nothing changes.
 *
 * @example
 * ```ts
 * import { FINAL_STATUSES } from "./run.ts";
 * FINAL_STATUSES.includes("stopped"); // true
 * ```
 */
export const FINAL_STATUSES: readonly RunStatus[] = ["done", "stopped", "failed"];

/** An epoch's metrics as published: the trainer's epoch event without its `type`. */
export type EpochSummary = Omit<EpochEvent, "type">;

/** A run's state; the store and tracker change it, routes read it. */
export interface Run {
  readonly id: string;
  readonly config: RunConfig;
  readonly createdAt: string;
  readonly log: RunLog;
  /** Aborted when someone asks the run to stop. */
  readonly stopper: AbortController;
  status: RunStatus;
  startedAt?: string;
  endedAt?: string;
  /** Metrics of the last finished epoch. */
  metrics?: EpochSummary;
  /** Test-set evaluation after training, when the data set has one. */
  test?: Record<string, unknown>;
  /** Why the run failed. */
  error?: string;
  /** The trained model, once the run is done. */
  model?: ModelFile;
}

/**
 * Creates a queued run with an empty log.
 *
 * @example
 * ```ts
 * import { createRun } from "./run.ts";
 * import { parseRunConfig } from "../jobs/run_config.ts";
 * const run = createRun("r1", parseRunConfig({ dataset: "xor" }));
 * run.status; // "queued"
 * ```
 */
export function createRun(id: string, config: RunConfig, log: RunLogOptions = {}): Run {
  return {
    id,
    config,
    createdAt: new Date().toISOString(),
    log: createRunLog(log),
    stopper: new AbortController(),
    status: "queued",
  };
}

/**
 * True when the run can no longer change.
 *
 * @example
 * ```ts
 * import { createRun, isFinal } from "./run.ts";
 * import { parseRunConfig } from "../jobs/run_config.ts";
 * isFinal(createRun("r1", parseRunConfig({ dataset: "xor" }))); // false
 * ```
 */
export function isFinal(run: Run): boolean {
  return FINAL_STATUSES.includes(run.status);
}

/**
 * Moves a run to `status` and publishes a `status` event with `extra` (not
 * when neither changes); a final status closes the log, which ends every
 * client's stream.
 *
 * @example
 * ```ts
 * import { createRun, setStatus } from "./run.ts";
 * import { parseRunConfig } from "../jobs/run_config.ts";
 * const run = createRun("r1", parseRunConfig({ dataset: "xor" }));
 * setStatus(run, "stopped");
 * run.log.closed; // true
 * ```
 */
export function setStatus(run: Run, status: RunStatus, extra: Record<string, unknown> = {}): void {
  if (isFinal(run) || (run.status === status && Object.keys(extra).length === 0)) return;
  run.status = status;
  const now = new Date().toISOString();
  if (status === "running") run.startedAt ??= now;
  if (FINAL_STATUSES.includes(status)) run.endedAt = now;
  run.log.append("status", { ...extra, status });
  if (FINAL_STATUSES.includes(status)) run.log.close();
}

/**
 * Updates a run that another process trains from one of its events (read
 * from the state database or Redis), as that process did: its log gets the
 * event under the same id, and its status, metrics, test scores and error
 * follow. Events at or below the log's last id are ignored.
 *
 * @example
 * ```ts
 * import { createRun, mirrorEvent } from "./run.ts";
 * import { parseRunConfig } from "../jobs/run_config.ts";
 * const run = createRun("r1", parseRunConfig({ dataset: "xor" }));
 * mirrorEvent(run, 5, "status", { status: "running" });
 * [run.status, run.log.lastId]; // ["running", 5]
 * ```
 */
export function mirrorEvent(run: Run, id: number, event: RunEventType, data: unknown): void {
  if (run.log.closed || id <= run.log.lastId) return;
  run.log.mirror(id, event, data);
  const fields = data as Record<string, unknown>;
  const now = new Date().toISOString();
  if (event === "epoch") run.metrics = data as EpochSummary;
  if (event === "error") run.error = String(fields.message);
  if (event === "end" && fields.test) run.test = fields.test as Record<string, unknown>;
  if (event === "status") {
    run.status = fields.status as RunStatus;
    if (run.status === "running") run.startedAt ??= now;
    if (isFinal(run)) {
      run.endedAt ??= now;
      run.log.close();
    }
  }
}

/**
 * Links of a run's resources, as returned by the API.
 *
 * @example
 * ```ts
 * import { runLinks } from "./run.ts";
 * runLinks("r1").model; // "/api/runs/r1/model"
 * ```
 */
export function runLinks(id: string): Record<string, string> {
  const self = `/api/runs/${encodeURIComponent(id)}`;
  return { self, events: `${self}/events`, stop: `${self}/stop`, model: `${self}/model` };
}

/** A run as `GET /api/runs` lists it; {@linkcode runSummary} and `liveRunSummary` make one. */
export type RunSummary = Record<string, unknown> & {
  readonly id: string;
  readonly status: RunStatus;
  readonly createdAt: string;
  readonly links: Record<string, string>;
};

/**
 * The layers of a run as the runs list shows them: `units:activation`, comma-separated.
 *
 * @example
 * ```ts
 * import { layersLabel } from "./run.ts";
 * layersLabel([{ units: 16, activation: "tanh" }, { units: 2, activation: "softmax" }]);
 * // "16:tanh,2:softmax"
 * ```
 */
export function layersLabel(layers: readonly LayerSpec[]): string {
  return layers.map((l) => `${l.units}:${activationName(l.activation)}`).join(",");
}

/** An epoch's metrics without the decision grid its event may carry (for the events stream only). */
function withoutGrid(metrics: EpochSummary): EpochSummary {
  const { boundary: _grid, ...rest } = metrics as EpochSummary & { boundary?: unknown };
  return rest;
}

/**
 * The JSON summary of a run for `GET /api/runs`.
 *
 * @example
 * ```ts
 * import { createRun, runSummary } from "./run.ts";
 * import { parseRunConfig } from "../jobs/run_config.ts";
 * runSummary(createRun("r1", parseRunConfig({ dataset: "xor" }))).links.events;
 * // "/api/runs/r1/events"
 * ```
 */
export function runSummary(run: Run): RunSummary {
  const { dataset, epochs, layers } = run.config;
  return {
    id: run.id,
    status: run.status,
    createdAt: run.createdAt,
    ...(run.startedAt ? { startedAt: run.startedAt } : {}),
    ...(run.endedAt ? { endedAt: run.endedAt } : {}),
    dataset,
    epochs,
    layers: layers ? layersLabel(layers) : "chosen from the target",
    ...(run.metrics ? { metrics: withoutGrid(run.metrics) } : {}),
    ...(run.error ? { error: run.error } : {}),
    links: runLinks(run.id),
  };
}

/**
 * The JSON detail of a run for `GET /api/runs/:id`: the summary plus its
 * config, test metrics and the id of its last event.
 *
 * @example
 * ```ts
 * import { createRun, runDetail } from "./run.ts";
 * import { parseRunConfig } from "../jobs/run_config.ts";
 * runDetail(createRun("r1", parseRunConfig({ dataset: "xor" }))).config;
 * ```
 */
export function runDetail(run: Run): Record<string, unknown> {
  return {
    ...runSummary(run),
    config: run.config,
    ...(run.test ? { test: run.test } : {}),
    lastEventId: run.log.lastId,
  };
}

function activationName(ref: LayerSpec["activation"]): string {
  if (ref === undefined) return "identity";
  return refName(ref);
}
