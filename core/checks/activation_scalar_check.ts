/**
 * The check that an element-wise activation's batch loops agree with its
 * scalar `f` and `df`: plots, the gallery and readers go by `f`/`df`, the
 * trainer by `forward`/`backward`, so the two must be the same function.
 *
 * @module
 */
import type { ActivationPlugin } from "../math/types.ts";
import { reluMismatch } from "../math/kernel_trust.ts";
import {
  type CheckResult,
  distinct,
  fail,
  like,
  num,
  pass,
  probeMatrix,
  upstream,
} from "./_probes.ts";

/**
 * float32 tolerance, as training runs: within a few units in the last place
 * (2^-21 relative), or both below float32's normal range. The same math in
 * another form (a loop instead of a closure) only rounds differently.
 */
const TOLERANCE = 2 ** -21;

// NaN agrees with NaN here: non-finite outputs are the finite check's business.
const close = (a: number, b: number): boolean => {
  const scale = Math.max(Math.abs(a), Math.abs(b));
  return a === b || Object.is(a, b) || Math.abs(a - b) <= TOLERANCE * scale || scale < 2 ** -126;
};

/**
 * Runs `forward` and `backward` on the probes (|x| up to 1e4) in float32, as
 * training does, and compares them point by point with `f(x)` and
 * `dy · df(x, y)` (computed in float64), within float32 rounding. A plugin
 * that declares `kernel: "relu"` must also give exactly max(z, 0) and
 * dy · [z > 0], since backends compute that inside the matrix product.
 * Passes at once for a plugin with neither (row-wise ones such as softmax).
 *
 * @example
 * ```ts
 * import { checkActivationScalar } from "./activation_scalar_check.ts";
 * import { elementwise } from "../math/elementwise.ts";
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
  const { f, df } = plugin, relu = plugin.kernel === "relu";
  if (!f && !relu) return pass("scalar", "no scalar f to compare with (row-wise activation)");
  const z = probeMatrix(Float32Array), y = like(z, NaN), dy = upstream(z), dz = like(z, NaN);
  plugin.forward(z, y);
  plugin.backward({ z, y, dy, dz });
  const differs = (what: string, i: number, declared: string, want: number, fix: string) => {
    const [got, expected] = distinct(what === "forward" ? y.data[i] : dz.data[i], want);
    return fail(
      "scalar",
      new RangeError(
        `Inconsistent plugin "${plugin.name}": ${what} at x = ${
          num(z.data[i])
        } gives ${got} but ${declared} gives ${expected}; ${fix}`,
      ),
    );
  };
  const parts: string[] = [];
  if (f) {
    for (let i = 0; i < z.data.length; i++) {
      const want = f(z.data[i]);
      if (!close(want, y.data[i])) {
        return differs("forward", i, "f", want, "make forward compute f");
      }
    }
    if (df) {
      for (let i = 0; i < z.data.length; i++) {
        const want = dy.data[i] * df(z.data[i], y.data[i]);
        if (!close(want, dz.data[i])) {
          return differs("backward", i, "dy · df", want, "make backward compute dy · df");
        }
      }
    }
    parts.push(`forward matches f${df ? " and backward dy · df" : ""}`);
  }
  if (relu) {
    const miss = reluMismatch(plugin);
    if (miss) {
      const [declared, fix] = miss.what === "forward"
        ? ['kernel "relu" (max(z, 0))', "remove kernel or make forward max(z, 0)"]
        : ['kernel "relu" (dy · [z > 0])', "remove kernel or make backward dy · [z > 0]"];
      return fail(
        "scalar",
        new RangeError(
          `Inconsistent plugin "${plugin.name}": ${miss.what} at x = ${num(miss.at)} gives ${
            distinct(miss.got, miss.want).join(` but ${declared} gives `)
          }; ${fix}`,
        ),
      );
    }
    parts.push('kernel "relu" holds');
  }
  return pass("scalar", `${parts.join("; ")} at ${z.data.length} points (float32)`);
}
