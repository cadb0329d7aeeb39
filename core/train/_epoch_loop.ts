import type { EpochMetrics } from "./schedules/lr_schedule.ts";
import type { TrainOptions } from "./train_options.ts";
import type { EpochEvent, TrainEvent } from "./train_events.ts";
import type { LayerStats, RunOptions } from "../math/train_step.ts";
import { encodeCheckpoint } from "../model/checkpoint_codec.ts";
import { createEpochMeter, type EpochMeasure, type EpochMeter } from "./_epoch_meter.ts";
import { openPass } from "../data/data_plan.ts";
import {
  type EpochInfo,
  evaluatePass,
  type PassContext,
  type PassTotals,
  trainPass,
} from "./_train_pass.ts";
import { type RunSetup, setupRun } from "./_run_setup.ts";
import type { Mutable } from "../math/types.ts";

/** Whether the epoch reports accuracy: classification, with 0/1 targets for one sigmoid output. */
function accuracy(run: RunSetup, totals: PassTotals, val?: PassTotals): boolean {
  return run.kind === "multi" || (run.kind === "binary" && totals.binary && (val?.binary ?? true));
}

/**
 * An epoch's event in the documented key order, as one literal per set of
 * keys: adding keys one by one moves the object through a hidden class per
 * key, which costs as much as a tiny network's step.
 */
function epochEvent(
  run: RunSetup,
  epoch: number,
  lr: number,
  totals: PassTotals,
  val: PassTotals | undefined,
  m: EpochMeasure,
): EpochEvent {
  const type = "epoch", epochs = run.settings.epochs, loss = totals.loss / totals.rows;
  const { samplesPerSec, elapsedMs, layers } = m;
  const acc = accuracy(run, totals, val) ? totals.correct / totals.rows : undefined;
  let event: Mutable<EpochEvent>;
  if (!val) {
    event = acc === undefined
      ? { type, epoch, epochs, loss, lr, samplesPerSec, elapsedMs, layers }
      : { type, epoch, epochs, loss, accuracy: acc, lr, samplesPerSec, elapsedMs, layers };
  } else {
    const valLoss = val.rows ? val.loss / val.rows : NaN;
    event = acc === undefined
      ? { type, epoch, epochs, loss, valLoss, lr, samplesPerSec, elapsedMs, layers }
      : {
        type,
        epoch,
        epochs,
        loss,
        valLoss,
        accuracy: acc,
        valAccuracy: val.rows ? val.correct / val.rows : NaN,
        lr,
        samplesPerSec,
        elapsedMs,
        layers,
      };
  }
  if (m.measuredEpoch !== undefined) event.measuredEpoch = m.measuredEpoch;
  return event;
}

function epochLr(
  trainOptions: TrainOptions,
  run: RunSetup,
  epoch: number,
  state: RunSetup["scheduleState"],
): number {
  const base = run.settings.lr;
  const lr = trainOptions.schedule
    ? trainOptions.schedule.lr({ epoch, epochs: run.settings.epochs, base }, state)
    : base;
  if (!(lr >= 0 && lr < Infinity)) {
    throw new RangeError(
      `Invalid learning rate: schedule "${trainOptions.schedule?.name}" gave ${lr} for epoch ${epoch}; check its options`,
    );
  }
  return lr;
}

/**
 * Finishes the step's pending update before the best weights are put back,
 * ignoring a failed worker's error: the run reports its own error.
 */
function settleQuietly(step: RunSetup["step"]): void {
  try {
    step.settle?.();
  } catch { /* reported by the run */ }
}

/** Trains for the remaining epochs, emitting every event; see `train`. Resolves early when aborted. */
export async function runTraining(
  trainOptions: TrainOptions,
  emit: (event: TrainEvent) => void,
  signal: AbortSignal,
): Promise<void> {
  const startedAt = performance.now();
  const run = await setupRun(trainOptions, signal);
  if (!run) return;
  try {
    await trainEpochs(trainOptions, run, emit, signal, startedAt);
  } finally {
    run.step.close?.();
  }
}

/** What carries from one epoch to the next. */
interface EpochProgress {
  epoch: number;
  steps: number;
  samplesPerEpoch: number | undefined;
  scheduleState: RunSetup["scheduleState"];
  stopped: boolean;
}

/** What every epoch of a run shares. */
interface Loop {
  readonly trainOptions: TrainOptions;
  readonly run: RunSetup;
  readonly ctx: PassContext;
  readonly emit: (event: TrainEvent) => void;
  readonly shuffle: { rng: RunSetup["rng"]; buffer: number } | undefined;
  readonly meter: EpochMeter;
  /** The options of a measured epoch's last step at the current rate. */
  measuredOptions: RunOptions;
  /** The pass's facts, updated at the start of every epoch. */
  readonly epochInfo: Mutable<EpochInfo>;
  /** The step's per-layer norms (a custom step's `stats` may use `this`). */
  readonly stats: () => readonly LayerStats[];
}

/** Opens the next epoch's pass and runs it: its totals, or a promise of them. */
function beginEpoch(loop: Loop, progress: EpochProgress): ReturnType<typeof trainPass> {
  const { trainOptions, run, ctx, epochInfo } = loop, { settings, trainPlan } = run;
  const epoch = ++progress.epoch;
  const lr = epochLr(trainOptions, run, epoch, progress.scheduleState);
  const measured = loop.meter.begin(epoch === settings.epochs || run.valPlan !== undefined);
  const pass = openPass(trainPlan, settings.batchSize, ctx.signal, loop.shuffle);
  // One object for every epoch (an epoch ends before the next begins): no
  // allocation, and trainPass stays monomorphic.
  epochInfo.epoch = epoch;
  if (lr !== epochInfo.lr) {
    // Options objects are never changed once handed to the step (a custom
    // step may keep them): new ones when the rate changes, else the same.
    epochInfo.stepOptions = { lr, stats: false };
    loop.measuredOptions = { lr, stats: true };
  }
  epochInfo.lr = lr;
  epochInfo.lastStepOptions = measured ? loop.measuredOptions : epochInfo.stepOptions;
  epochInfo.stepsBefore = progress.steps;
  epochInfo.samplesPerEpoch = progress.samplesPerEpoch;
  return trainPass(ctx, pass, trainPlan.buffer, epochInfo);
}

/** Counts a finished pass; gives the time it ended when the epoch is measured. */
function passDone(loop: Loop, progress: EpochProgress, totals: PassTotals): number {
  if (totals.rows === 0) {
    throw new RangeError(
      `The training data gave no samples in epoch ${progress.epoch}: a source must give its samples each time it is opened`,
    );
  }
  progress.steps += totals.batches;
  progress.samplesPerEpoch ??= totals.rows;
  return loop.meter.passEnded(totals.rows);
}

/** Emits the epoch's event, then lets early stopping and the schedule see its metrics. */
function endEpoch(
  loop: Loop,
  progress: EpochProgress,
  totals: PassTotals,
  val: PassTotals | undefined,
  ended: number,
): void {
  const { trainOptions, run, ctx } = loop;
  const measure = loop.meter.measure(progress.epoch, ended, val !== undefined, loop.stats);
  const event = epochEvent(run, progress.epoch, totals.lastLr, totals, val, measure);
  loop.emit(event);
  if (ctx.halted.aborted) return;
  if (!run.es && !trainOptions.schedule?.next) return;
  const metrics: EpochMetrics = event.valLoss === undefined
    ? { loss: event.loss }
    : { loss: event.loss, valLoss: event.valLoss };
  progress.stopped = run.es?.update(progress.epoch, metrics) ?? false;
  if (trainOptions.schedule?.next) {
    progress.scheduleState = trainOptions.schedule.next(progress.scheduleState, metrics);
  }
}

function saveCheckpoint(loop: Loop, progress: EpochProgress): void | Promise<void> {
  const { trainOptions, run } = loop, { es, prepared } = run;
  return trainOptions.checkpoint!.save(encodeCheckpoint({
    network: trainOptions.network,
    epoch: progress.epoch,
    step: progress.steps,
    optimizer: trainOptions.optimizer,
    state: run.step.state,
    rng: run.rng.state(),
    config: run.settings.config,
    ...(trainOptions.schedule ? { schedule: progress.scheduleState } : {}),
    ...(es ? { earlyStopping: es.state() } : {}),
    ...(prepared.length ? { prepare: [...prepared] } : {}),
    samplesPerEpoch: progress.samplesPerEpoch,
  }));
}

async function trainEpochs(
  trainOptions: TrainOptions,
  run: RunSetup,
  emit: (event: TrainEvent) => void,
  signal: AbortSignal,
  startedAt: number,
): Promise<void> {
  const { settings, step, es, valPlan, prepared } = run;
  emit({
    type: "start",
    epochs: settings.epochs,
    fromEpoch: run.fromEpoch,
    ...(run.samplesPerEpoch === undefined ? {} : { samples: run.samplesPerEpoch }),
    batchSize: settings.batchSize,
    ...(prepared.length ? { prepared } : {}),
  });
  const halted = { aborted: signal.aborted };
  // Unsubscribing puts the best weights back at once, before anyone reads the network.
  const restoreOnAbort = (): void => {
    halted.aborted = true;
    settleQuietly(step);
    es?.restore();
  };
  signal.addEventListener("abort", restoreOnAbort, { once: true });
  const ctx: PassContext = {
    step,
    chain: run.chain,
    pauser: run.pauser,
    signal,
    halted,
    checkBinary: run.kind === "binary",
  };
  const loop: Loop = {
    trainOptions,
    run,
    ctx,
    emit,
    shuffle: settings.shuffle ? { rng: run.rng, buffer: settings.shuffleBuffer } : undefined,
    // An epoch starts when the one before it ended unless validation came between.
    meter: createEpochMeter(startedAt),
    measuredOptions: { lr: NaN, stats: true },
    stats: () => step.stats(),
    epochInfo: {
      epoch: 0,
      lr: NaN, // no rate matches it: the first epoch makes its options objects
      stepOptions: { lr: NaN, stats: false },
      lastStepOptions: { lr: NaN, stats: false },
      warmupSteps: settings.warmupSteps,
      stepsBefore: 0,
      samplesPerEpoch: undefined,
      emit: settings.batchEvents ? emit : undefined,
    },
  };
  const progress: EpochProgress = {
    epoch: run.fromEpoch - 1,
    steps: run.steps,
    samplesPerEpoch: run.samplesPerEpoch,
    scheduleState: run.scheduleState,
    stopped: es?.stopped() ?? false,
  };
  try {
    // The loop does little itself: an async function runs unoptimized for
    // long, so each epoch's work lives in the sync functions above.
    while (!progress.stopped && progress.epoch < settings.epochs && !halted.aborted) {
      const passed = beginEpoch(loop, progress);
      const totals = passed instanceof Promise ? await passed : passed;
      step.settle?.(); // the pass's last update is done before anything reads the network
      if (!totals) return;
      const ended = passDone(loop, progress, totals);
      const val = valPlan &&
        await evaluatePass(ctx, openPass(valPlan, settings.batchSize, signal), valPlan.buffer);
      if (halted.aborted) return;
      endEpoch(loop, progress, totals, val, ended);
      if (halted.aborted) return;
      if (trainOptions.checkpoint && progress.epoch % trainOptions.checkpoint.every === 0) {
        await saveCheckpoint(loop, progress);
        loop.meter.resume(); // the save is not training time
      }
    }
    if (halted.aborted) return;
    const bestEpoch = es?.restore();
    emit({
      type: "end",
      reason: progress.stopped ? "early-stopped" : "completed",
      epochs: progress.epoch,
      steps: progress.steps,
      ...(bestEpoch === undefined ? {} : { bestEpoch }),
      elapsedMs: performance.now() - startedAt,
    });
  } catch (error) {
    settleQuietly(step); // a step that threw after its run may still be updating
    es?.restore();
    throw error;
  } finally {
    signal.removeEventListener("abort", restoreOnAbort);
  }
}
