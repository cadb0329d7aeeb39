import { createRng } from "../../core/math/rng.ts";
import { allocArrays, type Arrays, type Dataset } from "./dataset.ts";

/** Options of {@linkcode loadSine}. */
export interface SineOptions {
  /** Seed of the sample positions and noise (default 42). */
  seed?: number;
  /** Training samples (default 512). */
  trainSize?: number;
  /** Test samples (default 128). */
  testSize?: number;
  /** Standard deviation of Gaussian noise added to training targets (default 0). */
  noise?: number;
}

/**
 * y = sin(x) for x drawn uniformly from [-π, π]: a small regression problem
 * (1 input, 1 output). Seeded: the same seed gives the same samples.
 *
 * @example
 * ```ts
 * import { loadSine } from "./sine.ts";
 * const { train, test } = loadSine({ seed: 1 });
 * [train.rows, test!.rows]; // [512, 128]
 * ```
 */
export function loadSine(options: SineOptions = {}): Dataset {
  const { seed = 42, trainSize = 512, testSize = 128, noise = 0 } = options;
  const rng = createRng(seed);
  const draw = (rows: number, sigma: number): Arrays => {
    const a = allocArrays(rows, 1, 1);
    for (let i = 0; i < rows; i++) {
      a.x[i] = (rng.float() * 2 - 1) * Math.PI;
      a.y[i] = Math.sin(a.x[i]) + (sigma > 0 ? sigma * rng.normal() : 0);
    }
    return a;
  };
  return { name: "sine", train: draw(trainSize, noise), test: draw(testSize, 0) };
}
