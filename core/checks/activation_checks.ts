/**
 * The math checks of an activation plugin: purity, finite outputs and the
 * numerical gradient check.
 *
 * @module
 */
import { scalarRule } from "../math/elementwise.ts";
import { checkActivationGradient, formatGradFailure, type GradReport } from "./gradcheck.ts";
import type { ActivationPlugin, Mat } from "../math/types.ts";
import {
  type CheckResult,
  fail,
  firstDifference,
  firstNonFinite,
  like,
  num,
  pass,
  PROBE_VALUES,
  probeMatrix,
  thenDiffers,
  upstream,
} from "./_probes.ts";

/**
 * Runs forward and backward twice on the probes: outputs must match bit for
 * bit and the inputs must be left as they were.
 *
 * @example
 * ```ts
 * import { checkActivationPurity } from "./activation_checks.ts";
 * import { elementwise } from "../math/elementwise.ts";
 * const noisy = elementwise({ name: "noisy", f: (x) => x + Math.random(), df: () => 1 });
 * checkActivationPurity(noisy).ok; // false
 * ```
 */
export function checkActivationPurity(plugin: ActivationPlugin): CheckResult {
  const impure = (what: string) =>
    fail(
      "pure",
      new RangeError(
        `Impure plugin "${plugin.name}": ${what}; a plugin must depend on its inputs only (no Math.random, no state kept between calls)`,
      ),
    );
  const rule = scalarRule(plugin);
  if (rule) {
    // The scalar rule in float64, where a tiny dependence on anything but x still shows.
    const { f, df } = rule;
    for (const x of PROBE_VALUES) {
      const [a, b] = [f(x), f(x)];
      if (!Object.is(a, b)) {
        return impure(`f gave ${thenDiffers(a, b)} for the same input x = ${num(x)}`);
      }
      const [c, d] = df ? [df(x, a), df(x, a)] : [0, 0];
      if (!Object.is(c, d)) {
        return impure(`df gave ${thenDiffers(c, d)} for the same input x = ${num(x)}`);
      }
    }
  }
  // The batch loops in float32, as training runs them: loops that also saw
  // float64 arrays stay slower in V8 for the life of the process.
  const z = probeMatrix(Float32Array), z0 = z.data.slice();
  const y = [like(z), like(z)], dz = [like(z), like(z)];
  const dy = upstream(z), dy0 = dy.data.slice();
  for (const out of y) plugin.forward(z, out);
  let i = firstDifference(z.data, z0);
  if (i >= 0) return impure(`forward changed its input z at x = ${num(z0[i])}, write into y only`);
  i = firstDifference(y[0].data, y[1].data);
  if (i >= 0) {
    return impure(
      `forward gave ${thenDiffers(y[0].data[i], y[1].data[i])} for the same input x = ${
        num(z0[i])
      }`,
    );
  }
  const y0 = y[0].data.slice();
  for (const out of dz) plugin.backward({ z, y: y[0], dy, dz: out });
  i = Math.max(
    firstDifference(z.data, z0),
    firstDifference(y[0].data, y0),
    firstDifference(dy.data, dy0),
  );
  if (i >= 0) {
    return impure(
      `backward changed its inputs z, y or dy at x = ${num(z0[i])}, write into dz only`,
    );
  }
  i = firstDifference(dz[0].data, dz[1].data);
  if (i >= 0) {
    return impure(
      `backward gave ${thenDiffers(dz[0].data[i], dz[1].data[i])} for the same input x = ${
        num(z0[i])
      }`,
    );
  }
  return pass("pure", "forward and backward repeat exactly and leave their inputs alone");
}

/**
 * Runs forward and backward on the probes (|x| up to 1e4), in float64 and
 * float32: every output must be finite. Outputs start as NaN, so one that is
 * never written fails too.
 *
 * @example
 * ```ts
 * import { checkActivationFinite } from "./activation_checks.ts";
 * import { elementwise } from "../math/elementwise.ts";
 * checkActivationFinite(elementwise({ name: "exp", f: Math.exp, df: Math.exp })).ok; // false
 * ```
 */
export function checkActivationFinite(plugin: ActivationPlugin): CheckResult {
  const rule = scalarRule(plugin);
  if (rule) {
    // Element-wise: float64 through the scalar f and df, the batch loops in float32 only.
    const { f, df } = rule;
    for (const x of PROBE_VALUES) {
      const y = f(x), d = df ? df(x, y) : 0;
      if (!Number.isFinite(y) || !Number.isFinite(d)) {
        return fail(
          "finite",
          new RangeError(
            `Non-finite output from "${plugin.name}": ${Number.isFinite(y) ? "df" : "f"} at x = ${
              num(x)
            } is ${
              Number.isFinite(y) ? d : y
            } (float64); keep outputs finite for every finite input, e.g. clamp before exp`,
          ),
        );
      }
    }
  }
  for (const Type of rule ? [Float32Array] : [Float64Array, Float32Array]) {
    const z = probeMatrix(Type), y = like(z, NaN), dz = like(z, NaN);
    plugin.forward(z, y);
    const bad = (what: string, out: Mat, i: number) =>
      fail(
        "finite",
        new RangeError(
          `Non-finite output from "${plugin.name}": ${what} at x = ${num(z.data[i])} is ${
            out.data[i]
          } (${
            Type === Float32Array ? "float32" : "float64"
          }); keep outputs finite for every finite input, e.g. clamp before exp`,
        ),
      );
    let i = firstNonFinite(y.data);
    if (i >= 0) return bad("forward", y, i);
    plugin.backward({ z, y, dy: upstream(z), dz });
    i = firstNonFinite(dz.data);
    if (i >= 0) return bad("backward", dz, i);
  }
  return pass(
    "finite",
    rule
      ? "f and df (float64) and forward and backward (float32) stay finite for |x| up to 1e4"
      : "forward and backward stay finite for |x| up to 1e4, in float64 and float32",
  );
}

/** The detail line of a passed gradient check: points, skipped kinks, worst error. */
export function gradDetail(report: GradReport): string {
  const skipped = report.skipped ? ` (${report.skipped} at kinks skipped)` : "";
  const w = report.worst;
  const worst = w ? `, worst relative error ${w.relError.toExponential(1)} at x = ${num(w.x)}` : "";
  return `${report.checked} points${skipped}${worst}`;
}

/** The RangeError for a failed gradient check; `fix` says what to correct. */
export function gradError(name: string, report: GradReport, fix: string): RangeError {
  const where = `wrong at ${report.failures.length} of ${report.checked} points`;
  return new RangeError(
    `Gradient check failed: ${formatGradFailure(name, report.worst!)} (${where}); ${fix}`,
  );
}

/**
 * The numerical gradient check of core/checks/gradcheck.ts, as a check result whose
 * error reads `Gradient check failed: derivative of "myorg/swish" at x = 0.5
 * is 0.12 but finite differences give 0.74 (...)`. For an element-wise plugin
 * with `f` and `df` it checks the rule (df against f); that its `forward` and
 * `backward` compute f and dy · df is `checkActivationScalar`'s
 * part, so use both (as the registry does), or `checkPlugin`.
 *
 * @example
 * ```ts
 * import { checkActivationGradients } from "./activation_checks.ts";
 * import { elementwise } from "../math/elementwise.ts";
 * const cube = elementwise({ name: "cube", f: (x) => x ** 3, df: (x) => 3 * x });
 * checkActivationGradients(cube).ok; // false: the derivative is 3x²
 * ```
 */
export function checkActivationGradients(plugin: ActivationPlugin): CheckResult {
  const report = checkActivationGradient(plugin);
  if (report.ok) return { ...pass("gradient", gradDetail(report)), grad: report };
  const fix = plugin.df
    ? "fix df so it is the derivative of f"
    : "fix backward so it is the derivative of forward";
  return { ...fail("gradient", gradError(plugin.name, report, fix)), grad: report };
}
