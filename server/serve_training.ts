/**
 * `deno task train --serve`: serve the dashboard while the CLI trains, with
 * the CLI's run shown live beside any run started from the page.
 *
 * @module
 */
import type { Observable } from "rxjs";
import type { TrainEvent } from "../core/train/train_events.ts";
import type { RunConfig } from "../jobs/run_config.ts";
import type { Run } from "./run.ts";
import type { EpochGate, Training } from "./run_tracker.ts";
import type { RunStore } from "./run_store.ts";
import { type RunningServer, type ServeOptions, startServer } from "./serve.ts";

/** What {@linkcode serveTraining} hands back. */
export interface LiveTraining {
  readonly server: RunningServer;
  /** The CLI's run as the server records it. */
  readonly run: Run;
  /**
   * The same events as the training's, recorded into the run as they pass.
   * Subscribe to this instead of the training's own `events$` (subscribing
   * starts training); the dashboard's Stop button completes it early.
   */
  readonly events$: Observable<TrainEvent>;
  /** Stops the server (and the run, if it is still going). */
  close(): Promise<void>;
}

/**
 * Starts the server and attaches a training the caller drives. The page's
 * own "New run" form keeps working beside it.
 *
 * @example
 * ```ts ignore
 * // cli/train.ts with --serve (the server shares this thread: a turn every 25 ms of work):
 * const job = await runJob(config, { plugins, open, yieldEveryMs: 25 });
 * const live = await serveTraining(config, {
 *   events$: job.events$,
 *   result: () => ({ model: toModelFile(job.modelNetwork(), job.modelMeta(job.evaluateTest())) }),
 * }, { host, port, token, plugins });
 * await lastValueFrom(live.events$.pipe(tap(progress)), { defaultValue: undefined });
 * // ...save the model as usual, keep serving until Ctrl-C, then:
 * await live.close();
 * ```
 */
export async function serveTraining(
  config: RunConfig,
  training: Training,
  options: ServeOptions & { attach?: { run: Run; gate?: EpochGate } } = {},
): Promise<LiveTraining> {
  const { attach, ...serveOptions } = options;
  const server = await startServer(serveOptions);
  const store = server.store as RunStore;
  const { run, events$ } = store.attach(config, training, attach);
  return { server, run, events$, close: () => server.close() };
}
