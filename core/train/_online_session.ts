import type { Subscriber } from "rxjs";
import type { BatchBuffer } from "../data/pass.ts";
import type { RunOptions, TrainStep } from "../math/train_step.ts";
import type { Checkpoint } from "../model/checkpoint.ts";
import { encodeCheckpoint } from "../model/checkpoint_codec.ts";
import { binaryTargets } from "./classification.ts";
import type { OnlineEvent, WindowEvent } from "./online_events.ts";
import type { OnlineOptions, OnlineSettings } from "./online_options.ts";
import { checkInput, copyRow, type OnlineInput, type RowWidths } from "./_online_rows.ts";
import { createPrequential, type Prequential, type WindowTotals } from "./_prequential.ts";

/** What every subscription of one learner shares. */
export interface LearnerContext {
  readonly options: OnlineOptions;
  readonly settings: OnlineSettings;
  readonly kind: "multi" | "binary" | undefined;
  readonly widths: RowWidths;
  readonly alloc: (n: number) => Float32Array;
  readonly runOptions: RunOptions;
  readonly config: Checkpoint["config"];
  /** Steps and samples trained on over the learner's life: the sessions count them. */
  readonly progress: { steps: number; samples: number };
}

/** One subscription of `trainOn`: its step, batch buffer, queue and counters. */
export interface Session {
  step: TrainStep | undefined;
  /** Rows in the batch buffer. */
  fill: number;
  /** Rows waiting in the queue while training is paused. */
  queued: number;
  /** Set by the teardown (or a failure): nothing more is trained or emitted. */
  closed: boolean;
  /** Takes one input from the source. */
  accept(input: OnlineInput): void;
  /** The step is built: trains on what waited. */
  ready(step: TrainStep): void;
  /** The source completed: trains the rest, reports the open window, completes. */
  end(): void;
  /** Fails the stream once. */
  fail(error: unknown): void;
}

function diverged(value: number, step: number, lr: number): RangeError {
  return new RangeError(
    `Training diverged: the loss is ${value} at step ${step}; lower the learning rate (now ${lr}) or scale the inputs`,
  );
}

function overflowError(maxQueue: number): RangeError {
  return new RangeError(
    `Queue overflow: ${maxQueue} samples (maxQueue) wait while training is paused for the step or a checkpoint save; raise maxQueue, slow the source, or pass overflow: "drop-oldest"`,
  );
}

/**
 * Opens a subscription's session, paused until `ready`. Training runs
 * synchronously in `accept`, one step per full batch; while paused (the
 * step being built, a checkpoint's save pending) inputs wait in a queue of
 * at most `maxQueue` samples.
 */
export function openSession(ctx: LearnerContext, subscriber: Subscriber<OnlineEvent>): Session {
  const { settings, widths, kind, progress } = ctx;
  let meter: Prequential | undefined, waiting = true, sourceDone = false;
  let received = 0, trained = 0, windowed = 0, dropped = 0, windows = 0, head = 0;
  const queue: ({ input: OnlineInput; from: number; rows: number } | undefined)[] = [];
  const buffer: BatchBuffer = {
    x: { data: ctx.alloc(settings.batchSize * widths.inputs), rows: 0, cols: widths.inputs },
    t: { data: ctx.alloc(settings.batchSize * widths.outputs), rows: 0, cols: widths.outputs },
  };
  const s: Session = {
    step: undefined,
    fill: 0,
    queued: 0,
    closed: false,
    accept,
    ready,
    end,
    fail,
  };

  function fail(error: unknown): void {
    if (s.closed) return;
    s.closed = true; // a synchronous source keeps emitting until the teardown runs
    subscriber.error(error);
  }
  function emit(event: OnlineEvent): void {
    subscriber.next(event);
    if (subscriber.closed) s.closed = true; // unsubscribed downstream (take(n), say)
  }
  function emitWindow(totals: WindowTotals): void {
    const accuracy = kind === "multi" || (kind === "binary" && totals.binary)
      ? totals.correct / totals.rows
      : undefined;
    windowed += totals.rows; // each sample is in one window: this one ends at sample `windowed`
    const event: WindowEvent = {
      type: "window",
      window: ++windows,
      samples: windowed,
      size: totals.rows,
      step: progress.steps,
      loss: totals.loss / totals.rows,
      ...(accuracy === undefined ? {} : { accuracy }),
      ...(dropped ? { dropped } : {}),
    };
    emit(event);
  }
  function trainBatch(): void {
    const rows = s.fill;
    buffer.x.rows = buffer.t.rows = rows;
    const value = meter!.run(buffer, ctx.runOptions);
    const step = ++progress.steps;
    progress.samples += rows, trained += rows, s.fill = 0;
    if (!Number.isFinite(value)) throw diverged(value, step, settings.lr);
    emit({
      type: "batch",
      step,
      samples: trained,
      loss: value,
      ...(kind === "multi" || (kind === "binary" && binaryTargets(buffer.t))
        ? { accuracy: s.step!.lastCorrect / rows }
        : {}),
      lr: settings.lr,
    });
    for (const totals of meter!.closed()) if (!s.closed) emitWindow(totals);
    if (!s.closed && settings.everySteps && step % settings.everySteps === 0) checkpoint(step);
  }
  function checkpoint(step: number): void {
    s.step!.settle?.();
    const saving = ctx.options.checkpoint!.save(encodeCheckpoint({
      network: ctx.options.network,
      epoch: 0,
      step,
      optimizer: ctx.options.optimizer,
      state: s.step!.state,
      rng: [0, 0, 0, 0],
      config: ctx.config,
    }));
    if (saving instanceof Promise) {
      waiting = true;
      saving.then(() => {
        waiting = false;
        resume();
      }, fail);
    }
  }
  /** Feeds rows `from`.. of an input into batches; gives the row it stopped at (paused or closed). */
  function feed(input: OnlineInput, from: number, rows: number): number {
    for (let r = from; r < rows; r++) {
      copyRow(input, r, buffer, s.fill++);
      if (s.fill === settings.batchSize) {
        trainBatch();
        if (s.closed || waiting) return r + 1;
      }
    }
    return rows;
  }
  function enqueue(input: OnlineInput, from: number, rows: number): void {
    while (s.queued + rows - from > settings.maxQueue) {
      if (settings.overflow === "error") throw overflowError(settings.maxQueue);
      const oldest = queue[head];
      if (!oldest) { // this input alone is longer than the queue: its first rows go
        dropped += rows - from - settings.maxQueue;
        from = rows - settings.maxQueue;
        break;
      }
      s.queued -= oldest.rows - oldest.from, dropped += oldest.rows - oldest.from;
      queue[head++] = undefined;
    }
    queue.push({ input, from, rows });
    s.queued += rows - from;
  }
  /** Trains on the queue while not paused; completes once the source has and all is trained. */
  function resume(): void {
    try {
      while (!waiting && !s.closed && head < queue.length) {
        const entry = queue[head]!;
        const stop = feed(entry.input, entry.from, entry.rows);
        s.queued -= stop - entry.from;
        if (stop < entry.rows) entry.from = stop;
        else queue[head++] = undefined;
      }
      if (head === queue.length) queue.length = head = 0;
      if (waiting || s.closed || !sourceDone || s.queued) return;
      if (s.fill > 0) {
        trainBatch(); // the last, partial batch
        if (waiting || s.closed) return;
      }
      const open = meter!.flush();
      if (open) emitWindow(open);
      if (!s.closed) subscriber.complete();
    } catch (error) {
      fail(error);
    }
  }
  function accept(input: OnlineInput): void {
    if (s.closed) return;
    try {
      const rows = checkInput(input, received, widths);
      received += rows;
      if (waiting || s.queued) return enqueue(input, 0, rows);
      const stop = feed(input, 0, rows);
      if (stop < rows && !s.closed) enqueue(input, stop, rows);
    } catch (error) {
      fail(error);
    }
  }
  function ready(step: TrainStep): void {
    s.step = step;
    meter = createPrequential(step, settings.window, kind === "binary");
    waiting = false;
    resume();
  }
  function end(): void {
    sourceDone = true;
    resume();
  }
  return s;
}
