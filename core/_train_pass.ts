import type { BatchBuffer, Pass } from "./data/_pass.ts";
import type { PrepareFn } from "./data/prepare_step.ts";
import type { TrainStep } from "./train_step.ts";
import type { BatchEvent } from "./train_events.ts";
import { binaryTargets } from "./_classification.ts";
import type { Pauser } from "./_pauser.ts";
import { applyChain } from "./_train_prepare.ts";

/** Sums over one pass. */
export interface PassTotals {
  /** Samples read. */
  rows: number;
  /** Σ batch loss · batch rows. */
  loss: number;
  /** Rows predicted right. */
  correct: number;
  /** Batches run. */
  batches: number;
  /** False once a target other than 0 or 1 was seen (only checked when asked). */
  binary: boolean;
}

/** What a pass needs besides the pass itself. */
export interface PassContext {
  readonly step: TrainStep;
  readonly chain: readonly PrepareFn[];
  readonly pauser: Pauser;
  readonly signal: AbortSignal;
  /** Check targets for 0/1 (single sigmoid output). */
  readonly checkBinary: boolean;
}

/** Per-epoch facts for a training pass. */
export interface EpochInfo {
  readonly epoch: number;
  readonly lr: number;
  /** Optimizer steps before this epoch. */
  readonly stepsBefore: number;
  readonly samplesPerEpoch: number | undefined;
  /** Receives batch events; undefined when `batchEvents` is off. */
  readonly emit: ((event: BatchEvent) => void) | undefined;
}

function diverged(value: number, epoch: number, batch: number, lr: number): RangeError {
  return new RangeError(
    `Training diverged: the loss is ${value} at epoch ${epoch}, batch ${batch}; lower the learning rate (now ${lr}) or normalize the inputs (prepare: [standardize()])`,
  );
}

/**
 * Runs one epoch of optimizer steps. The last step of the pass also measures
 * per-layer norms. Returns undefined when aborted: the model then holds the
 * last completed step.
 */
export async function trainPass(
  ctx: PassContext,
  pass: Pass,
  buffer: BatchBuffer,
  info: EpochInfo,
): Promise<PassTotals | undefined> {
  const { step, chain, pauser, signal } = ctx;
  const known = info.samplesPerEpoch;
  const plain = { lr: info.lr }, withStats = { lr: info.lr, stats: true };
  const totals: PassTotals = { rows: 0, loss: 0, correct: 0, batches: 0, binary: true };
  try {
    for (;;) {
      const filled = pass.fill();
      const rows = typeof filled === "number" ? filled : await filled;
      if (signal.aborted) return undefined;
      if (rows === 0) return totals;
      const batch = applyChain(chain, buffer);
      if (ctx.checkBinary && totals.binary) totals.binary = binaryTargets(batch.t);
      const value = step.run(batch, pass.last ? withStats : plain);
      totals.batches++;
      if (!Number.isFinite(value)) throw diverged(value, info.epoch, totals.batches, info.lr);
      totals.rows += rows;
      totals.loss += value * rows;
      totals.correct += step.lastCorrect;
      if (info.emit) {
        const { epoch, lr } = info,
          n = totals.batches,
          at = info.stepsBefore + n,
          seen = totals.rows;
        info.emit(
          known === undefined
            ? { type: "batch", epoch, batch: n, step: at, loss: value, samples: seen, lr }
            : {
              type: "batch",
              epoch,
              batch: n,
              step: at,
              loss: value,
              samples: seen,
              samplesPerEpoch: known,
              lr,
            },
        );
      }
      if (signal.aborted) return undefined;
      const turn = pauser.due();
      if (turn) await turn;
    }
  } finally {
    const closing = pass.close();
    if (closing) await closing;
  }
}

/** Mean loss and correct count over a pass, weights untouched. Undefined when aborted. */
export async function evaluatePass(
  ctx: PassContext,
  pass: Pass,
  buffer: BatchBuffer,
): Promise<PassTotals | undefined> {
  const totals: PassTotals = { rows: 0, loss: 0, correct: 0, batches: 0, binary: true };
  try {
    for (;;) {
      const rows = await pass.fill();
      if (ctx.signal.aborted) return undefined;
      if (rows === 0) return totals;
      const batch = applyChain(ctx.chain, buffer);
      if (ctx.checkBinary && totals.binary) totals.binary = binaryTargets(batch.t);
      const { loss, correct } = ctx.step.evaluate(batch);
      totals.rows += rows, totals.loss += loss * rows, totals.correct += correct, totals.batches++;
      const turn = ctx.pauser.due();
      if (turn) await turn;
    }
  } finally {
    const closing = pass.close();
    if (closing) await closing;
  }
}
