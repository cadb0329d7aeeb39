import type { BatchBuffer, Pass } from "../data/pass.ts";
import type { PrepareFn } from "../data/prepare_step.ts";
import type { RunOptions, TrainStep } from "../math/train_step.ts";
import type { BatchEvent } from "./train_events.ts";
import { binaryTargets } from "./classification.ts";
import type { Pauser } from "./_pauser.ts";
import { applyChain } from "../data/prepare.ts";

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
  /** Learning rate of the last step (below the epoch's during warm-up). */
  lastLr: number;
  /** False once a target other than 0 or 1 was seen (only checked when asked). */
  binary: boolean;
}

/** What a pass needs besides the pass itself. */
export interface PassContext {
  readonly step: TrainStep;
  readonly chain: readonly PrepareFn[];
  readonly pauser: Pauser;
  readonly signal: AbortSignal;
  /**
   * `signal.aborted`, kept by an abort listener: checked twice per step, and
   * Deno's getter costs as much as a tiny network's loss.
   */
  readonly halted: { readonly aborted: boolean };
  /** Check targets for 0/1 (single sigmoid output). */
  readonly checkBinary: boolean;
}

/** Per-epoch facts for a training pass. */
export interface EpochInfo {
  readonly epoch: number;
  readonly lr: number;
  /**
   * The step's options at this epoch's learning rate: for every step but the
   * pass's last, and for the last (which measures per-layer norms when the
   * epoch is measured).
   */
  readonly stepOptions: RunOptions;
  readonly lastStepOptions: RunOptions;
  /** Steps of linear warm-up over the whole run (0: none). */
  readonly warmupSteps: number;
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

/** How {@linkcode advance} stopped: the pass ended, was aborted, or must wait for a promise. */
type Outcome = "done" | "aborted" | Promise<number | void>;

/** One optimizer step on the batch in `buffer` (`rows` rows), adding to `totals`. */
function runBatch(
  ctx: PassContext,
  pass: Pass,
  buffer: BatchBuffer,
  epochInfo: EpochInfo,
  totals: PassTotals,
  rows: number,
): void {
  const batch = applyChain(ctx.chain, buffer);
  if (ctx.checkBinary && totals.binary) totals.binary = binaryTargets(batch.t);
  const at = epochInfo.stepsBefore + totals.batches + 1; // this step, counted over the run
  let lr = epochInfo.lr, options = pass.last ? epochInfo.lastStepOptions : epochInfo.stepOptions;
  if (at <= epochInfo.warmupSteps) {
    lr = epochInfo.lr * at / epochInfo.warmupSteps;
    options = { lr, stats: options.stats };
  }
  const value = ctx.step.run(batch, options);
  totals.batches++;
  totals.lastLr = lr;
  if (!Number.isFinite(value)) throw diverged(value, epochInfo.epoch, totals.batches, lr);
  totals.rows += rows;
  totals.loss += value * rows;
  totals.correct += ctx.step.lastCorrect;
  if (epochInfo.emit) {
    const epoch = epochInfo.epoch, n = totals.batches, seen = totals.rows;
    const known = epochInfo.samplesPerEpoch;
    epochInfo.emit(
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
}

/**
 * Runs batches without awaiting for as long as the source gives them at once
 * and no event-loop turn is due. `rows` is a batch already filled.
 */
function advance(
  ctx: PassContext,
  pass: Pass,
  buffer: BatchBuffer,
  epochInfo: EpochInfo,
  totals: PassTotals,
  rows: number | void,
): Outcome {
  for (;;) {
    if (rows === undefined) {
      const filled = pass.fill();
      if (typeof filled !== "number") {
        ctx.step.settle?.(); // a streamed source's wait is an event-loop turn too
        return filled;
      }
      rows = filled;
    }
    if (ctx.halted.aborted) return "aborted";
    if (rows === 0) return "done";
    runBatch(ctx, pass, buffer, epochInfo, totals, rows);
    rows = undefined;
    if (ctx.halted.aborted) return "aborted";
    const turn = ctx.pauser.due();
    if (turn) {
      ctx.step.settle?.(); // whoever runs during the turn sees final weights
      return turn;
    }
  }
}

/** Closes the pass, then gives `result()` (or its error): at once when closing needs no wait. */
function closeThen<T>(pass: Pass, result: () => T): T | Promise<T> {
  const closing = pass.close();
  return closing ? closing.then(result) : result();
}

/**
 * Runs one epoch of optimizer steps. The last step of the pass also measures
 * per-layer norms. Gives undefined when aborted: the model then holds the
 * last completed step. In-memory data with no turn due finishes without a
 * promise (an await per epoch costs more than a tiny network's step); errors
 * are then thrown at once rather than returned as a rejected promise, and the
 * pass is closed either way.
 */
export function trainPass(
  ctx: PassContext,
  pass: Pass,
  buffer: BatchBuffer,
  epochInfo: EpochInfo,
): PassTotals | undefined | Promise<PassTotals | undefined> {
  const totals: PassTotals = {
    rows: 0,
    loss: 0,
    correct: 0,
    batches: 0,
    lastLr: epochInfo.lr,
    binary: true,
  };
  let outcome: Outcome;
  try {
    outcome = advance(ctx, pass, buffer, epochInfo, totals, undefined);
  } catch (error) {
    return closeThen(pass, () => {
      throw error;
    });
  }
  if (typeof outcome === "string") {
    const result = outcome === "done" ? totals : undefined, closing = pass.close();
    return closing ? closing.then(() => result) : result; // no closure when closing needs no wait
  }
  return finishPass(ctx, pass, buffer, epochInfo, totals, outcome);
}

/** The rest of a pass after its first wait. */
async function finishPass(
  ctx: PassContext,
  pass: Pass,
  buffer: BatchBuffer,
  epochInfo: EpochInfo,
  totals: PassTotals,
  waiting: Promise<number | void>,
): Promise<PassTotals | undefined> {
  try {
    for (;;) {
      const outcome = advance(ctx, pass, buffer, epochInfo, totals, await waiting);
      if (outcome === "done") return totals;
      if (outcome === "aborted") return undefined;
      waiting = outcome;
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
  const totals: PassTotals = {
    rows: 0,
    loss: 0,
    correct: 0,
    batches: 0,
    lastLr: NaN,
    binary: true,
  };
  try {
    for (;;) {
      const rows = await pass.fill();
      if (ctx.halted.aborted) return undefined;
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
