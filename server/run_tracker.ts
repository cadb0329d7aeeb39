/**
 * Drives one run from a trainer's events: statuses, the event log, latest
 * metrics, and at the end its model file and test metrics.
 *
 * @module
 */
import { fromEvent, Observable, takeUntil } from "rxjs";
import type { ModelFile } from "../core/model/model_file.ts";
import type { EndEvent, TrainEvent } from "../core/train/train_events.ts";
import type { Checkpoint } from "../core/model/checkpoint.ts";
import type { CheckpointOptions } from "../core/train/train_options.ts";
import { type EpochSummary, isFinal, type Run, setStatus } from "./run.ts";
import type { RecordExtras } from "./run_records.ts";
import type { Insights } from "../jobs/insights.ts";

/** What a finished training hands over. */
export interface TrainingResult {
  /** The trained network as a model file, served by `GET /api/runs/:id/model`. */
  model?: ModelFile;
  /** Test-set metrics, e.g. `{ loss: 0.1, accuracy: 0.97 }`. */
  test?: Record<string, unknown>;
  /** Confusion matrix, misclassified images, layer histograms: stored in the `end` event. */
  insights?: Insights;
}

/** A training job ready to run: cold events, then its result. */
export interface Training {
  /** The trainer's events; subscribing trains, unsubscribing stops within a batch. */
  readonly events$: Observable<TrainEvent>;
  /** Called once after `events$` completed: the model and test metrics. */
  result?(): TrainingResult | Promise<TrainingResult>;
  /**
   * Called once after a stop: what the run keeps, the model of the weights
   * it reached (no test scores). None keeps nothing.
   */
  stopped?(): TrainingResult | undefined | Promise<TrainingResult | undefined>;
}

/** Options of {@linkcode trackRun}. */
export interface TrackOptions {
  /** Batch events go into the log at most once per this many ms (default 50). */
  batchSampleMs?: number;
  /** Clock for that sampling (default `Date.now`). */
  now?: () => number;
}

/**
 * Ties each checkpoint to its epoch event: the event of a checkpointed epoch
 * is held until the trainer saves that checkpoint, then both are appended
 * together (a recorded run writes them in one transaction). A run that is
 * killed in between has neither, and its resumed run logs that epoch once.
 */
export interface EpochGate {
  /** The trainer's `checkpoint` option: save every `every` epochs. */
  readonly checkpoint: CheckpointOptions;
  /** Appends an epoch event now, or holds it for its checkpoint. */
  epoch(data: EpochSummary): void;
  /** Appends a held event without its checkpoint (the run ended before the save). */
  flush(): void;
}

/**
 * Creates the gate of a run that checkpoints every `every` epochs. When the
 * run's log writes elsewhere asynchronously, `flushed` resolves once its
 * writes are done: the trainer waits for it after each checkpoint.
 *
 * @example
 * ```ts ignore
 * const gate = epochGate(run, 1);
 * const training = await launch(run.config, { signal, checkpoint: gate.checkpoint });
 * trackRun(run, training, { gate }).subscribe();
 * ```
 */
export function epochGate(
  run: Run,
  every = 1,
  options: { flushed?: () => Promise<void> } = {},
): EpochGate {
  let held: EpochSummary | undefined;
  const publish = (data: EpochSummary, extras?: RecordExtras) => {
    run.metrics = data;
    run.log.append("epoch", data, extras);
  };
  return {
    checkpoint: {
      every,
      save(checkpoint: Checkpoint) {
        if (!held) return; // the trainer saves only after an epoch event
        const data = held;
        held = undefined;
        publish(data, {
          checkpoint: { epoch: checkpoint.epoch, text: JSON.stringify(checkpoint) },
        });
        return options.flushed?.(); // training waits until the checkpoint is stored
      },
    },
    epoch(data) {
      this.flush();
      if (data.epoch % every === 0) held = data;
      else publish(data);
    },
    flush() {
      if (held) publish(held);
      held = undefined;
    },
  };
}

const message = (e: unknown) => (e instanceof Error ? e.message : String(e));

/**
 * Marks a run failed, publishing an `error` event then the `failed` status.
 *
 * @example
 * ```ts
 * import { failRun } from "./run_tracker.ts";
 * import { createRun } from "./run.ts";
 * import { parseRunConfig } from "../jobs/run_config.ts";
 * const run = createRun("r1", parseRunConfig({ dataset: "xor" }));
 * failRun(run, new RangeError("loss is NaN: lower the learning rate"));
 * run.status; // "failed"
 * ```
 */
export function failRun(run: Run, error: unknown): void {
  if (isFinal(run)) return;
  run.error = message(error);
  run.log.append("error", { message: run.error });
  setStatus(run, "failed", { error: run.error });
}

/**
 * Wraps a training so that subscribing trains and records the run: every
 * event passes through unchanged while the run's log, metrics and status
 * follow it. The run's stopper completes it early (status `stopped`), and
 * so does unsubscribing before the end.
 *
 * @example
 * ```ts ignore
 * const events$ = trackRun(run, { events$: train(options), result: () => ({ model }) });
 * events$.subscribe(); // the run is now "running"
 * ```
 */
export function trackRun(
  run: Run,
  training: Training,
  options: TrackOptions & { gate?: EpochGate } = {},
): Observable<TrainEvent> {
  const { batchSampleMs = 50, now = Date.now, gate } = options;
  return new Observable<TrainEvent>((subscriber) => {
    if (run.stopper.signal.aborted) setStatus(run, "stopped");
    if (isFinal(run)) return subscriber.complete();
    setStatus(run, "running");
    let end: Omit<EndEvent, "type"> | undefined;
    let lastBatch = -Infinity;
    let finishing = false;

    const finish = async () => {
      finishing = true;
      gate?.flush();
      const result = await training.result?.() ?? {};
      if (result.model) run.model = result.model;
      if (result.test) run.test = result.test;
      run.log.append("end", {
        reason: "completed",
        ...end,
        ...(result.test ? { test: result.test } : {}),
        ...(result.insights ? { insights: result.insights } : {}),
      });
      setStatus(run, "done");
    };

    const subscription = training.events$
      .pipe(takeUntil(fromEvent(run.stopper.signal, "abort")))
      .subscribe({
        next(event) {
          const { type, ...data } = event;
          if (event.type === "start") {
            const { epochs, fromEpoch, samples, batchSize } = event;
            setStatus(run, "running", {
              epochs,
              fromEpoch,
              batchSize,
              ...(samples ? { samples } : {}),
            });
          } else if (type === "epoch") {
            if (gate) gate.epoch(data as EpochSummary);
            else run.metrics = data as EpochSummary, run.log.append("epoch", data);
          } else if (type === "batch") {
            const t = now();
            if (t - lastBatch >= batchSampleMs) {
              lastBatch = t;
              run.log.append("batch", data);
            }
          } else if (type === "end") end = data as typeof end;
          subscriber.next(event);
        },
        error(error) {
          gate?.flush();
          failRun(run, error);
          subscriber.error(error);
        },
        complete() {
          if (run.stopper.signal.aborted) {
            gate?.flush();
            if (!training.stopped) {
              setStatus(run, "stopped");
              return subscriber.complete();
            }
            finishing = true;
            // A stopped run keeps the weights it reached, marked stopped.
            Promise.resolve()
              .then(() => training.stopped?.())
              .then((kept) => void (kept?.model && (run.model = kept.model)), () => {})
              .finally(() => {
                setStatus(run, "stopped");
                subscriber.complete();
              });
            return;
          }
          finish().then(
            () => subscriber.complete(),
            (error) => {
              failRun(run, error);
              subscriber.error(error);
            },
          );
        },
      });

    return () => {
      subscription.unsubscribe();
      if (!finishing && !isFinal(run)) gate?.flush(), setStatus(run, "stopped");
    };
  });
}
