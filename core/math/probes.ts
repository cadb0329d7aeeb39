/**
 * Fixed probe inputs, shared by the kernel-trust checks here and by the
 * plugin checks and fingerprints in core/checks/: 0, near 0, moderate,
 * saturated and huge values, and the matrices built from them.
 *
 * @module
 */
import type { Floats, Mat } from "./types.ts";

/** 0, near 0, moderate, saturated and huge (|x| up to 1e4), as 8 rows of 4. */
export const PROBE_VALUES: readonly number[] = [
  ...[0, 1e-3, -1e-3, 0.05, -0.05, 0.1, 0.3, -0.3, 0.5, -0.5, 0.75, -0.75, 1.25, -1.25, 2, -2],
  ...[3, -3, 6, -6, 10, -10, 20, -20, 50, -50, 100, -100, 1e3, -1e3, 1e4, -1e4],
];
export const PROBE_COLS = 4;
/** Inputs of an optimizer probe, and the gradients it is given. */
export const PARAM_PROBE: readonly number[] = [0.5, -1, 2, 0, 1e-3, -3, 10, -10];
export const GRAD_PROBE: readonly number[] = [0.1, -0.2, 3, 0, -1e-4, 50, -1e3, 1e-8];

export type FloatArray = typeof Float32Array | typeof Float64Array;

export const mat = (data: Floats, rows: number, cols: number): Mat => ({ data, rows, cols });
export const like = (m: Mat, fill = 0): Mat =>
  mat(new (m.data.constructor as FloatArray)(m.data.length).fill(fill), m.rows, m.cols);

/**
 * dy for the probes: varied and of both signs, so a backward that ignores dy
 * or drops its sign is caught.
 */
export const upstream = (z: Mat): Mat => {
  const dy = like(z);
  for (let i = 0; i < dy.data.length; i++) dy.data[i] = 1 - (i % 3) / 4 - (i % 5 === 4 ? 2 : 0);
  return dy;
};

/** The probe values as a batch matrix, in float64 (default) or float32. */
export function probeMatrix(Type: FloatArray = Float64Array): Mat {
  return mat(Type.from(PROBE_VALUES), PROBE_VALUES.length / PROBE_COLS, PROBE_COLS);
}
