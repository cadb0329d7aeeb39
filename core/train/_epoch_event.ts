/**
 * The trainer's epoch event, built from a pass's totals and the epoch's
 * measurement. Internal.
 *
 * @module
 */
import type { Mutable } from "../math/types.ts";
import type { EpochEvent } from "./train_events.ts";
import type { EpochMeasure } from "./_epoch_meter.ts";
import type { PassTotals } from "./_train_pass.ts";
import type { RunSetup } from "./_run_setup.ts";

/** Whether the epoch reports accuracy: classification, with 0/1 targets for one sigmoid output. */
function accuracy(run: RunSetup, totals: PassTotals, val?: PassTotals): boolean {
  return run.kind === "multi" || (run.kind === "binary" && totals.binary && (val?.binary ?? true));
}

/**
 * An epoch's event in the documented key order, as one literal per set of
 * keys: adding keys one by one moves the object through a hidden class per
 * key, which costs as much as a tiny network's step.
 */
export function epochEvent(
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
