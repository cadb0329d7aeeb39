/**
 * Asynchronous successive halving (ASHA), the early termination of
 * Hyperband's brackets without waiting for a bracket to fill: rungs at
 * `min_iter · eta^k` epochs; a trial that reaches a rung goes on training
 * only while its metric is in the top 1/eta of the trials that reached that
 * rung so far, else it is stopped there. A promoted trial simply keeps
 * training, it never starts again.
 *
 * @module
 */

/** Which way a metric is better. */
export type Goal = "minimize" | "maximize";

/** What a trial does at a rung. */
export type RungDecision = "continue" | "stop";

/**
 * The rung epochs below `epochs`: `minIter · eta^k` for k = 0, 1, ... (the
 * last epoch is no rung: a trial ends there anyway).
 *
 * @example
 * ```ts
 * import { ashaRungs } from "./asha.ts";
 * ashaRungs({ minIter: 3, eta: 3, epochs: 27 }); // [3, 9]
 * ashaRungs({ minIter: 1, eta: 2, epochs: 10 }); // [1, 2, 4, 8]
 * ```
 */
export function ashaRungs(options: { minIter: number; eta: number; epochs: number }): number[] {
  const { minIter, eta, epochs } = options;
  if (!(Number.isInteger(minIter) && minIter >= 1)) {
    throw new RangeError(`Invalid min_iter: ${minIter} must be a whole number of at least 1`);
  }
  if (!(Number.isInteger(eta) && eta >= 2)) {
    throw new RangeError(`Invalid eta: ${eta} must be a whole number of at least 2`);
  }
  const rungs: number[] = [];
  for (let r = minIter; r < epochs; r *= eta) rungs.push(r);
  return rungs;
}

/**
 * True when `a` is strictly better than `b` under `goal`.
 *
 * @example
 * ```ts
 * import { isBetter } from "./asha.ts";
 * isBetter(0.9, 0.8, "maximize"); // true
 * isBetter(0.9, 0.8, "minimize"); // false
 * ```
 */
export function isBetter(a: number, b: number, goal: Goal): boolean {
  return goal === "maximize" ? a > b : a < b;
}

/**
 * The decision for a trial whose metric at a rung is `value`, given the
 * values of every trial that reached the rung before it (`earlier`): it
 * continues when fewer than `ceil(n / eta)` of the `n` trials at the rung
 * (itself included) are strictly better, so the first trial at a rung
 * always goes on and ties go on together. A NaN metric always stops.
 *
 * @example
 * ```ts
 * import { rungDecision } from "./asha.ts";
 * rungDecision([], 0.5, { eta: 3, goal: "maximize" }); // "continue"
 * rungDecision([0.9, 0.8], 0.5, { eta: 3, goal: "maximize" }); // "stop"
 * rungDecision([0.9, 0.8, 0.4], 0.95, { eta: 3, goal: "maximize" }); // "continue"
 * ```
 */
export function rungDecision(
  earlier: readonly number[],
  value: number,
  options: { eta: number; goal: Goal },
): RungDecision {
  if (Number.isNaN(value)) return "stop";
  const keep = Math.ceil((earlier.length + 1) / options.eta);
  const better = earlier.filter((x) => isBetter(x, value, options.goal)).length;
  return better < keep ? "continue" : "stop";
}

/** The state of one sweep's early termination. */
export interface Asha {
  /** The rung epochs. */
  readonly rungs: readonly number[];
  /**
   * Tells ASHA a trial's metric after `epoch`: at a rung it is recorded
   * there and judged; elsewhere the trial continues.
   */
  report(trial: string, epoch: number, value: number): RungDecision;
  /** The values recorded at each rung so far, in arrival order. */
  recorded(rung: number): readonly number[];
}

/**
 * Creates the rung tables of a sweep. A trial reports each epoch's metric
 * (the best so far is what the sweep reports); only rung epochs are judged,
 * and a trial is recorded at a rung once.
 *
 * @example
 * ```ts
 * import { createAsha } from "./asha.ts";
 * const asha = createAsha({ minIter: 1, eta: 2, epochs: 4, goal: "minimize" });
 * asha.report("a", 1, 0.5); // "continue"
 * asha.report("b", 1, 0.9); // "stop": 1 of 2 trials goes on, and a is better
 * ```
 */
export function createAsha(
  options: { minIter: number; eta: number; epochs: number; goal: Goal },
): Asha {
  const rungs = ashaRungs(options);
  const tables = new Map(rungs.map((r) => [r, [] as number[]]));
  const seen = new Map(rungs.map((r) => [r, new Set<string>()]));
  return {
    rungs,
    report(trial, epoch, value) {
      const table = tables.get(epoch);
      if (!table || seen.get(epoch)!.has(trial)) return "continue";
      seen.get(epoch)!.add(trial);
      const decision = rungDecision(table, value, options);
      table.push(value);
      return decision;
    },
    recorded: (rung) => tables.get(rung) ?? [],
  };
}
