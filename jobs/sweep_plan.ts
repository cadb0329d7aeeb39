/**
 * A sweep's trials, planned before any runs: the points of the search space
 * (grid or seeded random draws) and each trial's run config. Pure: the same
 * sweep file always gives the same trials.
 *
 * @module
 */
import { createRng, type Rng } from "../core/math/rng.ts";
import { parseRunConfig, type RunConfig } from "./run_config.ts";
import { MAX_TRIALS, type SweepConfig, type SweepParameter, withField } from "./sweep_config.ts";

/** One point of the search space: a value for each parameter path, in the sweep file's order. */
export type SweepPoint = Record<string, unknown>;

/** A trial as planned: its parameters, its seed and its run config. */
export interface PlannedTrial {
  /** 0-based position in the sweep. */
  readonly index: number;
  /** The value of each swept parameter. */
  readonly params: SweepPoint;
  /** The run's seed, derived from the sweep's (unless `seed` is itself swept). */
  readonly seed: number;
  /** The base run config with the parameters and the seed set, as written. */
  readonly input: Record<string, unknown>;
  /** `input` checked, with every default filled in. */
  readonly config: RunConfig;
}

/**
 * The grid of the parameters: their cartesian product in the sweep file's
 * key order, the last parameter varying fastest, stopped after `cap` points.
 * A distribution has no grid: it throws a TypeError.
 *
 * @example
 * ```ts
 * import { gridPoints } from "./sweep_plan.ts";
 * gridPoints({ lr: { values: [0.1, 0.01] }, batchSize: { values: [8, 16] } }, 3);
 * // [{ lr: 0.1, batchSize: 8 }, { lr: 0.1, batchSize: 16 }, { lr: 0.01, batchSize: 8 }]
 * ```
 */
export function gridPoints(
  parameters: Readonly<Record<string, SweepParameter>>,
  cap: number,
): SweepPoint[] {
  const axes = Object.entries(parameters).map(([path, parameter]) => {
    if ("distribution" in parameter) {
      throw new TypeError(
        `Invalid grid: ${path} is a distribution; list its values, or use method random`,
      );
    }
    return [path, "values" in parameter ? parameter.values : [parameter.value]] as const;
  });
  const points: SweepPoint[] = [];
  const visit = (axis: number, point: SweepPoint) => {
    if (points.length >= cap) return;
    if (axis === axes.length) return void points.push({ ...point });
    const [path, values] = axes[axis];
    for (const value of values) visit(axis + 1, { ...point, [path]: value });
  };
  visit(0, {});
  return points;
}

/**
 * The number of points in the full grid of `parameters` (distributions count as 1).
 *
 * @example
 * ```ts
 * import { gridSize } from "./sweep_plan.ts";
 * gridSize({ lr: { values: [0.1, 0.01] }, batchSize: { values: [8, 16, 32] } }); // 6
 * ```
 */
export function gridSize(parameters: Readonly<Record<string, SweepParameter>>): number {
  return Object.values(parameters).reduce((n, p) => n * ("values" in p ? p.values.length : 1), 1);
}

/**
 * One draw of a parameter: a uniform pick of its values, its fixed value, or
 * a draw of its distribution (`int_uniform` includes both ends;
 * `log_uniform_values` is uniform in log space).
 *
 * @example
 * ```ts
 * import { createRng } from "../core/math/rng.ts";
 * import { drawParameter } from "./sweep_plan.ts";
 * const lr = { distribution: "log_uniform_values", min: 1e-4, max: 1e-1 } as const;
 * const x = drawParameter(lr, createRng(1)) as number;
 * x >= 1e-4 && x <= 1e-1; // true
 * ```
 */
export function drawParameter(parameter: SweepParameter, rng: Rng): unknown {
  if ("values" in parameter) return parameter.values[rng.int(parameter.values.length)];
  if ("value" in parameter) return parameter.value;
  const { distribution, min, max } = parameter;
  if (distribution === "int_uniform") return min + rng.int(max - min + 1);
  if (distribution === "uniform") return min + (max - min) * rng.float();
  return Math.exp(Math.log(min) + (Math.log(max) - Math.log(min)) * rng.float());
}

/**
 * `count` seeded random points: each parameter drawn in the sweep file's key
 * order, trial after trial, from one generator seeded with `seed`.
 *
 * @example
 * ```ts
 * import { randomPoints } from "./sweep_plan.ts";
 * const a = randomPoints({ lr: { distribution: "uniform", min: 0, max: 1 } }, 3, 7);
 * const b = randomPoints({ lr: { distribution: "uniform", min: 0, max: 1 } }, 3, 7);
 * JSON.stringify(a) === JSON.stringify(b); // true
 * ```
 */
export function randomPoints(
  parameters: Readonly<Record<string, SweepParameter>>,
  count: number,
  seed: number,
): SweepPoint[] {
  const rng = createRng(seed);
  return Array.from({ length: count }, () => {
    const point: SweepPoint = {};
    for (const [path, parameter] of Object.entries(parameters)) {
      point[path] = drawParameter(parameter, rng);
    }
    return point;
  });
}

/**
 * The seed of each of `count` trials, derived from the sweep's `seed`: whole
 * numbers in [0, 2^31), from a generator of their own (so that adding a
 * parameter does not change them).
 *
 * @example
 * ```ts
 * import { trialSeeds } from "./sweep_plan.ts";
 * trialSeeds(42, 2).length; // 2
 * ```
 */
export function trialSeeds(seed: number, count: number): number[] {
  const rng = createRng(seed);
  rng.nextU32(); // the first word also seeds the draws (see planSweep): skip it
  return Array.from({ length: count }, () => rng.nextU32() >>> 1);
}

/**
 * Plans a checked sweep's trials: `grid` walks the cartesian product (up to
 * `run_cap`), `random` draws `run_cap` points; each trial's run config is
 * the base `run` with its parameters and its own derived seed set. Throws a
 * RangeError for a grid past {@linkcode MAX_TRIALS} without `run_cap`, and a
 * TypeError naming the trial whose combination of values is not a valid run
 * config.
 *
 * @example
 * ```ts
 * import { parseSweepConfig } from "./sweep_config.ts";
 * import { planSweep } from "./sweep_plan.ts";
 * const trials = planSweep(parseSweepConfig({
 *   method: "grid",
 *   metric: { name: "loss", goal: "minimize" },
 *   parameters: { lr: { values: [0.1, 0.3] } },
 *   run: { dataset: "xor", epochs: 5 },
 * }));
 * trials.map((t) => t.config.lr); // [0.1, 0.3]
 * ```
 */
export function planSweep(sweep: SweepConfig): PlannedTrial[] {
  let points: SweepPoint[];
  if (sweep.method === "grid") {
    const size = gridSize(sweep.parameters);
    if (sweep.run_cap === undefined && size > MAX_TRIALS) {
      throw new RangeError(
        `Invalid sweep file: run_cap: the grid has ${size} trials, over ${MAX_TRIALS}; set run_cap or list fewer values`,
      );
    }
    points = gridPoints(sweep.parameters, sweep.run_cap ?? MAX_TRIALS);
  } else {
    if (sweep.run_cap === undefined) {
      throw new TypeError("Invalid sweep file: run_cap: is required with method random");
    }
    points = randomPoints(sweep.parameters, sweep.run_cap, createRng(sweep.seed).nextU32());
  }
  const base = parseRunConfig(sweep.run);
  const seeds = trialSeeds(sweep.seed, points.length);
  return points.map((params, index) => {
    let input: Record<string, unknown> = { ...sweep.run, seed: seeds[index] };
    for (const [path, value] of Object.entries(params)) {
      input = withField(input, base, path, value);
    }
    let config: RunConfig;
    try {
      config = parseRunConfig(input);
    } catch (error) {
      const why = (error as Error).message.replace(/^Invalid run config: /, "");
      throw new TypeError(
        `Invalid sweep file: trial ${index + 1} (${
          JSON.stringify(params)
        }) is no valid run: ${why}`,
      );
    }
    return { index, params, seed: config.seed, input, config };
  });
}
