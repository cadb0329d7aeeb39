import type { EpochMetrics } from "./schedules/lr_schedule.ts";
import type { TrainOptions } from "./train.ts";
import type { EpochEvent, TrainEvent } from "./train_events.ts";
import { encodeCheckpoint } from "./_checkpoint_codec.ts";
import { openPass } from "./_train_data.ts";
import { evaluatePass, type PassContext, type PassTotals, trainPass } from "./_train_pass.ts";
import { type Run, setupRun } from "./_train_setup.ts";

function epochLr(o: TrainOptions, run: Run, epoch: number, state: Run["scheduleState"]): number {
  const base = o.optimizer.lr;
  const lr = o.schedule ? o.schedule.lr({ epoch, epochs: run.cfg.epochs, base }, state) : base;
  if (!(lr >= 0 && lr < Infinity)) {
    throw new RangeError(
      `Invalid learning rate: schedule "${o.schedule?.name}" gave ${lr} for epoch ${epoch}; check its options`,
    );
  }
  return lr;
}

function accuracy(run: Run, totals: PassTotals, val?: PassTotals): boolean {
  return run.kind === "multi" || (run.kind === "binary" && totals.binary && (val?.binary ?? true));
}

type Mutable<T> = { -readonly [K in keyof T]: T[K] };

/**
 * Finishes the step's pending update before the best weights are put back,
 * ignoring a failed worker's error: the run reports its own error.
 */
function settleQuietly(step: Run["step"]): void {
  try {
    step.settle?.();
  } catch { /* reported by the run */ }
}

/**
 * An epoch's event, built field by field (spreads would allocate per epoch)
 * in the documented key order; the caller fills the last three.
 */
function epochEvent(
  run: Run,
  epoch: number,
  lr: number,
  totals: PassTotals,
  val: PassTotals | undefined,
): Mutable<EpochEvent> {
  const scored = accuracy(run, totals, val);
  const e = { type: "epoch", epoch, epochs: run.cfg.epochs, loss: totals.loss / totals.rows };
  const event = e as Mutable<EpochEvent>;
  if (val) event.valLoss = val.rows ? val.loss / val.rows : NaN;
  if (scored) event.accuracy = totals.correct / totals.rows;
  if (scored && val) event.valAccuracy = val.rows ? val.correct / val.rows : NaN;
  event.lr = lr;
  event.samplesPerSec = 0;
  event.elapsedMs = 0;
  event.layers = [];
  return event;
}

/** Trains for the remaining epochs, emitting every event; see `train`. Resolves early when aborted. */
export async function runTraining(
  o: TrainOptions,
  emit: (event: TrainEvent) => void,
  signal: AbortSignal,
): Promise<void> {
  const startedAt = performance.now();
  const run = await setupRun(o, signal);
  if (!run) return;
  try {
    await trainEpochs(o, run, emit, signal, startedAt);
  } finally {
    run.step.close?.();
  }
}

async function trainEpochs(
  o: TrainOptions,
  run: Run,
  emit: (event: TrainEvent) => void,
  signal: AbortSignal,
  startedAt: number,
): Promise<void> {
  const { cfg, step, es, trainPlan, valPlan, prepared } = run;
  let samplesPerEpoch = run.samplesPerEpoch, steps = run.steps, scheduleState = run.scheduleState;
  emit({
    type: "start",
    epochs: cfg.epochs,
    fromEpoch: run.fromEpoch,
    ...(samplesPerEpoch === undefined ? {} : { samples: samplesPerEpoch }),
    batchSize: cfg.batchSize,
    ...(prepared.length ? { prepared } : {}),
  });
  // Unsubscribing puts the best weights back at once, before anyone reads the network.
  const restoreOnAbort = (): void => {
    settleQuietly(step);
    es?.restore();
  };
  signal.addEventListener("abort", restoreOnAbort, { once: true });
  const ctx: PassContext = {
    step,
    chain: run.chain,
    pauser: run.pauser,
    signal,
    checkBinary: run.kind === "binary",
  };
  const emitBatch = cfg.batchEvents ? emit : undefined;
  let epoch = run.fromEpoch - 1, stopped = es?.stopped() ?? false;
  const shuffle = cfg.shuffle ? { rng: run.rng, buffer: cfg.shuffleBuffer } : undefined;
  // A clock read costs ~0.1 µs in Deno, as much as a tiny network's step: an
  // epoch starts when the one before it ended unless validation came between.
  let began = performance.now();
  try {
    while (!stopped && epoch < cfg.epochs && !signal.aborted) {
      epoch++;
      const lr = epochLr(o, run, epoch, scheduleState);
      const pass = openPass(trainPlan, cfg.batchSize, signal, shuffle);
      // One shape for every epoch, so that trainPass stays monomorphic.
      const info = {
        epoch,
        lr,
        plain: { lr },
        withStats: { lr, stats: true },
        warmupSteps: cfg.warmupSteps,
        stepsBefore: steps,
        samplesPerEpoch,
        emit: emitBatch,
      };
      const passed = trainPass(ctx, pass, trainPlan.buffer, info);
      const totals = passed instanceof Promise ? await passed : passed;
      step.settle?.(); // the pass's last update is done before anything reads the network
      if (!totals) return;
      if (totals.rows === 0) {
        throw new RangeError(
          `The training data gave no samples in epoch ${epoch}: a source must give its samples each time it is opened`,
        );
      }
      const ended = performance.now();
      steps += totals.batches;
      samplesPerEpoch ??= totals.rows;
      const val = valPlan &&
        await evaluatePass(ctx, openPass(valPlan, cfg.batchSize, signal), valPlan.buffer);
      if (signal.aborted) return;
      const event = epochEvent(run, epoch, totals.lastLr, totals, val);
      event.samplesPerSec = totals.rows / Math.max(ended - began, 1e-3) * 1000;
      began = val ? performance.now() : ended;
      event.elapsedMs = began - startedAt;
      event.layers = step.stats();
      emit(event);
      if (signal.aborted) return;
      const metrics: EpochMetrics = event.valLoss === undefined
        ? { loss: event.loss }
        : { loss: event.loss, valLoss: event.valLoss };
      stopped = es?.update(epoch, metrics) ?? false;
      if (o.schedule?.next) scheduleState = o.schedule.next(scheduleState, metrics);
      if (o.checkpoint && epoch % o.checkpoint.every === 0) {
        await o.checkpoint.save(encodeCheckpoint({
          network: o.network,
          epoch,
          step: steps,
          optimizer: o.optimizer,
          state: step.state,
          rng: run.rng.state(),
          config: cfg.config,
          ...(o.schedule ? { schedule: scheduleState } : {}),
          ...(es ? { earlyStopping: es.state() } : {}),
          ...(prepared.length ? { prepare: [...prepared] } : {}),
          samplesPerEpoch,
        }));
        began = performance.now(); // the save is not training time
      }
    }
    if (signal.aborted) return;
    const bestEpoch = es?.restore();
    emit({
      type: "end",
      reason: stopped ? "early-stopped" : "completed",
      epochs: epoch,
      steps,
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
