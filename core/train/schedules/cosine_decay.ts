import type { LrSchedule } from "./lr_schedule.ts";
import { checkParam } from "./_check_param.ts";

/** Options of {@linkcode cosineDecay}. */
export interface CosineDecayOptions {
  /** Epochs the half cosine spans (default: all epochs of the run). */
  epochs?: number;
  /** Rate it ends at (default 0). */
  minLr?: number;
}

/**
 * Half a cosine from the base rate down to `minLr`:
 * lr = minLr + (base - minLr) · (1 + cos(π · min(epoch - 1, T) / T)) / 2.
 *
 * @example
 * ```ts
 * import { cosineDecay } from "./cosine_decay.ts";
 * const s = cosineDecay({ minLr: 0 });
 * s.lr({ epoch: 1, epochs: 10, base: 0.1 }, {}); // 0.1
 * s.lr({ epoch: 6, epochs: 10, base: 0.1 }, {}); // 0.05
 * ```
 */
export function cosineDecay(options: CosineDecayOptions = {}): LrSchedule {
  const minLr = options.minLr ?? 0;
  checkParam("cosineDecay", "minLr", minLr, { min: 0 });
  if (options.epochs !== undefined) checkParam("cosineDecay", "epochs", options.epochs, { min: 1 });
  return {
    kind: "schedule",
    name: "cosineDecay",
    lr({ epoch, epochs, base }) {
      const span = options.epochs ?? epochs;
      const progress = Math.min(epoch - 1, span) / span;
      return minLr + (base - minLr) * (1 + Math.cos(Math.PI * progress)) / 2;
    },
  };
}
