/**
 * The Worker of one live run (see `live_launch.ts`): it builds the network
 * and an online learner from the run's config, trains on the samples the
 * main thread posts, and posts window events (batch events at most every
 * `flushMs`) and snapshots back. Stopping ends the stream as a completed
 * source does: the last partial batch is trained on, the open window is
 * reported, and the final model goes back with `stopped`. Internal: a
 * Worker entry; loading it installs the message handler, so nothing else
 * should import it (types aside).
 *
 * @module
 */
import { Subject, type Subscription } from "rxjs";
import { createRegistry } from "../core/checks/registry.ts";
import { createNetwork } from "../core/math/network.ts";
import type { Mat } from "../core/math/types.ts";
import type { ModelFile } from "../core/model/model_file.ts";
import type { OnlineEvent } from "../core/train/online_events.ts";
import {
  type OnlineBatch,
  type OnlineLearner,
  onlineLearner,
} from "../core/train/online_learner.ts";
import type { LiveRunConfig } from "../jobs/live_config.ts";
import { builtinPlugins } from "../plugins/mod.ts";
import type { PackedSamples } from "./ndjson_samples.ts";
import { type ErrorData, errorData } from "./_thread_error.ts";

/** What the main thread sends. */
export type ToLiveWorker =
  | { readonly type: "start"; readonly config: LiveRunConfig; readonly flushMs: number }
  | { readonly type: "samples"; readonly id: number; readonly samples: PackedSamples }
  | { readonly type: "snapshot"; readonly id: number; readonly name?: string }
  | { readonly type: "stop"; readonly name?: string };

/** What the worker sends back, in the order things happened. */
export type FromLiveWorker =
  | { readonly type: "ready" }
  | { readonly type: "events"; readonly events: readonly OnlineEvent[] }
  /** `trained` while applying them, `waiting` in the open batch after (see `PushResult`). */
  | {
    readonly type: "applied";
    readonly id: number;
    readonly trained: number;
    readonly waiting: number;
  }
  | { readonly type: "snapshot"; readonly id: number; readonly model: ModelFile }
  | { readonly type: "error"; readonly error: ErrorData }
  /** `model`: the weights after the last partial batch. */
  | { readonly type: "stopped"; readonly model: ModelFile };

interface Scope {
  onmessage: ((event: MessageEvent<ToLiveWorker>) => void) | null;
  postMessage(message: FromLiveWorker): void;
}

const scope = self as unknown as Scope;
const post = (message: FromLiveWorker) => scope.postMessage(message);
let learner: OnlineLearner | undefined, subscription: Subscription | undefined;
const samples$ = new Subject<OnlineBatch>();
let lastBatch: OnlineEvent | undefined, flushedAt = 0, flushMs = 0, failed = false;

function start(config: LiveRunConfig): void {
  const registry = createRegistry(builtinPlugins());
  const { inputs } = config.dataset.live;
  const network = createNetwork({ inputs, layers: config.layers }, { registry, seed: config.seed });
  learner = onlineLearner({
    network,
    loss: registry.get("loss", config.loss),
    optimizer: registry.get("optimizer", config.optimizer),
    lr: config.lr,
    batchSize: config.batchSize,
    window: config.window,
  });
  subscription = samples$.pipe(learner.trainOn()).subscribe({
    next(event) {
      if (event.type === "batch") {
        lastBatch = event; // a step takes microseconds: only the latest goes, every flushMs
        if (performance.now() - flushedAt < flushMs) return;
      }
      lastBatch = undefined, flushedAt = performance.now();
      post({ type: "events", events: [event] });
    },
    error(error) {
      failed = true;
      post({ type: "error", error: errorData(error) });
    },
  });
}

/** Posts the batch event held back by `flushMs`, if any. */
function flushBatch(): void {
  if (lastBatch) post({ type: "events", events: [lastBatch] }), lastBatch = undefined;
}

const mat = (data: Float32Array, rows: number, cols: number): Mat => ({ data, rows, cols });

scope.onmessage = ({ data }) => {
  try {
    if (data.type === "start") {
      flushMs = data.flushMs;
      start(data.config);
      post({ type: "ready" });
    } else if (data.type === "samples") {
      const { x, y, rows } = data.samples, before = learner!.pending;
      samples$.next({ x: mat(x, rows, x.length / rows), y: mat(y, rows, y.length / rows) }); // trains at once
      flushBatch();
      const waiting = learner!.pending; // the open batch: the step is built, nothing queues
      post({ type: "applied", id: data.id, trained: rows + before - waiting, waiting });
    } else if (data.type === "snapshot") {
      post({ type: "snapshot", id: data.id, model: learner!.snapshot({ name: data.name }) });
    } else {
      samples$.complete(); // trains the last partial batch and reports the open window, at once
      flushBatch();
      subscription?.unsubscribe();
      if (!failed) post({ type: "stopped", model: learner!.snapshot({ name: data.name }) });
    }
  } catch (error) {
    post({ type: "error", error: errorData(error) });
  }
};
