/**
 * The check that an element-wise activation's batch loops agree with its
 * scalar `f` and `df`: plots, the gallery and readers go by `f`/`df`, the
 * trainer by `forward`/`backward`, so the two must be the same function.
 *
 * @module
 */
import type { ActivationPlugin } from "../types.ts";
import { type CheckResult, fail, like, num, pass, probeMatrix } from "./_probes.ts";

/** Relative (and, near 0, absolute) tolerance: the same math in float64 differs by rounding only. */
const TOLERANCE = 1e-9;

// NaN agrees with NaN here: non-finite outputs are the finite check's business.
const close = (a: number, b: number): boolean =>
  a === b || Object.is(a, b) ||
  Math.abs(a - b) <= TOLERANCE * Math.max(1, Math.abs(a), Math.abs(b));

/**
 * Runs `forward` and `backward` on the probes (|x| up to 1e4, float64) and
 * compares them with `f(x)` and `dy · df(x, y)` point by point. Passes at once
 * for a plugin without `f` (row-wise ones such as softmax).
 *
 * @example
 * ```ts
 * import { checkActivationScalar } from "./activation_scalar_check.ts";
 * import { elementwise } from "../elementwise.ts";
 * const wrong = elementwise({
 *   name: "wrong",
 *   f: (x) => x * x,
 *   df: (x) => 2 * x,
 *   forward: (z, y) => y.data.set(z.data), // not x * x
 * });
 * checkActivationScalar(wrong).ok; // false
 * ```
 */
export function checkActivationScalar(plugin: ActivationPlugin): CheckResult {
  const { f, df } = plugin;
  if (!f) return pass("scalar", "no scalar f to compare with (row-wise activation)");
  const z = probeMatrix(), y = like(z, NaN), dy = like(z), dz = like(z, NaN);
  plugin.forward(z, y);
  const differs = (what: string, x: number, declared: number, got: number, fix: string) =>
    fail(
      "scalar",
      new RangeError(
        `Inconsistent plugin "${plugin.name}": ${what} at x = ${num(x)} gives ${got} but ${
          what === "forward" ? "f" : "dy · df"
        } gives ${declared}; ${fix}`,
      ),
    );
  for (let i = 0; i < z.data.length; i++) {
    const want = f(z.data[i]);
    if (!close(want, y.data[i])) {
      return differs("forward", z.data[i], want, y.data[i], "make forward compute f");
    }
  }
  if (!df) return pass("scalar", `forward agrees with f at ${z.data.length} points`);
  for (let i = 0; i < dy.data.length; i++) dy.data[i] = 1 - (i % 3) / 4;
  plugin.backward({ z, y, dy, dz });
  for (let i = 0; i < z.data.length; i++) {
    const want = dy.data[i] * df(z.data[i], y.data[i]);
    if (!close(want, dz.data[i])) {
      return differs("backward", z.data[i], want, dz.data[i], "make backward compute dy · df");
    }
  }
  return pass("scalar", `forward and backward agree with f and df at ${z.data.length} points`);
}
