/**
 * Fixed probe inputs shared by the plugin checks and the fingerprint, and the
 * small helpers that compare what plugins wrote. Internal.
 *
 * @module
 */
import type { GradReport } from "./gradcheck.ts";
import type { Floats, LossArgs, LossPlugin, OptimizerPlugin } from "../math/types.ts";
import { GRAD_PROBE, mat, PARAM_PROBE, PROBE_COLS, PROBE_VALUES } from "../math/probes.ts";

export {
  GRAD_PROBE,
  like,
  mat,
  PARAM_PROBE,
  PROBE_COLS,
  PROBE_VALUES,
  probeMatrix,
  upstream,
} from "../math/probes.ts";

/** What a check found: `ok`, one line for humans, and the error the registry throws. */
export interface CheckResult {
  /** The check's name: `"shape"`, `"pure"`, `"finite"`, `"gradient"`, `"scalar"` or `"update"`. */
  readonly check: string;
  /** True when the plugin passed. */
  readonly ok: boolean;
  /** What was checked (when ok) or what went wrong (when not). */
  readonly detail: string;
  /** The TypeError or RangeError to throw when not ok. */
  readonly error?: TypeError | RangeError;
  /** The gradient check's report (gradient checks only). */
  readonly grad?: GradReport;
}

/**
 * Predictions and targets for a loss: its `input` decides the predictions
 * (probe values, or probabilities including exactly 0 and 1) and the targets
 * (reals, or one-hot rows). `moderate` keeps the first 4 rows, |y| ≤ 2 (for fingerprints).
 */
export function lossProbe(plugin: LossPlugin, moderate = false): LossArgs {
  const values = moderate ? PROBE_VALUES.slice(0, 16) : PROBE_VALUES;
  const y = plugin.input === "probabilities"
    ? values.map((x) => (x >= 1e3 ? 1 : x <= -1e3 ? 0 : 1 / (1 + Math.exp(-x))))
    : values;
  const rows = y.length / PROBE_COLS;
  const t = y.map((_, i) =>
    plugin.input === "values"
      ? (i % 7) / 2 - 1.5
      : Number(i % PROBE_COLS === Math.floor(i / PROBE_COLS) % PROBE_COLS)
  );
  return {
    y: mat(Float64Array.from(y), rows, PROBE_COLS),
    t: mat(Float64Array.from(t), rows, PROBE_COLS),
  };
}

/**
 * The parameters and slots after three updates (t = 1, 2, 3) on the probe
 * tensor, in float32 as in training: update loops that also saw float64
 * arrays stay polymorphic in V8 for the life of the process (Adam ~25% slower).
 */
export function probeUpdates(plugin: OptimizerPlugin): {
  param: Float32Array;
  grad: Float32Array;
  slots: Float32Array[];
} {
  const param = Float32Array.from(PARAM_PROBE), grad = Float32Array.from(GRAD_PROBE);
  const slots = Array.from({ length: plugin.slots }, () => new Float32Array(param.length));
  for (let t = 1; t <= 3; t++) plugin.update(param, grad, slots, { lr: plugin.lr, t });
  return { param, grad, slots };
}

/** Index of the first element where `a` and `b` differ (NaN equals NaN), or -1. */
export function firstDifference(a: Floats, b: Floats): number {
  for (let i = 0; i < a.length; i++) if (!Object.is(a[i], b[i]) && a[i] !== b[i]) return i;
  return -1;
}

/** Index of the first NaN or infinite element, or -1. */
export function firstNonFinite(a: Floats): number {
  for (let i = 0; i < a.length; i++) if (!Number.isFinite(a[i])) return i;
  return -1;
}

/** A number for messages: 4 significant digits. */
export const num = (x: number): string => String(Number(x.toPrecision(4)));

/** "a then b", with as many digits as it takes to tell them apart. */
export function thenDiffers(a: number, b: number): string {
  return distinct(a, b).join(" then ");
}

/** `a` and `b` with as many digits (at least 4) as it takes to tell them apart. */
export function distinct(a: number, b: number): [string, string] {
  let digits = 4;
  const show = (x: number) => String(Number(x.toPrecision(digits)));
  while (digits < 17 && show(a) === show(b)) digits++;
  return [show(a), show(b)];
}

/** A passed check. */
export const pass = (check: string, detail: string): CheckResult => ({ check, ok: true, detail });

/** A failed check with the error the registry throws. */
export function fail(check: string, error: TypeError | RangeError): CheckResult {
  return { check, ok: false, detail: error.message, error };
}
