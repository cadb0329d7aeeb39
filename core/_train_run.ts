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

/** Trains for the remaining epochs, emitting every event; see `train`. Resolves early when aborted. */
export async function runTraining(
  o: TrainOptions,
  emit: (event: TrainEvent) => void,
  signal: AbortSignal,
): Promise<void> {
  const startedAt = performance.now();
  const run = await setupRun(o, signal);
  if (!run) return;
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
  const restoreOnAbort = (): void => void es?.restore();
  signal.addEventListener("abort", restoreOnAbort, { once: true });
  const ctx: PassContext = {
    step,
    chain: run.chain,
    pauser: run.pauser,
    signal,
    checkBinary: run.kind === "binary",
  };
  const emitBatch = cfg.batchEvents ? emit : undefined;
  let epoch = run.fromEpoch - 1, stopped = false;
  try {
    while (!stopped && epoch < cfg.epochs && !signal.aborted) {
      epoch++;
      const lr = epochLr(o, run, epoch, scheduleState);
      const began = performance.now();
      const shuffle = cfg.shuffle ? { rng: run.rng, buffer: cfg.shuffleBuffer } : undefined;
      const pass = openPass(trainPlan, cfg.batchSize, signal, shuffle);
      const info = {
        epoch,
        lr,
        stepsBefore: steps,
        ...(samplesPerEpoch ? { samplesPerEpoch } : {}),
      };
      const totals = await trainPass(
        ctx,
        pass,
        trainPlan.buffer,
        emitBatch ? { ...info, emit: emitBatch } : info,
      );
      if (!totals) return;
      if (totals.rows === 0) {
        throw new RangeError(
          `The training data gave no samples in epoch ${epoch}: a source must give its samples each time it is opened`,
        );
      }
      const trainMs = performance.now() - began;
      steps += totals.batches;
      samplesPerEpoch ??= totals.rows;
      const val = valPlan &&
        await evaluatePass(ctx, openPass(valPlan, cfg.batchSize, signal), valPlan.buffer);
      if (signal.aborted) return;
      const scored = accuracy(run, totals, val);
      const event: EpochEvent = {
        type: "epoch",
        epoch,
        epochs: cfg.epochs,
        loss: totals.loss / totals.rows,
        ...(val ? { valLoss: val.rows ? val.loss / val.rows : NaN } : {}),
        ...(scored ? { accuracy: totals.correct / totals.rows } : {}),
        ...(scored && val ? { valAccuracy: val.rows ? val.correct / val.rows : NaN } : {}),
        lr,
        samplesPerSec: totals.rows / Math.max(trainMs, 1e-3) * 1000,
        elapsedMs: performance.now() - startedAt,
        layers: step.stats(),
      };
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
    es?.restore();
    throw error;
  } finally {
    signal.removeEventListener("abort", restoreOnAbort);
  }
}
