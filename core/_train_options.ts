import type { Checkpoint } from "./checkpoint.ts";
import type { TrainOptions } from "./train.ts";

/** Numbers of {@linkcode TrainOptions} checked, defaults filled in. */
export interface CheckedOptions {
  epochs: number;
  batchSize: number;
  seed: number;
  shuffle: boolean;
  shuffleBuffer: number;
  yieldEveryMs: number;
  batchEvents: boolean;
  /** Steps of linear learning-rate warm-up (0: none). */
  warmupSteps: number;
  config: Checkpoint["config"];
}

function whole(key: string, value: number): number {
  if (!Number.isInteger(value) || value < 1) {
    throw new RangeError(`Invalid ${key}: ${value} must be a whole number of at least 1`);
  }
  return value;
}

/** Throws a RangeError or TypeError naming the first bad option and its fix. */
export function checkOptions(o: TrainOptions): CheckedOptions {
  const epochs = whole("epochs", o.epochs), batchSize = whole("batchSize", o.batchSize);
  const seed = o.resume?.config.seed ?? o.seed ?? 42;
  if (!Number.isFinite(seed)) throw new RangeError(`Invalid seed: ${seed} is not a finite number`);
  const shuffle = o.shuffle ?? true;
  const shuffleBuffer = typeof shuffle === "object"
    ? whole("shuffle.buffer", shuffle.buffer)
    : 10_000;
  const yieldEveryMs = o.yieldEveryMs ?? 25;
  if (!(yieldEveryMs >= 0)) {
    throw new RangeError(`Invalid yieldEveryMs: ${yieldEveryMs} must be 0 or more`);
  }
  if (o.checkpoint) whole("checkpoint.every", o.checkpoint.every);
  const warmupSteps = o.warmupSteps ?? 0;
  if (!Number.isInteger(warmupSteps) || warmupSteps < 0) {
    throw new RangeError(
      `Invalid warmupSteps: ${warmupSteps} must be a whole number of steps, 0 or more`,
    );
  }
  if (o.validationSplit !== undefined) {
    if (o.validation) {
      throw new TypeError("Invalid options: give validation or validationSplit, not both");
    }
    if (o.data.kind !== "memory") {
      throw new TypeError(
        `Invalid validationSplit: it holds out in-memory rows but the data is a ${o.data.name} stream; pass validation: a second source instead`,
      );
    }
  }
  const plugin = (p: { name: string; params?: Readonly<Record<string, number>> }) => ({
    name: p.name,
    ...(p.params ? { params: { ...p.params } } : {}),
  });
  const config: Checkpoint["config"] = {
    epochs,
    batchSize,
    seed,
    ...(o.l2 === undefined ? {} : { l2: o.l2 }),
    ...(o.validationSplit === undefined ? {} : { validationSplit: o.validationSplit }),
    loss: plugin(o.loss),
    optimizer: plugin(o.optimizer),
    ...(o.schedule ? { schedule: o.schedule.name } : {}),
    ...(warmupSteps ? { warmupSteps } : {}),
  };
  return {
    epochs,
    batchSize,
    seed,
    shuffle: shuffle !== false,
    shuffleBuffer,
    yieldEveryMs,
    batchEvents: o.batchEvents ?? true,
    warmupSteps,
    config,
  };
}
