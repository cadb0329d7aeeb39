import { encodeFloats } from "../model/base64_floats.ts";
import type { Checkpoint } from "../model/checkpoint.ts";
import { decodeInto } from "../model/checkpoint_codec.ts";
import type { EpochMetrics } from "./schedules/lr_schedule.ts";
import type { Floats } from "../math/types.ts";

/** The trainer's `earlyStopping` option. */
export interface EarlyStoppingOptions {
  /** Epochs without improvement before stopping. */
  patience: number;
  /** Smallest decrease that counts as improvement (default 0). */
  minDelta?: number;
  /** Loss to watch (default "valLoss" when there is validation data, else "loss"). */
  monitor?: "valLoss" | "loss";
  /**
   * Put the best epoch's weights back when training ends, however it ends:
   * completed, stopped early, failed, or unsubscribed (default true).
   */
  restoreBest?: boolean;
}

/** Early-stopping state as saved in checkpoints. */
export type EarlyStoppingState = NonNullable<Checkpoint["earlyStopping"]>;

/** Early stopping for one run: watches each epoch's loss and keeps the best weights. */
export interface EarlyStopping {
  /** Records an epoch; true when training should stop. */
  update(epoch: number, metrics: EpochMetrics): boolean;
  /** Puts the best weights back (when `restoreBest`); returns their epoch. */
  restore(): number | undefined;
  state(): EarlyStoppingState;
  /**
   * True when the patience is already used up (`wait >= patience`), as in a
   * state saved by a run that stopped early: a resumed run then trains no
   * more epochs.
   */
  stopped(): boolean;
}

/**
 * Builds early stopping over `params` (the network's tensors, written in
 * place on restore), from a saved state when resuming.
 *
 * A state saved with `restoreBest: false` holds no weights. Resumed with
 * `restoreBest` on, the best epoch so far is forgotten (its weights are
 * gone): the best is tracked again from the first resumed epoch, and
 * `restore()` puts back the best weights since then. The count of epochs
 * without improvement is kept, so a stopped run stays stopped.
 *
 * @example
 * ```ts ignore
 * const es = createEarlyStopping({ patience: 3 }, parameters(network), false);
 * if (es.update(epoch, { loss })) stop();
 * ```
 */
export function createEarlyStopping(
  options: EarlyStoppingOptions,
  params: readonly Floats[],
  hasValidation: boolean,
  saved?: EarlyStoppingState,
): EarlyStopping {
  const { patience, minDelta = 0, restoreBest = true } = options;
  if (!Number.isInteger(patience) || patience < 1) {
    throw new RangeError(
      `Invalid earlyStopping patience: ${patience} must be a whole number of at least 1`,
    );
  }
  if (!(minDelta >= 0)) {
    throw new RangeError(`Invalid earlyStopping minDelta: ${minDelta} must be 0 or more`);
  }
  const monitor = options.monitor ?? (hasValidation ? "valLoss" : "loss");
  if (monitor === "valLoss" && !hasValidation) {
    throw new TypeError(
      'earlyStopping monitors valLoss but there is no validation data: pass validation or validationSplit, or monitor "loss"',
    );
  }
  let best = saved?.best ?? null, bestEpoch = saved?.bestEpoch ?? 0, wait = saved?.wait ?? 0;
  const snapshot = restoreBest ? params.map((p) => new Float32Array(p.length)) : undefined;
  if (snapshot && saved?.weights) decodeInto(saved.weights, snapshot, "earlyStopping.weights");
  else if (snapshot && bestEpoch > 0) best = null, bestEpoch = 0; // no weights to restore: see above
  return {
    update(epoch, metrics) {
      const value = monitor === "loss" ? metrics.loss : metrics.valLoss!;
      if (best === null || value < best - minDelta) {
        best = value, bestEpoch = epoch, wait = 0;
        snapshot?.forEach((s, i) => s.set(params[i]));
        return false;
      }
      return ++wait >= patience;
    },
    restore() {
      if (!snapshot || bestEpoch === 0) return undefined;
      snapshot.forEach((s, i) => params[i].set(s));
      return bestEpoch;
    },
    state: () => ({
      best,
      bestEpoch,
      wait,
      ...(snapshot && bestEpoch > 0 ? { weights: snapshot.map(encodeFloats) } : {}),
    }),
    stopped: () => wait >= patience,
  };
}
