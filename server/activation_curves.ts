/**
 * Samples every registered activation and its derivative on a grid, through
 * the plugin's own forward and backward passes: what the gallery plots is
 * exactly what training uses.
 *
 * @module
 */
import type { ActivationPlugin, Mat } from "../core/math/types.ts";

/** One activation sampled on the grid. */
export interface ActivationCurve {
  name: string;
  description?: string;
  params?: Readonly<Record<string, number>>;
  /** True for row-wise activations (softmax), sampled on rows `[x, 0]`. */
  rowwise: boolean;
  /** h(x) at each grid point. */
  y: number[];
  /** h'(x) at each grid point (for row-wise ones, dy₀/dx₀). */
  dy: number[];
  /** Largest h'(x) on the grid: 0.25 for sigmoid, 1 for tanh and ReLU. */
  maxSlope: number;
}

/** The gallery's data: one grid, one curve per activation. */
export interface ActivationCurves {
  x: number[];
  activations: ActivationCurve[];
}

/** Options of {@linkcode activationCurves}. */
export interface CurveOptions {
  /** Grid start (default -6). */
  from?: number;
  /** Grid end (default 6). */
  to?: number;
  /** Grid points (default 241: a step of 0.05). */
  points?: number;
}

const round = (v: number) => (Number.isFinite(v) ? Math.round(v * 1e6) / 1e6 : v);
const mat = (data: Float32Array | Float64Array, rows: number, cols: number): Mat => ({
  data,
  rows,
  cols,
});

function sample(a: ActivationPlugin, x: number[]): Pick<ActivationCurve, "y" | "dy"> {
  const n = x.length, cols = a.rowwise ? 2 : 1;
  // Element-wise loops in float32, as training runs them (a loop that also saw
  // float64 stays slower in V8); row-wise ones (checked in float64 anyway) in float64.
  const Floats = a.rowwise ? Float64Array : Float32Array;
  const z = new Floats(n * cols), y = new Floats(n * cols);
  const upstream = new Floats(n * cols), dz = new Floats(n * cols);
  // Row-wise activations see rows [x, 0]: softmax's first output is then a sigmoid of x.
  for (let i = 0; i < n; i++) {
    z[i * cols] = x[i];
    upstream[i * cols] = 1;
  }
  const rows = a.rowwise ? n : 1, width = a.rowwise ? cols : n;
  a.forward(mat(z, rows, width), mat(y, rows, width));
  a.backward({
    z: mat(z, rows, width),
    y: mat(y, rows, width),
    dy: mat(upstream, rows, width),
    dz: mat(dz, rows, width),
  });
  return {
    y: x.map((_, i) => round(y[i * cols])),
    dy: x.map((_, i) => round(dz[i * cols])),
  };
}

/**
 * Samples each activation and its derivative on an even grid. The
 * derivative comes from `backward` with an upstream gradient of 1, so it is
 * the plugin's h'(x) even for activations without a scalar `df`.
 *
 * @example
 * ```ts
 * import { activationCurves } from "./activation_curves.ts";
 * import { sigmoid } from "../plugins/activations/sigmoid.ts";
 * const { activations } = activationCurves([sigmoid], { from: -1, to: 1, points: 3 });
 * activations[0].maxSlope; // 0.25
 * ```
 */
export function activationCurves(
  activations: readonly ActivationPlugin[],
  options: CurveOptions = {},
): ActivationCurves {
  const { from = -6, to = 6, points = 241 } = options;
  if (!(Number.isInteger(points) && points >= 2)) {
    throw new RangeError(`Invalid points: ${points} must be a whole number of at least 2`);
  }
  if (!(to > from)) throw new RangeError(`Invalid grid: to (${to}) must be above from (${from})`);
  const x = Array.from(
    { length: points },
    (_, i) => round(from + ((to - from) * i) / (points - 1)),
  );
  return {
    x,
    activations: activations.map((a) => {
      const { y, dy } = sample(a, x);
      return {
        name: a.name,
        ...(a.description ? { description: a.description } : {}),
        ...(a.params ? { params: a.params } : {}),
        rowwise: a.rowwise === true,
        y,
        dy,
        maxSlope: Math.max(...dy.filter(Number.isFinite)),
      };
    }),
  };
}
