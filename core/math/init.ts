import type { Rng } from "./rng.ts";
import type { Floats, InitName } from "./types.ts";

/**
 * Fills a fan-in x fan-out weight matrix by a named scheme:
 * - `he`: N(0, 2 / fanIn), keeps ReLU-family activations from shrinking layer by layer;
 * - `glorot`: U(-a, a), a = sqrt(6 / (fanIn + fanOut)), for sigmoid, tanh, identity, softmax;
 * - `lecun`: N(0, 1 / fanIn);
 * - `zeros`: all zero (only sensible for a single linear layer).
 *
 * @example
 * ```ts
 * import { initWeights } from "./init.ts";
 * import { createRng } from "./rng.ts";
 * const w = new Float32Array(6);
 * initWeights(w, { scheme: "he", fanIn: 3, fanOut: 2, rng: createRng(1) });
 * ```
 */
export function initWeights(
  weights: Floats,
  options: { scheme: InitName; fanIn: number; fanOut: number; rng: Rng },
): void {
  const { scheme, fanIn, fanOut, rng } = options;
  const n = fanIn * fanOut;
  switch (scheme) {
    case "he":
    case "lecun": {
      const std = Math.sqrt((scheme === "he" ? 2 : 1) / fanIn);
      for (let i = 0; i < n; i++) weights[i] = rng.normal() * std;
      return;
    }
    case "glorot": {
      const a = Math.sqrt(6 / (fanIn + fanOut));
      for (let i = 0; i < n; i++) weights[i] = (2 * rng.float() - 1) * a;
      return;
    }
    case "zeros":
      weights.fill(0, 0, n);
      return;
    default:
      throw new TypeError(
        `Unknown init "${scheme as string}": use one of he, glorot, lecun, zeros`,
      );
  }
}
