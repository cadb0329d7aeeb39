import type { LrSchedule } from "./lr_schedule.ts";
import { checkParam } from "./_check_param.ts";

/** Options of {@linkcode exponentialDecay}. */
export interface ExponentialDecayOptions {
  /** Factor per epoch, in (0, 1]. */
  gamma: number;
}

/**
 * Shrinks the rate by `gamma` every epoch: lr = base · gamma^(epoch - 1).
 *
 * @example
 * ```ts
 * import { exponentialDecay } from "./exponential_decay.ts";
 * exponentialDecay({ gamma: 0.9 }).lr({ epoch: 3, epochs: 10, base: 1 }, {}); // 0.81
 * ```
 */
export function exponentialDecay({ gamma }: ExponentialDecayOptions): LrSchedule {
  checkParam("exponentialDecay", "gamma", gamma, { min: 0, max: 1, open: true });
  return {
    kind: "schedule",
    name: "exponentialDecay",
    lr: ({ epoch, base }) => base * gamma ** (epoch - 1),
  };
}
