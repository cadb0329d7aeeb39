/**
 * tanh for float32 results, about four times faster than `Math.tanh`: an odd
 * rational function x·P(x²)/Q(x²) fitted to tanh on [-9.1, 9.1] (relative
 * error under 2.3e-8, below half a float32 ulp), evaluated in float64 with
 * the input clamped there (tanh(±9.1) rounds to ±1 in float32). Rounded to
 * float32 it equals `Math.tanh` rounded to float32, or is one ulp away (about
 * 3% of inputs). NaN stays NaN, -0 stays -0. Float64 results keep `Math.tanh`.
 *
 * @module
 */

// Fitted by iteratively reweighted least squares on the relative error
// against 40-digit tanh (mpmath) over 44,000 points of [0, 9.1].
const P0 = 0.9999999772532344, P1 = 0.1337449191796942, P2 = 0.0034878306754839807;
const P3 = 2.048150021599842e-05, P4 = 1.3177939171045596e-08;
const Q1 = 0.4670780571427947, Q2 = 0.02584746386860447, Q3 = 0.0003272951874779416;
const Q4 = 7.704220428716302e-07;
const LIMIT = 9.1;

/**
 * tanh(x) to float32 accuracy (see the module doc).
 *
 * @example
 * ```ts
 * import { tanh32 } from "./_tanh32.ts";
 * Math.fround(tanh32(0.5)) === Math.fround(Math.tanh(0.5)); // true
 * Math.fround(tanh32(20)); // 1
 * ```
 */
export function tanh32(x: number): number {
  // A select, not a branch: the loop over a layer stays branch-free.
  const c = x > LIMIT ? LIMIT : x < -LIMIT ? -LIMIT : x;
  const u = c * c, u2 = u * u; // Estrin's scheme: shorter dependency chains than Horner's
  return c * (P0 + P1 * u + u2 * (P2 + P3 * u + u2 * P4)) /
    (1 + Q1 * u + u2 * (Q2 + Q3 * u + u2 * Q4));
}
