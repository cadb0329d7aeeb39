// Builds core's learning-rate schedule from a run config's `schedule` field.
import { cosineDecay } from "../core/train/schedules/cosine_decay.ts";
import { exponentialDecay } from "../core/train/schedules/exponential_decay.ts";
import type { LrSchedule } from "../core/train/schedules/lr_schedule.ts";
import { reduceOnPlateau } from "../core/train/schedules/reduce_on_plateau.ts";
import { stepDecay } from "../core/train/schedules/step_decay.ts";
import type { RunConfig } from "./run_config.ts";

/** The schedule a run config names (the fields past `name` are the factory's options). */
export function scheduleOf(config: NonNullable<RunConfig["schedule"]>): LrSchedule {
  switch (config.name) {
    case "stepDecay":
      return stepDecay(config);
    case "exponentialDecay":
      return exponentialDecay(config);
    case "cosineDecay":
      return cosineDecay(config);
    case "reduceOnPlateau":
      return reduceOnPlateau(config);
  }
}
