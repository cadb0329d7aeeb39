/**
 * A {@linkcode Launch} that trains in a Deno Worker, so that the server's
 * event loop only answers requests: the same contract as `launchJob`
 * (subscribing trains, unsubscribing stops within a batch, `result()` after
 * completion), the same events in the same order, errors of the same class.
 *
 * @module
 */
import { EMPTY, Observable } from "rxjs";
import type { TrainEvent } from "../core/train/train_events.ts";
import { carriedAdmittedFile } from "./data_path.ts";
import type { LaunchJobOptions } from "./launch_job.ts";
import type { Launch } from "./run_store.ts";
import type { TrainingResult } from "./run_tracker.ts";
import { errorData, errorFrom } from "./_thread_error.ts";
import type { FromWorker, StartMessage, ToWorker } from "./_train_worker.ts";

const ENTRY = new URL("./_train_worker.ts", import.meta.url);

/** Options of {@linkcode launchInWorker}. */
export interface WorkerLaunchOptions extends LaunchJobOptions {
  /**
   * Module URLs (`file:///...`) of the `--plugin` files: the Worker imports
   * them to rebuild custom plugins, which cannot cross threads as objects.
   * A plugin in `plugins` that none of them exports is unknown in the Worker.
   */
  pluginModules?: readonly string[];
  /** Milliseconds a stopping Worker has to end its run before it is terminated (default 2,000). */
  graceMs?: number;
  /**
   * Batch events wait at most this long in the Worker to be posted together,
   * in order (default 10): a tiny network steps every few microseconds, and
   * this makes about 100 messages a second of them instead of one per step.
   * Other events go at once. 0 posts each alone.
   */
  flushMs?: number;
}

/** A launch whose runs train in Workers; `liveWorkers` counts those not yet terminated. */
export type WorkerLaunch = Launch & { readonly liveWorkers: number };

/**
 * A launch that builds and trains each run in a Worker of its own, ended
 * (terminated) when its run completes, fails or stops. Aborting the launch's
 * signal or unsubscribing tells the Worker to stop; one that does not answer
 * within `graceMs` is terminated anyway. Checkpoints go to the main thread's
 * `save`, and training waits for it as in-process. A file data set is opened
 * inside the Worker, as `launchJob` opens it: only the file the run policy
 * admitted, and only while it is still that file.
 *
 * @example
 * ```ts ignore
 * import { createRunStore } from "./run_store.ts";
 * import { launchInWorker } from "./worker_launch.ts";
 * const launch = launchInWorker({ plugins, pluginModules: ["file:///srv/plugins/swish.ts"] });
 * const store = createRunStore({ launch });
 * ```
 */
export function launchInWorker(options: WorkerLaunchOptions = {}): WorkerLaunch {
  const { backend, graceMs = 2_000, flushMs = 10 } = options;
  if (backend !== undefined && typeof backend !== "string") {
    throw new TypeError(
      `Invalid backend: a Worker rebuilds kernels by name; pass "auto", "ts" or "wasm", not a backend object`,
    );
  }
  let live = 0;

  const launch: Launch = async (config, { signal, checkpoint, resume }) => {
    if (signal.aborted) return { events$: EMPTY }; // stopped while queued: no Worker
    const worker = new Worker(ENTRY, { type: "module" });
    live++;
    let onMessage: (message: FromWorker) => void = () => {};
    let ended = false, grace: ReturnType<typeof setTimeout> | undefined;
    const kept = Promise.withResolvers<TrainingResult | undefined>();
    const post = (message: ToWorker) => {
      if (!ended) worker.postMessage(message);
    };
    const end = () => {
      if (ended) return;
      ended = true;
      kept.resolve(undefined); // ended without a stop's answer: nothing kept
      clearTimeout(grace);
      signal.removeEventListener("abort", stop);
      worker.terminate();
      live--;
    };
    // Asks the worker to stop its run and ends it when it answers, or after the grace period.
    function stop(): void {
      if (ended || grace !== undefined) return;
      onMessage = (message) => {
        if (message.type !== "stopped") return;
        kept.resolve(message.result); // the weights it reached
        end();
      };
      post({ type: "stop" });
      grace = setTimeout(end, graceMs);
    }
    worker.onmessage = (event: MessageEvent<FromWorker>) => onMessage(event.data);
    worker.onerror = (event: ErrorEvent) => {
      event.preventDefault();
      onMessage({ type: "error", error: errorData(event.error ?? new Error(event.message)) });
    };

    const admitted = carriedAdmittedFile(config.dataset); // it travels beside the config
    const start: StartMessage = {
      type: "start",
      config,
      ...(admitted ? { admitted } : {}),
      pluginModules: [...options.pluginModules ?? []],
      ...(backend ? { backend } : {}),
      ...(checkpoint ? { checkpointEvery: checkpoint.every } : {}),
      ...(resume ? { resume } : {}),
      flushMs,
    };
    const building = Promise.withResolvers<boolean>();
    const abandon = () => {
      end(); // nothing trains yet: no run to end gracefully
      building.resolve(false);
    };
    onMessage = (message) => {
      if (message.type === "ready") return building.resolve(true);
      end();
      building.reject(errorFrom(message.type === "error" ? message.error : unexpected(message)));
    };
    signal.addEventListener("abort", abandon, { once: true });
    post(start);
    const ready = await building.promise.finally(() =>
      signal.removeEventListener("abort", abandon)
    );
    if (!ready) return { events$: EMPTY };
    signal.addEventListener("abort", stop, { once: true });

    let result: TrainingResult = {}, trained = false;
    const events$ = new Observable<TrainEvent>((subscriber) => {
      if (trained || ended) {
        return subscriber.error(
          new TypeError("Invalid subscription: a Worker run trains once; launch it again"),
        );
      }
      trained = true;
      onMessage = (message) => {
        if (message.type === "events") {
          for (const event of message.events) subscriber.next(event);
        } else if (message.type === "checkpoint") {
          Promise.resolve()
            .then(() => checkpoint!.save(message.checkpoint))
            .then(
              () => post({ type: "saved", id: message.id }),
              (error) => post({ type: "saved", id: message.id, error: errorData(error) }),
            );
        } else if (message.type === "done") {
          result = message.result;
          end();
          subscriber.complete();
        } else {
          end();
          subscriber.error(
            errorFrom(message.type === "error" ? message.error : unexpected(message)),
          );
        }
      };
      post({ type: "train" });
      return stop;
    });
    return { events$, result: () => result, stopped: () => kept.promise };
  };
  return Object.defineProperty(launch, "liveWorkers", { get: () => live }) as WorkerLaunch;
}

function unexpected(message: FromWorker) {
  return { name: "Error", message: `Unexpected message from a training Worker: ${message.type}` };
}
