import type { LrSchedule } from "./lr_schedule.ts";
import { checkParam } from "./_check_param.ts";

/** Options of {@linkcode stepDecay}. */
export interface StepDecayOptions {
  /** Epochs between drops. */
  every: number;
  /** Factor applied at each drop (default 0.1). */
  gamma?: number;
}

/**
 * Drops the rate by `gamma` every `every` epochs: lr = base · gamma^⌊(epoch - 1) / every⌋.
 *
 * @example
 * ```ts
 * import { stepDecay } from "./step_decay.ts";
 * const s = stepDecay({ every: 10, gamma: 0.5 });
 * s.lr({ epoch: 11, epochs: 30, base: 0.1 }, {}); // 0.05
 * ```
 */
export function stepDecay({ every, gamma = 0.1 }: StepDecayOptions): LrSchedule {
  checkParam("stepDecay", "every", every, { min: 1 });
  checkParam("stepDecay", "gamma", gamma, { min: 0, max: 1, open: true });
  return {
    kind: "schedule",
    name: "stepDecay",
    lr: ({ epoch, base }) => base * gamma ** Math.floor((epoch - 1) / every),
  };
}
