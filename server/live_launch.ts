/**
 * Live runs in Workers: a run whose data is a stream of posted samples
 * trains in a Deno Worker of its own (`_live_worker.ts`), so the server's
 * event loop only parses and forwards samples.
 *
 * @module
 */
import type { ModelFile } from "../core/model/model_file.ts";
import type { OnlineEvent } from "../core/train/online_events.ts";
import type { LiveRunConfig } from "../jobs/live_config.ts";
import type { PackedSamples } from "./ndjson_samples.ts";
import { errorData, errorFrom } from "./_thread_error.ts";
import type { FromLiveWorker, ToLiveWorker } from "./_live_worker.ts";

const ENTRY = new URL("./_live_worker.ts", import.meta.url);

/** What became of a body of samples once the Worker took it. */
export interface PushResult {
  /**
   * Samples trained on while this body was applied: its own in full
   * batches, with those of earlier bodies that waited in the open batch.
   */
  readonly trained: number;
  /**
   * Samples in the open batch (this body's last ones, and earlier bodies'),
   * trained on once `batchSize` samples are there, or when the run stops.
   */
  readonly waiting: number;
}

/** A live run's Worker, ready for samples. */
export interface LiveWorker {
  /**
   * Posts samples; resolves once the Worker took them: every full batch
   * trained on, the rest waiting in the open batch (so an HTTP client that
   * waits for its answer is paced by training). Throws a RangeError at once
   * when more than `config.maxQueue` samples would wait, or once the run is
   * stopping.
   */
  push(samples: PackedSamples): Promise<PushResult>;
  /** The model file of the current weights, between two steps. */
  snapshot(name?: string): Promise<ModelFile>;
  /**
   * Stops the run: the Worker trains on the last partial batch, reports the
   * open window and resolves with the final model named `name`, then ends
   * (at once, without a model, if it does not answer within `graceMs` or
   * has failed).
   */
  stop(name?: string): Promise<ModelFile | undefined>;
  /** Samples posted and not yet trained on. */
  readonly pending: number;
}

/** Options of {@linkcode launchLive}. */
export interface LiveLaunchOptions {
  /** Receives window events, and the latest batch event at most every `flushMs`. */
  onEvent(event: OnlineEvent): void;
  /** The run failed (a diverging loss, say): the Worker is ended. */
  onError(error: Error): void;
  /** Batch events are posted at most this often (default 250 ms). */
  flushMs?: number;
  /** Milliseconds a stopping Worker has to answer (default 2,000). */
  graceMs?: number;
}

/**
 * Starts a live run's Worker and resolves once its network and learner are
 * built (a bad plugin name rejects here, with the Worker ended).
 *
 * @example
 * ```ts ignore
 * const live = await launchLive(config, { onEvent: (e) => log(e), onError: (e) => fail(e) });
 * await live.push(parseSamples(body, config.dataset.live));
 * const model = await live.snapshot("live");
 * ```
 */
export async function launchLive(
  config: LiveRunConfig,
  options: LiveLaunchOptions,
): Promise<LiveWorker> {
  const { flushMs = 250, graceMs = 2_000 } = options;
  const worker = new Worker(ENTRY, { type: "module" });
  const waiting = new Map<number, { resolve(value: unknown): void; reject(error: Error): void }>();
  let ended = false, stopping = false, failure: Error | undefined, lastId = 0, pending = 0;
  let grace: ReturnType<typeof setTimeout> | undefined, final: ModelFile | undefined;
  const ready = Promise.withResolvers<void>(), stopped = Promise.withResolvers<void>();
  const end = (error?: Error) => {
    if (ended) return;
    ended = true;
    clearTimeout(grace);
    worker.terminate();
    failure = error ??
      new RangeError("The live run has stopped: create a new run to keep training");
    for (const w of waiting.values()) w.reject(failure);
    waiting.clear();
    ready.reject(failure);
    stopped.resolve();
  };
  worker.onmessage = ({ data }: MessageEvent<FromLiveWorker>) => {
    if (data.type === "ready") ready.resolve();
    else if (data.type === "events") data.events.forEach((event) => options.onEvent(event));
    else if (data.type === "applied" || data.type === "snapshot") {
      const w = waiting.get(data.id);
      waiting.delete(data.id);
      w?.resolve(data.type === "snapshot" ? data.model : data);
    } else if (data.type === "stopped") final = data.model, end();
    else {
      const error = errorFrom(data.error);
      end(error);
      options.onError(error);
    }
  };
  worker.onerror = (event: ErrorEvent) => {
    event.preventDefault();
    const error = errorFrom(errorData(event.error ?? new Error(event.message)));
    end(error);
    options.onError(error);
  };
  const ask = <T>(message: ToLiveWorker & { id: number }, transfer: Transferable[] = []) => {
    if (failure) return Promise.reject(failure);
    const answer = new Promise<T>((resolve, reject) =>
      waiting.set(message.id, { resolve: resolve as (value: unknown) => void, reject })
    );
    worker.postMessage(message, transfer);
    return answer;
  };
  worker.postMessage({ type: "start", config, flushMs } satisfies ToLiveWorker);
  await ready.promise; // a later end rejects it again, which no one sees
  return {
    push(samples) {
      if (stopping) {
        throw new RangeError("The live run is stopping: create a new run to keep training");
      }
      if (pending + samples.rows > config.maxQueue) {
        throw new RangeError(
          `Too many samples waiting: ${pending} are not trained on yet and this body adds ${samples.rows} (maxQueue ${config.maxQueue}); wait for earlier posts to be answered, or send smaller bodies`,
        );
      }
      pending += samples.rows;
      const { rows } = samples;
      return ask<PushResult>({ type: "samples", id: ++lastId, samples }, [
        samples.x.buffer,
        samples.y.buffer,
      ]).then(({ trained, waiting }) => ({ trained, waiting }))
        .finally(() => (pending -= rows));
    },
    snapshot: (name) =>
      ask<ModelFile>({ type: "snapshot", id: ++lastId, ...(name ? { name } : {}) }),
    stop(name) {
      if (!ended && !stopping) {
        stopping = true;
        worker.postMessage({ type: "stop", ...(name ? { name } : {}) } satisfies ToLiveWorker);
        grace = setTimeout(() => end(), graceMs);
      }
      return stopped.promise.then(() => final);
    },
    get pending() {
      return pending;
    },
  };
}
