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

/** A live run's Worker, ready for samples. */
export interface LiveWorker {
  /**
   * Posts samples; resolves once the Worker trained on them (so an HTTP
   * client that waits for its answer is paced by training). Throws a
   * RangeError at once when more than `config.maxQueue` samples would wait.
   */
  push(samples: PackedSamples): Promise<void>;
  /** The model file of the current weights, between two steps. */
  snapshot(name?: string): Promise<ModelFile>;
  /** Stops the run and ends the Worker (at once if it does not answer within `graceMs`). */
  stop(): Promise<void>;
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
  let ended = false, failure: Error | undefined, lastId = 0, pending = 0;
  const ready = Promise.withResolvers<void>(), stopped = Promise.withResolvers<void>();
  const end = (error?: Error) => {
    if (ended) return;
    ended = true;
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
      w?.resolve(data.type === "snapshot" ? data.model : undefined);
    } else if (data.type === "stopped") end();
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
      if (pending + samples.rows > config.maxQueue) {
        throw new RangeError(
          `Too many samples waiting: ${pending} are not trained on yet and this body adds ${samples.rows} (maxQueue ${config.maxQueue}); wait for earlier posts to be answered, or send smaller bodies`,
        );
      }
      pending += samples.rows;
      return ask<void>({ type: "samples", id: ++lastId, samples }, [
        samples.x.buffer,
        samples.y.buffer,
      ]).finally(() => (pending -= samples.rows));
    },
    snapshot: (name) =>
      ask<ModelFile>({ type: "snapshot", id: ++lastId, ...(name ? { name } : {}) }),
    stop() {
      if (!ended) {
        worker.postMessage({ type: "stop" } satisfies ToLiveWorker);
        setTimeout(() => end(), graceMs);
      }
      return stopped.promise;
    },
    get pending() {
      return pending;
    },
  };
}
