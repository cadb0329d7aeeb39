/**
 * The Worker of one server run (see `worker_launch.ts`): it builds the job
 * with `runJob`, trains when told to, and posts the trainer's events, its
 * checkpoints (waiting for the main thread's answer) and the result back.
 * Internal: a Worker entry; loading it installs the message handler, so
 * nothing else should import it (types aside).
 *
 * @module
 */
import { fileURLToPath } from "node:url";
import type { Subscription } from "rxjs";
import type { Checkpoint } from "../core/model/checkpoint.ts";
import type { TrainEvent } from "../core/train/train_events.ts";
import { loadPluginModules } from "../io/load_plugins.ts";
import { fileStream } from "../jobs/file_data.ts";
import type { RunConfig } from "../jobs/run_config.ts";
import { type Job, runJob } from "../jobs/run_job.ts";
import {
  type AdmittedFile,
  admittedFileOf,
  openAdmittedFile,
  withAdmittedFile,
} from "./data_path.ts";
import { jobResult, stoppedResult } from "./launch_job.ts";
import { withDecisionGrids } from "../jobs/decision_grid.ts";
import type { TrainingResult } from "./run_tracker.ts";
import { type ErrorData, errorData, errorFrom } from "./_thread_error.ts";

/** The first message: what to build. */
export interface StartMessage {
  readonly type: "start";
  /** The admitted run config, without its admitted file (a symbol key does not cross threads). */
  readonly config: RunConfig;
  /** The file the run policy admitted, for a file data set. */
  readonly admitted?: AdmittedFile;
  /** Module URLs whose exported plugins join the built-ins. */
  readonly pluginModules: readonly string[];
  readonly backend?: "auto" | "ts" | "wasm";
  /** Save a checkpoint every this many epochs; each waits for a `saved` answer. */
  readonly checkpointEvery?: number;
  readonly resume?: Checkpoint;
  /** Batch events wait at most this long to be posted together (0: each alone). */
  readonly flushMs: number;
}

/** What the main thread sends. */
export type ToWorker =
  | StartMessage
  | { readonly type: "train" }
  | { readonly type: "stop" }
  | { readonly type: "saved"; readonly id: number; readonly error?: ErrorData };

/** What the worker sends back, in the order things happened. */
export type FromWorker =
  | { readonly type: "ready" }
  | { readonly type: "events"; readonly events: readonly TrainEvent[] }
  | { readonly type: "checkpoint"; readonly id: number; readonly checkpoint: Checkpoint }
  | { readonly type: "done"; readonly result: TrainingResult }
  | { readonly type: "error"; readonly error: ErrorData }
  | { readonly type: "stopped"; readonly result?: TrainingResult };

interface Scope {
  onmessage: ((event: MessageEvent<ToWorker>) => void) | null;
  postMessage(message: FromWorker): void;
}

const scope = self as unknown as Scope;
const post = (message: FromWorker) => scope.postMessage(message);
const saves = new Map<number, { resolve(): void; reject(error: Error): void }>();
let job: Job | undefined, subscription: Subscription | undefined, flushMs = 0;
let pending: TrainEvent[] = [], flushedAt = 0, lastSave = 0;

function flush(): void {
  if (pending.length > 0) post({ type: "events", events: pending });
  pending = [];
  flushedAt = performance.now();
}

function save(checkpoint: Checkpoint): Promise<void> {
  flush(); // the epoch's event goes first, as in-process
  const id = ++lastSave;
  return new Promise<void>((resolve, reject) => {
    saves.set(id, { resolve, reject });
    post({ type: "checkpoint", id, checkpoint });
  });
}

async function build(start: StartMessage): Promise<void> {
  flushMs = start.flushMs;
  try {
    const plugins = await loadPluginModules(
      start.pluginModules.map((m) => m.startsWith("file:") ? fileURLToPath(m) : m),
    );
    const { admitted, config: sent } = start;
    const config = admitted && typeof sent.dataset === "object"
      ? { ...sent, dataset: withAdmittedFile(sent.dataset, admitted) }
      : sent;
    job = await runJob(config, {
      plugins,
      pluginModules: start.pluginModules,
      // As launchJob opens files: only the admitted one, and only while it is still that file.
      open: () => fileStream(openAdmittedFile(admittedFileOf(config.dataset))),
      ...(start.backend ? { backend: start.backend } : {}),
      ...(start.checkpointEvery ? { checkpoint: { every: start.checkpointEvery, save } } : {}),
      ...(start.resume ? { resume: start.resume } : {}),
      // No server shares this Worker, only the main thread's messages (stop): train()'s turn
      // of the event loop every 100 ms of work is soon enough.
    });
    post({ type: "ready" });
  } catch (error) {
    post({ type: "error", error: errorData(error) });
  }
}

function train(ready: Job): void {
  subscription = ready.events$.pipe(withDecisionGrids(ready)).subscribe({
    next(event) {
      pending.push(event);
      if (event.type !== "batch" || performance.now() - flushedAt >= flushMs) flush();
    },
    error(error) {
      flush();
      post({ type: "error", error: errorData(error) });
    },
    complete() {
      flush();
      Promise.resolve()
        .then(() => jobResult(ready, ready.evaluateTest()))
        .then(
          (result) => post({ type: "done", result }),
          (error) => post({ type: "error", error: errorData(error) }),
        );
    },
  });
}

scope.onmessage = ({ data }) => {
  if (data.type === "start") build(data);
  else if (data.type === "train") train(job!);
  else if (data.type === "stop") {
    const trained = subscription !== undefined;
    subscription?.unsubscribe(); // the trainer stops within a batch, its weights settled
    flush();
    let result: TrainingResult | undefined;
    try {
      // A stopped run keeps the weights it reached: its model, without test scores.
      if (trained && job) result = stoppedResult(job);
    } catch {
      result = undefined; // no model: the run is stopped all the same
    }
    post({ type: "stopped", ...(result ? { result } : {}) });
  } else {
    const waiting = saves.get(data.id);
    saves.delete(data.id);
    if (data.error) waiting?.reject(errorFrom(data.error));
    else waiting?.resolve();
  }
};
