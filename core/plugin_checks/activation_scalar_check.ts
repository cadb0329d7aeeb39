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

/** A scalar form that forward and backward must agree with. */
interface Reference {
  /** How messages name it, for forward and for backward. */
  readonly names: readonly [string, string];
  readonly f: (x: number) => number;
  readonly df?: (x: number, y: number) => number;
  /** What to change when forward or backward disagree. */
  readonly fix: readonly [string, string];
}

function references(plugin: ActivationPlugin): Reference[] {
  const out: Reference[] = [];
  if (plugin.f) {
    out.push({
      names: ["f", "dy · df"],
      f: plugin.f,
      ...(plugin.df ? { df: plugin.df } : {}),
      fix: ["make forward compute f", "make backward compute dy · df"],
    });
  }
  if (plugin.kernel === "relu") {
    out.push({
      names: ['kernel "relu" (max(z, 0))', 'kernel "relu" (dy · [z > 0])'],
      f: (x) => (x > 0 ? x : 0),
      df: (x) => (x > 0 ? 1 : 0),
      fix: [
        "remove kernel or make forward max(z, 0)",
        "remove kernel or make backward dy · [z > 0]",
      ],
    });
  }
  return out;
}

/**
 * Runs `forward` and `backward` on the probes (|x| up to 1e4, float64) and
 * compares them point by point with `f(x)` and `dy · df(x, y)`, and with
 * max(x, 0) and `dy · [x > 0]` for a plugin that declares `kernel: "relu"`
 * (backends compute that one inside the matrix product). Passes at once for
 * a plugin with neither (row-wise ones such as softmax).
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
  const refs = references(plugin);
  if (refs.length === 0) return pass("scalar", "no scalar f to compare with (row-wise activation)");
  const z = probeMatrix(), y = like(z, NaN), dy = like(z), dz = like(z, NaN);
  for (let i = 0; i < dy.data.length; i++) dy.data[i] = 1 - (i % 3) / 4;
  plugin.forward(z, y);
  plugin.backward({ z, y, dy, dz });
  const differs = (what: string, i: number, declared: string, want: number, fix: string) =>
    fail(
      "scalar",
      new RangeError(
        `Inconsistent plugin "${plugin.name}": ${what} at x = ${num(z.data[i])} gives ${
          what === "forward" ? y.data[i] : dz.data[i]
        } but ${declared} gives ${want}; ${fix}`,
      ),
    );
  for (const ref of refs) {
    for (let i = 0; i < z.data.length; i++) {
      const want = ref.f(z.data[i]);
      if (!close(want, y.data[i])) return differs("forward", i, ref.names[0], want, ref.fix[0]);
    }
    if (!ref.df) continue;
    for (let i = 0; i < z.data.length; i++) {
      const want = dy.data[i] * ref.df(z.data[i], y.data[i]);
      if (!close(want, dz.data[i])) {
        return differs(
          "backward",
          i,
          ref.names[1],
          want,
          ref.fix[1],
        );
      }
    }
  }
  const what = refs.map((r) =>
    r.names[0] === "f"
      ? `forward matches f${r.df ? " and backward dy · df" : ""}`
      : `${r.names[0].split(" (")[0]} holds`
  );
  return pass("scalar", `${what.join("; ")} at ${z.data.length} points`);
}
