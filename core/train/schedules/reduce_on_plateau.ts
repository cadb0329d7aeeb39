import type { LrSchedule, ScheduleState } from "./lr_schedule.ts";
import { checkParam } from "./_check_param.ts";

/** Options of {@linkcode reduceOnPlateau}. */
export interface ReduceOnPlateauOptions {
  /** Factor applied when the monitored loss stalls (default 0.1). */
  factor?: number;
  /** Epochs without improvement before reducing (default 5). */
  patience?: number;
  /** Smallest decrease that counts as improvement (default 0). */
  minDelta?: number;
  /** Lowest rate it reduces to (default 0). */
  minLr?: number;
  /** Loss to watch (default "valLoss" when there is validation data, else "loss"). */
  monitor?: "valLoss" | "loss";
}

/**
 * Multiplies the rate by `factor` once the monitored loss has not improved by
 * more than `minDelta` for `patience` epochs, then waits `patience` epochs again.
 *
 * @example
 * ```ts
 * import { reduceOnPlateau } from "./reduce_on_plateau.ts";
 * const s = reduceOnPlateau({ factor: 0.5, patience: 1 });
 * let state = s.init!();
 * state = s.next!(state, { loss: 1 });
 * state = s.next!(state, { loss: 1 }); // no improvement for 1 epoch: halve
 * s.lr({ epoch: 3, epochs: 10, base: 0.1 }, state); // 0.05
 * ```
 */
export function reduceOnPlateau(options: ReduceOnPlateauOptions = {}): LrSchedule {
  const { factor = 0.1, patience = 5, minDelta = 0, minLr = 0, monitor } = options;
  checkParam("reduceOnPlateau", "factor", factor, { min: 0, max: 1, open: true });
  checkParam("reduceOnPlateau", "patience", patience, { min: 1 });
  checkParam("reduceOnPlateau", "minDelta", minDelta, { min: 0 });
  checkParam("reduceOnPlateau", "minLr", minLr, { min: 0 });
  return {
    kind: "schedule",
    name: "reduceOnPlateau",
    init: () => ({ scale: 1, best: null, wait: 0 }),
    lr: ({ base }, state) => Math.max(minLr, base * (state.scale ?? 1)),
    next(state, metrics): ScheduleState {
      if (monitor === "valLoss" && metrics.valLoss === undefined) {
        throw new TypeError(
          'reduceOnPlateau monitors valLoss but there is no validation data: pass validation or validationSplit, or monitor "loss"',
        );
      }
      const value = monitor === "loss" ? metrics.loss : metrics.valLoss ?? metrics.loss;
      const best = state.best ?? null, scale = state.scale ?? 1, wait = state.wait ?? 0;
      if (best === null || value < best - minDelta) return { scale, best: value, wait: 0 };
      return wait + 1 >= patience
        ? { scale: scale * factor, best, wait: 0 }
        : { scale, best, wait: wait + 1 };
    },
  };
}
